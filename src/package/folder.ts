import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';
import { UserError } from '../common/diagnostics.js';
import { describeWriteError, tempStamp } from '../common/fsutil.js';
import { deterministicZip } from '../docx/zip.js';
import { byCodeUnits } from '../common/format.js';

export interface PackageFile {
  /** Path inside the package folder, e.g. 01-申报函.pdf */
  name: string;
  bytes: Uint8Array;
}

/** What marks a folder as a package shenbao wrote (and may therefore replace): its manifest. */
export const MANIFEST_NAME = 'manifest.json';

function refuse(file: string, message: string): UserError {
  return new UserError([{ severity: 'error', code: 'io.exists', file, message }], 2);
}

/**
 * Writes the package folder and its zip as one step. Both are written under temporary names,
 * then renamed into place together; a failure at any point leaves the previous package and zip
 * (or nothing), never a new folder beside a stale zip. Only a folder shenbao wrote is replaced:
 * a user's own file or folder of the same name is left alone and reported.
 */
export async function writePackageFolder(outDir: string, name: string, files: PackageFile[]): Promise<{ dir: string; zip: string; zipBytes: Uint8Array }> {
  const dir = path.join(outDir, name);
  const zipPath = path.join(outDir, `${name}.zip`);
  const stamp = tempStamp();
  const tmpDir = path.join(outDir, `.${name}.${stamp}.tmp`);
  const tmpZip = path.join(outDir, `.${name}.zip.${stamp}.tmp`);
  const oldDir = `${tmpDir}.old`;
  const oldZip = `${tmpZip}.old`;

  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw refuse(dir, '无法写入：输出目录中已有同名文件（不是文件夹），未覆盖；请换一个输出目录或先移走该文件');
  if (existing && !existsSync(path.join(dir, MANIFEST_NAME))) {
    throw refuse(dir, `无法写入：输出目录中已有同名文件夹，但不是 shenbao 生成的材料包（没有 ${MANIFEST_NAME}），未覆盖；请换一个输出目录或先移走该文件夹`);
  }
  const existingZip = await stat(zipPath).catch(() => undefined);
  if (existingZip?.isDirectory()) throw refuse(zipPath, '无法写入：输出目录中已有与压缩包同名的文件夹，未覆盖');

  const zip = new PizZip();
  for (const f of [...files].sort((a, b) => byCodeUnits(a.name, b.name))) zip.file(`${name}/${f.name}`, f.bytes);
  const zipBytes = deterministicZip(zip);

  const moved: [string, string][] = [];
  const move = async (from: string, to: string) => {
    await rename(from, to);
    moved.push([from, to]);
  };
  try {
    await mkdir(tmpDir, { recursive: true });
    for (const f of files) {
      const p = path.join(tmpDir, f.name);
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, f.bytes);
    }
    await writeFile(tmpZip, zipBytes);
    if (existing) await move(dir, oldDir);
    if (existingZip) await move(zipPath, oldZip);
    await move(tmpDir, dir);
    await move(tmpZip, zipPath);
  } catch (err) {
    // Undo in reverse order: the previous package comes back as it was.
    for (const [from, to] of moved.reverse()) await rename(to, from).catch(() => undefined);
    await rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(tmpZip, { force: true }).catch(() => undefined);
    throw new UserError([{ severity: 'error', code: 'io.write', file: dir, message: `无法写入申报材料包：${describeWriteError(err)}` }], 2);
  }
  await rm(oldDir, { recursive: true, force: true }).catch(() => undefined);
  await rm(oldZip, { force: true }).catch(() => undefined);
  return { dir, zip: zipPath, zipBytes };
}
