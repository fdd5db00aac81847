import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { ConvertedPdf, PdfConverter } from '../package/types.js';
import { convertWithLibreOffice } from './libreoffice.js';

/** DOCX bytes through LibreOffice, all in one soffice call (it starts slowly: ~3 s). */
export async function convertWithSoffice(docs: { name: string; bytes: Uint8Array }[]): Promise<ConvertedPdf[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'shenbao-soffice-'));
  try {
    // ASCII names: soffice on some systems mangles non-ASCII paths.
    const inputs = docs.map((_, i) => path.join(work, `doc${String(i).padStart(3, '0')}.docx`));
    await Promise.all(docs.map((d, i) => writeFile(inputs[i]!, d.bytes)));
    const pdfPaths = await convertWithLibreOffice(inputs, work, { timeoutMs: 120_000 + 20_000 * docs.length });
    return Promise.all(
      pdfPaths.map(async (p) => {
        const bytes = new Uint8Array(await readFile(p));
        return { bytes, pages: (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount() };
      }),
    );
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
