import { UserError, type Diagnostic } from '../common/diagnostics.js';
import type { FontUse, PdfConverter } from '../package/types.js';
import { missingGlyphDiagnostic, renderPdf } from './index.js';
import { libreOfficeConverter } from './soffice.js';

export type EngineName = 'native' | 'libreoffice';

export interface PdfEngineOptions {
  /** A folder of fonts searched before the system's (--fonts DIR). */
  fonts?: string;
  /** Accept blanks where no font has a character (--allow-blank): a warning, not an error. */
  allowBlank?: boolean;
  /** Every place of a missing character (--verbose), not only the first few. */
  verbose?: boolean;
}

/** Our own layout engine: no external software, the fonts it used reported for the manifest. */
export function nativeConverter(options: PdfEngineOptions): PdfConverter {
  return {
    name: 'native',
    sequential: true,
    async convert(docs, convertOptions) {
      const pdfs = [];
      const diagnostics: Diagnostic[] = [];
      const fonts = new Map<string, FontUse>();
      // A missing character is reported once for the whole set: its count, the documents, the first places.
      const missing = new Map<string, { doc: string; where: string }[]>();
      for (const [i, d] of docs.entries()) {
        const bytes = convertOptions?.before?.(i, pdfs.map((p) => p.pages)) ?? d.bytes;
        const r = await renderPdf(bytes, { fonts: options.fonts, allowBlank: options.allowBlank });
        pdfs.push({ bytes: r.bytes, pages: r.pages });
        for (const [char, places] of r.missing) {
          const m = missing.get(char) ?? [];
          m.push(...places.map((where) => ({ doc: d.name, where })));
          missing.set(char, m);
        }
        // Each document would repeat the same font substitution: report it once, naming the first file.
        for (const diag of r.diagnostics) {
          if (diag.code === 'pdf.glyph-missing') continue;
          if (diag.code === 'pdf.font-substitute' && diagnostics.some((x) => x.code === diag.code && x.received === diag.received)) continue;
          diagnostics.push({ ...diag, file: diag.file ?? d.name });
        }
        for (const f of r.fonts) {
          if (!fonts.has(f.requested)) fonts.set(f.requested, { requested: f.requested, used: f.face ?? '（无）', file: f.file, substituted: f.substitute || !f.file });
        }
      }
      for (const [char, m] of missing) {
        const documents = new Set(m.map((p) => p.doc));
        // One document: the diagnostic names it; several: each place does.
        const places = m.map((p) => (documents.size > 1 ? `${p.doc} ${p.where}` : p.where));
        diagnostics.push({ ...missingGlyphDiagnostic(char, places, options), ...(documents.size === 1 ? { file: m[0]!.doc } : {}) });
      }
      return { pdfs, diagnostics, fonts: [...fonts.values()] };
    },
  };
}

/** The PDF engine the user chose; both hand the package the same kind of result. */
export async function pdfConverter(name: string, options: PdfEngineOptions): Promise<PdfConverter> {
  if (name === 'libreoffice') return libreOfficeConverter;
  if (name === 'native') return nativeConverter(options);
  throw new UserError([{ severity: 'error', code: 'usage.engine', message: `--pdf-engine 只能是 native 或 libreoffice（收到 ${name}）` }], 2);
}
