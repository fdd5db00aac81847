// fs.promises is read where it is used: importing node:fs/promises loads it (and readline, with
// it) at start-up, a few milliseconds of `validate`, which never writes.
import { closeSync, constants, fstatSync, fsyncSync, openSync, promises as fsp, readSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from './diagnostics.js';

let tempCount = 0;
/**
 * Part of a temporary file name: unique per process and call (two saves in one millisecond too),
 * never part of any output. It starts with the pid: package/folder.ts's recoverLeftovers reads it
 * back to tell a killed writer's leftovers from a running one's.
 */
export function tempStamp(): string {
  return `${process.pid}.${Date.now().toString(36)}.${(tempCount++).toString(36)}`;
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
      await makeDirs(path.dirname(e.file));
      await fsp.writeFile(temps[i]!, e.data);
    }
    for (const [i, e] of entries.entries()) {
      current = e.file;
      await fsp.rename(temps[i]!, e.file);
    }
  } catch (err) {
    await Promise.all(temps.map((t) => fsp.rm(t, { force: true }).catch(() => undefined)));
    throw new UserError([{ severity: 'error', code: 'io.write', file: current, message: `无法写入：${describeWriteError(err)}` }], 2);
  }
}

/**
 * Replaces a file the user owns (an applicant's YAML, the office's 推荐名单.yaml) atomically:
 * written under a temporary name in the same folder (O_EXCL: never onto someone else's file),
 * synced, given the old file's permissions, renamed over it, and the folder synced, so a crash or
 * a power cut leaves the old file or the new one, never half of one. A symlink is followed: its
 * target is replaced and the link stays a link. Being a new file, it does not keep the old one's
 * hard links, owner or ACLs. Throws what the file system threw (the caller words it); a path that
 * exists but is not a regular file is refused with ENOTFILE.
 */
export async function replaceUserFile(file: string, bytes: Uint8Array): Promise<{ target: string; stats: Stats }> {
  const lst = await fsp.lstat(file).catch(() => undefined);
  const st = lst && (lst.isSymbolicLink() ? await fsp.stat(file).catch(() => undefined) : lst);
  if ((lst && !lst.isFile() && !lst.isSymbolicLink()) || (st && !st.isFile())) {
    throw Object.assign(new Error(`not a regular file: ${file}`), { code: 'ENOTFILE' });
  }
  const target = lst?.isSymbolicLink() ? await fsp.realpath(file) : file;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${tempStamp()}.tmp`);
  const mode = st ? st.mode & 0o7777 : 0o644;
  // Opened exclusively: a file already under this name is not ours, and is left alone.
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      // writeFileSync on a descriptor writes until every byte is written (one write() may not).
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The umask narrowed the mode open() was given; the user's file had exactly this one.
    if (st) await fsp.chmod(temp, mode);
    await fsp.rename(temp, target);
  } catch (err) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  syncDir(path.dirname(target));
  return { target, stats: await fsp.stat(target) };
}

/** The rename itself reaches the disk (a power cut after save keeps the new file); not every platform can open a folder. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * mkdir -p that ends. Node's recursive mkdir retries forever where a folder cannot be made
 * although its parent exists (/proc/x answers ENOENT): here each missing level is made once,
 * from the nearest existing ancestor down, and the first refusal is the error.
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    let st;
    try {
      st = await fsp.stat(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`not a directory: ${d}`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      await fsp.mkdir(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw Object.assign(err as Error, { creating: true });
    }
  }
}

export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  // Writing, a missing path is one that cannot be made here (/proc, a vanished drive), not a file to read.
  if (code === 'ENOENT') return '无法在此位置创建文件或文件夹';
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

/** Why a path that opened is not something to read as a file, or undefined for a regular file. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return '这是一个文件夹，不是文件';
  const what = st.isFIFO() ? '管道' : st.isSocket() ? '套接字' : st.isCharacterDevice() || st.isBlockDevice() ? '设备文件' : '特殊文件';
  return `不是普通文件（${what}），未读取；请提供保存在磁盘上的文件`;
}

/** A file that is not regular, or over its limit: the message in the users' words (code 'not-regular' or 'too-large'). */
export class ReadRefused extends Error {
  constructor(
    readonly reason: 'not-regular' | 'too-large' | 'io',
    message: string,
    readonly size?: number,
  ) {
    super(message);
  }
}

/**
 * The bytes of a regular file, at most `limit`. The file is opened without blocking (a FIFO
 * would wait for a writer forever), then fstat'ed on the open descriptor, so what is checked is
 * what is read: a FIFO, a device (/dev/zero) or a folder is refused before a byte is read, and a
 * file that grows while read stops at the limit. Throws ReadRefused.
 */
export async function readRegularFile(file: string, limit: number): Promise<Buffer> {
  // The inputs are small (data files, manifests, our own zips): one synchronous implementation
  // keeps the open-fstat-bounded-read rules in one place.
  return readRegularFileSync(file, limit);
}

/** Opens without blocking (a FIFO never hangs), refuses anything but a regular file, reads at most `limit` bytes. */
export function readRegularFileSync(file: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ReadRefused('io', describeIoError(err));
  }
  try {
    const st = fstatSync(fd);
    const why = notRegular(st);
    if (why) throw new ReadRefused('not-regular', why);
    if (st.size > limit) throw new ReadRefused('too-large', '文件过大', st.size);
    const chunks: Buffer[] = [];
    let n = 0;
    let want = Math.min(st.size, limit) + 1;
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const r = readSync(fd, buf, 0, want, n);
      if (r === 0) break;
      chunks.push(buf.subarray(0, r));
      n += r;
      if (n > limit) throw new ReadRefused('too-large', '文件过大', n);
      want = Math.min(64 * 1024, limit + 1 - n);
    }
    return Buffer.concat(chunks, n);
  } catch (err) {
    if (err instanceof ReadRefused) throw err;
    throw new ReadRefused('io', describeIoError(err));
  } finally {
    closeSync(fd);
  }
}
