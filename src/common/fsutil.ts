import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './diagnostics.js';
import { describeIoError } from '../load/source.js';

/** Write to a temporary sibling, then rename: a crash or a full disk never leaves half a file under the real name. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new UserError([{ severity: 'error', code: 'io.write', file, message: `无法写入：${describeWriteError(err)}` }], 2);
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
