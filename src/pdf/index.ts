/**
 * The PDF stage: DOCX bytes in, PDF bytes out, laid out by our engine (docx → layout → write),
 * with the fonts it used and everything it could not do reported as diagnostics. It reads only
 * the DOCX: the DOCX is the single source of truth (DESIGN.md).
 */
import type { Diagnostic } from '../common/diagnostics.js';
import { byCodeUnits } from '../common/format.js';
import { readDocx } from './docx/read.js';
import { FontSet, saveFaceMetrics } from './fonts/face.js';
import type { FontReport } from './fonts/resolve.js';
import { Paginator } from './layout/paginate.js';
import { writePdf } from './write/pdf.js';

export type { FontReport } from './fonts/resolve.js';
export { convertWithLibreOffice, findSoffice } from './libreoffice.js';
export { doctorFonts, type FontDoctorReport } from './doctor.js';

export interface RenderPdfOptions {
  /** A folder of fonts searched before the system's (--fonts DIR). */
  fonts?: string;
  /** Replace the system font folders (tests). */
  systemFontDirs?: string[];
  /** Leave out the stand-ins installed from npm (tests). */
  noBundledFonts?: boolean;
  /**
   * A character no font can draw is an error (the PDF would show a blank there) unless the user
   * accepts blanks; then it is a warning.
   */
  allowBlank?: boolean;
  /** Name every place of a missing character, not only the first few. */
  verbose?: boolean;
  /** Also answer each page's text as laid out (the editor finds the page a field's text is on). */
  pageText?: boolean;
}

/** How many places of a missing character a message names without --verbose. */
export const FIRST_PLACES = 3;

/** U+XXXX, as a font tool shows a code point. */
export function codePointLabel(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * One diagnostic per missing character, whatever its count: a document set in a face without
 * Hanzi would otherwise print one line per character drawn.
 */
export function missingGlyphDiagnostic(char: string, places: string[], options: { allowBlank?: boolean; verbose?: boolean }): Diagnostic {
  const shown = options.verbose ? places : places.slice(0, FIRST_PLACES);
  const more = places.length > shown.length ? ` 等（--verbose 列出全部）` : '';
  const consequence = options.allowBlank ? 'PDF 中这些地方为空白' : '生成的 PDF 将在这些地方留白，因此未生成；请用 --fonts 指定含该字的字体，或加 --allow-blank 接受留白';
  return {
    severity: options.allowBlank ? 'warning' : 'error',
    code: 'pdf.glyph-missing',
    message: `所有可用字体中都没有字符“${char}”（${codePointLabel(char)}），共 ${places.length} 处：${shown.join('；')}${more}。${consequence}`,
    received: char,
  };
}

export interface RenderPdfResult {
  bytes: Uint8Array;
  pages: number;
  diagnostics: Diagnostic[];
  fonts: FontReport[];
  /** Each character no font has → the places it occurs (for grouping over several documents). */
  missing: Map<string, string[]>;
  /** Each page's characters in drawing order, when `pageText` was asked for. */
  pageText?: string[];
}

export async function renderPdf(docxBytes: Uint8Array, options: RenderPdfOptions = {}): Promise<RenderPdfResult> {
  const model = readDocx(docxBytes);
  const diagnostics: Diagnostic[] = [...model.diagnostics];
  const fonts = new FontSet({ fonts: options.fonts, systemDirs: options.systemFontDirs, noBundled: options.noBundledFonts });
  const paginator = new Paginator(model, fonts, model.defaultTab);
  const layout = paginator.run();
  diagnostics.push(...paginator.warnings);
  const reports = [...fonts.reports.values()].sort((a, b) => byCodeUnits(a.requested, b.requested));
  for (const r of reports) {
    if (!r.file) {
      diagnostics.push({ severity: 'warning', code: 'pdf.font-missing', message: `找不到字体 ${r.requested}，也没有可替代的字体`, received: r.requested });
    } else if (r.substitute) {
      diagnostics.push({ severity: 'warning', code: 'pdf.font-substitute', message: `未安装字体 ${r.requested}，已用 ${r.face}（${r.package ? `npm 包 ${r.package}，` : ''}${r.file}）代替；正式报送前请在装有该字体的电脑上核对`, received: r.requested });
    }
  }
  const missing = new Map<string, string[]>();
  for (const m of fonts.missing) {
    const places = missing.get(m.char) ?? [];
    places.push(m.where);
    missing.set(m.char, places);
  }
  for (const [char, places] of missing) diagnostics.push(missingGlyphDiagnostic(char, places, options));
  const bytes = await writePdf(layout, { core: model.core, faces: fonts.allFaces() });
  saveFaceMetrics();
  const pageText = options.pageText ? layout.pages.map((p) => p.items.map((it) => (it.kind === 'text' ? it.glyphs.map((g) => g.ch).join('') : '')).join('')) : undefined;
  return { bytes, pages: layout.pages.length, diagnostics, fonts: reports, missing, ...(pageText ? { pageText } : {}) };
}
