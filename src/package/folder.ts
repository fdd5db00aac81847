import { copyFile, link, lstat, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import PizZip from '../common/pizzip.js';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { describeWriteError, makeDirs, readRegularFile, tempStamp } from '../common/fsutil.js';
import { deterministicZip } from '../docx/zip.js';
import { byCodeUnits } from '../common/format.js';
import { swapFolder } from '../common/swap.js';

export interface PackageFile {
  /** Path inside the package folder, e.g. 01-申报函.pdf */
  name: string;
  bytes: Uint8Array;
}

/** What marks a folder as a package shenbao wrote, and lists (by name) the files in it that are ours. */
export const MANIFEST_NAME = 'manifest.json';

/** A zip bigger than this was never written by shenbao (ours are a few MB): not opened to check. */
const MAX_OWN_ZIP_BYTES = 256 * 1024 * 1024;
/** Ours list a few dozen files. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

function refuse(file: string, message: string): UserError {
  return new UserError([{ severity: 'error', code: 'io.exists', file, message }], 2);
}


export interface WrittenPackage {
  dir: string;
  zip: string;
  zipBytes: Uint8Array;
  /** Entries of the folder shenbao did not write, carried over unchanged (paths relative to the folder, '/'-separated). */
  kept: string[];
  /** Warnings about what the write did besides writing (kept user files, leftovers recovered). */
  diagnostics: Diagnostic[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The names the previous run wrote, from its manifest; undefined when the folder is not ours. */
async function ownedNames(dir: string): Promise<Set<string> | 'unreadable' | undefined> {
  const st = await lstat(path.join(dir, MANIFEST_NAME)).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return 'unreadable';
  try {
    const text = (await readRegularFile(path.join(dir, MANIFEST_NAME), MAX_MANIFEST_BYTES)).toString('utf8');
    const m = JSON.parse(text) as { shenbao?: unknown; files?: { path?: unknown }[] };
    if (typeof m.shenbao !== 'string' || !Array.isArray(m.files)) return 'unreadable';
    const names = new Set<string>([MANIFEST_NAME]);
    for (const f of m.files) if (typeof f?.path === 'string') names.add(toPosix(path.normalize(f.path)));
    return names;
  } catch {
    return 'unreadable';
  }
}

/** A zip is ours when every entry sits under `<name>/` and one of them is a shenbao manifest. */
async function isOwnZip(zipPath: string, name: string, size: number): Promise<boolean> {
  if (size > MAX_OWN_ZIP_BYTES) return false;
  try {
    const zip = new PizZip(await readRegularFile(zipPath, MAX_OWN_ZIP_BYTES));
    const entries = Object.keys(zip.files);
    if (!entries.length || entries.some((e) => !e.startsWith(`${name}/`))) return false;
    const manifest = zip.file(`${name}/${MANIFEST_NAME}`);
    if (!manifest) return false;
    return typeof (JSON.parse(manifest.asText()) as { shenbao?: unknown }).shenbao === 'string';
  } catch {
    return false;
  }
}

/** Every entry under dir that is not ours, as '/'-separated paths: folders holding only our files are not listed. */
async function userEntries(dir: string, owned: Set<string>, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await readdir(dir)).sort(byCodeUnits)) {
    const r = rel ? `${rel}/${n}` : n;
    if (owned.has(r)) continue;
    const st = await lstat(path.join(dir, n));
    if (st.isDirectory() && [...owned].some((o) => o.startsWith(`${r}/`))) out.push(...(await userEntries(path.join(dir, n), owned, r)));
    else out.push(r);
  }
  return out;
}

/**
 * Puts a user's entry into the new folder without copying its bytes where the file system
 * allows: a hard link shares the data, so the old folder can go without the file going with it.
 */
async function carryOver(from: string, to: string): Promise<void> {
  const st = await lstat(from);
  await makeDirs(path.dirname(to));
  if (st.isSymbolicLink()) {
    await symlink(await readlink(from), to);
  } else if (st.isDirectory()) {
    await makeDirs(to);
    for (const n of await readdir(from)) await carryOver(path.join(from, n), path.join(to, n));
  } else if (st.isFile()) {
    await link(from, to).catch(() => copyFile(from, to));
  }
  // Sockets, FIFOs and devices in a package folder are nobody's documents: not carried.
}

const pidAlive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * What a killed run left in outDir for this package: the new folder or zip half-written (.tmp),
 * the previous one moved aside (.tmp.old). A previous package that is no longer visible under
 * its name comes back; everything else is removed. Runs of a live process are left alone.
 */
export async function recoverLeftovers(
  outDir: string,
  name: string,
  dir: string,
  options: {
    /** The package's zip, replaced beside its folder; none for the 汇总 set. */
    zipPath?: string;
    /** The old copies hold only files shenbao wrote (the 汇总 set): nothing of the user's to look for before removing one. */
    onlyOurs?: boolean;
    /** What the folder is, in the message when it is restored. */
    folderLabel?: string;
  } = {},
): Promise<Diagnostic[]> {
  const { zipPath, onlyOurs = false, folderLabel = '材料包文件夹' } = options;
  const diagnostics: Diagnostic[] = [];
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // tempStamp's pid.time.count (pid.time from earlier versions): the pid says whether its writer still runs.
  const pattern = new RegExp(`^\\.${esc}(\\.zip)?\\.(\\d+)\\.[0-9a-z]+(?:\\.[0-9a-z]+)?\\.tmp(\\.old)?$`);
  const names = await readdir(outDir).catch(() => [] as string[]);
  const hits = names.map((n) => ({ n, m: pattern.exec(n) })).filter((h) => h.m && !pidAlive(Number(h.m[2])));
  // Old copies first: one may have to be restored before the rest are deleted.
  hits.sort((a, b) => Number(Boolean(b.m![3])) - Number(Boolean(a.m![3])));
  for (const { n, m } of hits) {
    const p = path.join(outDir, n);
    const isZip = Boolean(m![1]);
    const isOld = Boolean(m![3]);
    // A zip leftover where no zip is written (汇总) is not ours to restore: it goes.
    if (isZip && !zipPath) {
      await rm(path.join(outDir, n), { recursive: true, force: true });
      continue;
    }
    const target = isZip ? zipPath! : dir;
    if (isOld && !(await lstat(target).catch(() => undefined))) {
      await rename(p, target);
      diagnostics.push({
        severity: 'warning',
        code: 'package.recovered',
        file: target,
        message: `上次运行在替换时中断，已从临时副本恢复原有的${isZip ? '压缩包' : folderLabel}`,
      });
      continue;
    }
    if (isOld && !isZip && !onlyOurs) {
      // The previous folder carried the user's files; they must all be in the visible one before it goes.
      const owned = await ownedNames(p);
      const theirs = owned instanceof Set ? await userEntries(p, owned) : ['*'];
      const missing: string[] = [];
      for (const e of theirs) if (!(await lstat(path.join(target, ...e.split('/'))).catch(() => undefined))) missing.push(e);
      if (missing.length) {
        diagnostics.push({
          severity: 'warning',
          code: 'package.leftover-kept',
          file: p,
          message: `上次中断的运行留下了旧材料包的临时副本，其中有不在当前材料包中的文件（${missing.slice(0, 5).join('、')}），未删除；请检查后自行处理`,
        });
        continue;
      }
    }
    await rm(p, { recursive: true, force: true });
  }
  return diagnostics;
}

/**
 * Writes the package folder and its zip. The folder is ours file by file: its manifest lists
 * the names we wrote; a re-run replaces exactly those and carries every other entry (a scanned
 * sealed letter, an evidence folder) into the new folder. A name we want that holds something
 * we did not write (a file or folder not in the manifest, a user's zip) is refused, exit 2.
 *
 * The new folder is built complete under a hidden temporary name and swapped in by renames, so
 * a failure leaves the previous package; a kill leaves the previous or the new package, and the
 * next run restores or removes whatever the killed one left.
 */
export async function writePackageFolder(outDir: string, name: string, files: PackageFile[]): Promise<WrittenPackage> {
  const dir = path.join(outDir, name);
  const zipPath = path.join(outDir, `${name}.zip`);
  const stamp = tempStamp();
  const tmpDir = path.join(outDir, `.${name}.${stamp}.tmp`);
  const tmpZip = path.join(outDir, `.${name}.zip.${stamp}.tmp`);

  const diagnostics = await recoverLeftovers(outDir, name, dir, { zipPath }).catch(() => [] as Diagnostic[]);

  const existing = await lstat(dir).catch(() => undefined);
  let kept: string[] = [];
  if (existing) {
    if (existing.isSymbolicLink()) throw refuse(dir, '无法写入：输出目录中已有同名的符号链接，未覆盖；请换一个输出目录或先移走它');
    if (!existing.isDirectory()) throw refuse(dir, '无法写入：输出目录中已有同名文件（不是文件夹），未覆盖；请换一个输出目录或先移走该文件');
    const owned = await ownedNames(dir);
    if (owned === undefined) {
      throw refuse(dir, `无法写入：输出目录中已有同名文件夹，但不是 shenbao 生成的材料包（没有 ${MANIFEST_NAME}），未覆盖；请换一个输出目录或先移走该文件夹`);
    }
    if (owned === 'unreadable') {
      throw refuse(path.join(dir, MANIFEST_NAME), `无法写入：材料包中的 ${MANIFEST_NAME} 已损坏或不是 shenbao 写的，无法确定哪些文件由 shenbao 生成，未覆盖任何文件；请先移走该文件夹`);
    }
    kept = await userEntries(dir, owned);
    const wanted = new Set(files.map((f) => toPosix(path.normalize(f.name))));
    const clash = kept.filter((k) => wanted.has(k) || [...wanted].some((w) => w.startsWith(`${k}/`) || k.startsWith(`${w}/`)));
    if (clash.length) {
      throw refuse(
        path.join(dir, clash[0]!),
        `无法写入：材料包文件夹中的 ${clash.join('、')} 不是 shenbao 生成的（不在上次的 ${MANIFEST_NAME} 中），但本次要写入同名文件，未覆盖；请先改名或移走`,
      );
    }
  }
  const existingZip = await lstat(zipPath).catch(() => undefined);
  if (existingZip) {
    if (existingZip.isDirectory()) throw refuse(zipPath, '无法写入：输出目录中已有与压缩包同名的文件夹，未覆盖');
    if (!existingZip.isFile() || !(await isOwnZip(zipPath, name, existingZip.size))) {
      throw refuse(zipPath, '无法写入：输出目录中已有同名的压缩包，但不是 shenbao 生成的，未覆盖；请换一个输出目录或先移走该文件');
    }
  }

  const zip = new PizZip();
  // DOCX and PDF are compressed inside already (zip parts, Flate streams): deflating them again
  // gained 7% of the zip's size for most of the time spent writing it.
  for (const f of [...files].sort((a, b) => byCodeUnits(a.name, b.name))) {
    zip.file(`${name}/${f.name}`, f.bytes, /\.(docx|pdf)$/i.test(f.name) ? { compression: 'STORE' } : {});
  }
  const zipBytes = deterministicZip(zip);

  try {
    await makeDirs(tmpDir);
    for (const f of files) {
      const p = path.join(tmpDir, f.name);
      await makeDirs(path.dirname(p));
      await writeFile(p, f.bytes);
    }
    for (const k of kept) await carryOver(path.join(dir, ...k.split('/')), path.join(tmpDir, ...k.split('/')));
    await writeFile(tmpZip, zipBytes);
    // A file is replaced by one rename: the previous zip stays under its name until then.
    await swapFolder(dir, tmpDir, { written: 'written', oldMoved: 'old-moved', swapped: 'dir-swapped' }, () => rename(tmpZip, zipPath));
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(tmpZip, { force: true }).catch(() => undefined);
    throw new UserError([{ severity: 'error', code: 'io.write', file: dir, message: `无法写入申报材料包：${describeWriteError(err)}` }], 2);
  }
  if (kept.length) {
    const shownKept = kept.length > 5 ? `${kept.slice(0, 5).join('、')} 等 ${kept.length} 项` : kept.join('、');
    diagnostics.push({
      severity: 'warning',
      code: 'package.kept',
      file: dir,
      message: `材料包文件夹中有 ${kept.length} 项不是 shenbao 生成的（${shownKept}），已原样保留；只替换了 shenbao 上次生成的文件（压缩包中不含这些文件）`,
    });
  }
  return { dir, zip: zipPath, zipBytes, kept, diagnostics };
}
