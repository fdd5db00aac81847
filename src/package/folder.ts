import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import PizZip from 'pizzip';
import { UserError } from '../common/diagnostics.js';
import { describeWriteError, writeFileAtomic } from '../common/fsutil.js';
import { deterministicZip } from '../docx/zip.js';

export interface PackageFile {
  /** Path inside the package folder, e.g. 01-申报函.pdf */
  name: string;
  bytes: Uint8Array;
}

/**
 * Writes the package folder and its zip. Everything goes into a hidden temporary folder first
 * and is renamed into place at the end: a failure leaves the previous package (or nothing), never
 * a half-written one.
 */
export async function writePackageFolder(outDir: string, name: string, files: PackageFile[]): Promise<{ dir: string; zip: string; zipBytes: Uint8Array }> {
  const dir = path.join(outDir, name);
  const tmp = path.join(outDir, `.${name}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const zipPath = path.join(outDir, `${name}.zip`);
  const zip = new PizZip();
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name, 'en'))) zip.file(`${name}/${f.name}`, f.bytes);
  const zipBytes = deterministicZip(zip);
  try {
    await mkdir(tmp, { recursive: true });
    for (const f of files) {
      const p = path.join(tmp, f.name);
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, f.bytes);
    }
    const old = `${tmp}.old`;
    await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new UserError([{ severity: 'error', code: 'io.write', file: dir, message: `无法写入申报材料包：${describeWriteError(err)}` }], 2);
  }
  await writeFileAtomic(zipPath, zipBytes);
  return { dir, zip: zipPath, zipBytes };
}
