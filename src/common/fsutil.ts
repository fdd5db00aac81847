import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './diagnostics.js';

/** Part of a temporary file name: unique per process and moment, never part of any output. */
export function tempStamp(): string {
  return `${process.pid}.${Date.now().toString(36)}`;
}

/** Write to a temporary sibling, then rename: a crash or a full disk never leaves half a file under the real name. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ file, data }]);
}

/**
 * A set of files that belong together (the documents of one `render`): every file is written
 * under a temporary name first, and only when all are written are they renamed into place, so
 * a failure half-way leaves none of the new set, not some of it.
 */
export async function writeFilesAtomic(entries: { file: string; data: string | Uint8Array }[]): Promise<void> {
  const stamp = tempStamp();
  const temps = entries.map((e) => path.join(path.dirname(e.file), `.${path.basename(e.file)}.${stamp}.tmp`));
  let current = entries[0]?.file ?? '';
  try {
    for (const [i, e] of entries.entries()) {
      current = e.file;
      await mkdir(path.dirname(e.file), { recursive: true });
      await writeFile(temps[i]!, e.data);
    }
    for (const [i, e] of entries.entries()) {
      current = e.file;
      await rename(temps[i]!, e.file);
    }
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)));
    throw new UserError([{ severity: 'error', code: 'io.write', file: current, message: `无法写入：${describeWriteError(err)}` }], 2);
  }
}

export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return '没有写入权限';
  if (code === 'ENOSPC') return '磁盘空间不足';
  if (code === 'ENOTDIR' || code === 'EEXIST') return '路径中的某一级是文件而不是文件夹';
  if (code === 'ENAMETOOLONG') return '文件名或路径过长';
  return describeIoError(err);
}

/** Why a file could not be read, in the users' words. */
export function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return '文件不存在';
    case 'EACCES':
    case 'EPERM':
      return '没有读取权限';
    case 'EISDIR':
      return '这是一个文件夹，不是文件';
    case 'ENOTDIR':
      return '路径中的某一级不是文件夹';
    default:
      return `无法读取（${code ?? String(err)}）`;
  }
}
