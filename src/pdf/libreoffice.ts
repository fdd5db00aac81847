/**
 * LibreOffice as the optional second engine (and the reference our tests compare against):
 * one soffice process converts many files, with a private profile so it neither touches the
 * user's nor collides with a running LibreOffice.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { UserError } from '../common/diagnostics.js';

const run = promisify(execFile);

/** Path of soffice, or undefined when LibreOffice is not installed. */
export function findSoffice(): string | undefined {
  const candidates = [
    process.env.SOFFICE,
    '/usr/bin/soffice', '/usr/local/bin/soffice', '/opt/libreoffice/program/soffice', '/snap/bin/libreoffice',
    '/Applications/LibreOffice.app/Contents/MacOS/soffice',
    'C:\\Program Files\\LibreOffice\\program\\soffice.exe', 'C:\\Program Files (x86)\\LibreOffice\\program\\soffice.exe',
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    for (const name of ['soffice', 'soffice.exe']) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Converts DOCX files to PDF in outDir (same base names); returns the PDF paths. Throws when soffice is missing or fails. */
export async function convertWithLibreOffice(docxPaths: string[], outDir: string, options: { timeoutMs?: number } = {}): Promise<string[]> {
  const soffice = findSoffice();
  if (!soffice) {
    throw new UserError([{ severity: 'error', code: 'pdf.no-libreoffice', message: '未找到 LibreOffice（soffice），无法用 --pdf-engine libreoffice 生成 PDF；请安装 LibreOffice，或改用默认的 --pdf-engine native' }], 2);
  }
  if (!docxPaths.length) return [];
  const profile = mkdtempSync(join(tmpdir(), 'shenbao-lo-'));
  try {
    await run(soffice, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, ...docxPaths], {
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 16 << 20,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const out = docxPaths.map((p) => join(outDir, basename(p).replace(/\.docx$/i, '') + '.pdf'));
  const missing = out.filter((p) => !existsSync(p));
  if (missing.length) {
    throw new UserError([{ severity: 'error', code: 'pdf.libreoffice-failed', message: `LibreOffice 未能转换：${missing.map((p) => basename(p)).join('、')}` }], 1);
  }
  return out;
}
