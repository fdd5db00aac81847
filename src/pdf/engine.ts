import { UserError, type Diagnostic } from '../common/diagnostics.js';
import type { FontUse, PdfConverter } from '../package/types.js';
import { renderPdf } from './index.js';
import { libreOfficeConverter } from './soffice.js';

export type EngineName = 'native' | 'libreoffice';

/** Our own layout engine: no external software, the fonts it used reported for the manifest. */
export function nativeConverter(options: { fonts?: string }): PdfConverter {
  return {
    name: 'native',
    async convert(docs) {
      const pdfs = [];
      const diagnostics: Diagnostic[] = [];
      const fonts = new Map<string, FontUse>();
      for (const d of docs) {
        const r = await renderPdf(d.bytes, { fonts: options.fonts });
        pdfs.push({ bytes: r.bytes, pages: r.pages });
        // Each document would repeat the same font substitution: report it once, naming the first file.
        for (const diag of r.diagnostics) {
          if (diag.code === 'pdf.font-substitute' && diagnostics.some((x) => x.code === diag.code && x.received === diag.received)) continue;
          diagnostics.push({ ...diag, file: diag.file ?? d.name });
        }
        for (const f of r.fonts) {
          if (!fonts.has(f.requested)) fonts.set(f.requested, { requested: f.requested, used: f.face ?? '（无）', file: f.file, substituted: f.substitute || !f.file });
        }
      }
      return { pdfs, diagnostics, fonts: [...fonts.values()] };
    },
  };
}

/** The PDF engine the user chose; both hand the package the same kind of result. */
export async function pdfConverter(name: string, options: { fonts?: string }): Promise<PdfConverter> {
  if (name === 'libreoffice') return libreOfficeConverter;
  if (name === 'native') return nativeConverter(options);
  throw new UserError([{ severity: 'error', code: 'usage.engine', message: `--pdf-engine 只能是 native 或 libreoffice（收到 ${name}）` }], 2);
}
