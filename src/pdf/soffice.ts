import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { UserError } from '../common/diagnostics.js';
import type { ConvertedPdf, PdfConverter } from '../package/types.js';

const run = promisify(execFile);

const CANDIDATES = [
  process.env.SHENBAO_SOFFICE,
  '/usr/bin/soffice',
  '/usr/local/bin/soffice',
  '/opt/libreoffice/program/soffice',
  '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
  'C:\\Program Files (x86)\\LibreOffice\\program\\soffice.exe',
].filter((x): x is string => Boolean(x));

/** Path of LibreOffice's soffice, or undefined when it is not installed. */
export function findSoffice(): string | undefined {
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['soffice', 'soffice.exe', 'libreoffice']) {
      const p = path.join(dir, name);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

/**
 * Converts DOCX files to PDF with LibreOffice in one soffice call (it starts slowly: ~3 s).
 * A private profile folder keeps parallel runs from fighting over the user's profile lock.
 */
export async function convertWithSoffice(docs: { name: string; bytes: Uint8Array }[]): Promise<ConvertedPdf[]> {
  const soffice = findSoffice();
  if (!soffice) {
    throw new UserError(
      [{ severity: 'error', code: 'pdf.no-libreoffice', message: '未找到 LibreOffice（soffice），无法用 --pdf-engine libreoffice 生成 PDF；请安装 LibreOffice，或改用默认的 --pdf-engine native' }],
      2,
    );
  }
  const work = await mkdtemp(path.join(tmpdir(), 'shenbao-soffice-'));
  try {
    const inputs: string[] = [];
    for (const [i, d] of docs.entries()) {
      // ASCII names: soffice on some systems mangles non-ASCII paths.
      const p = path.join(work, `doc${String(i).padStart(3, '0')}.docx`);
      await writeFile(p, d.bytes);
      inputs.push(p);
    }
    const profile = `file://${path.join(work, 'profile')}`;
    await run(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', work, ...inputs], {
      timeout: 120_000 + 20_000 * docs.length,
      maxBuffer: 16 * 1024 * 1024,
    });
    const out: ConvertedPdf[] = [];
    for (const [i, d] of docs.entries()) {
      const pdfPath = inputs[i]!.replace(/\.docx$/, '.pdf');
      if (!existsSync(pdfPath)) {
        throw new UserError([{ severity: 'error', code: 'pdf.libreoffice-failed', message: `LibreOffice 未能转换 ${d.name}` }], 1);
      }
      const bytes = new Uint8Array(await readFile(pdfPath));
      out.push({ bytes, pages: (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount() });
    }
    return out;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * LibreOffice stamps the clock and a random /ID into every PDF; re-saving through pdf-lib with
 * the data's date makes its output as reproducible as the native engine's.
 */
export async function stampPdf(bytes: Uint8Array, date: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setProducer('shenbao (LibreOffice)');
  doc.context.trailerInfo.ID = undefined;
  return doc.save({ useObjectStreams: false });
}

export const libreOfficeConverter: PdfConverter = {
  name: 'libreoffice',
  async convert(docs, options) {
    const pdfs = await convertWithSoffice(docs);
    if (options?.date) for (const p of pdfs) p.bytes = await stampPdf(p.bytes, options.date);
    return { pdfs, diagnostics: [], fonts: [] };
  },
};
