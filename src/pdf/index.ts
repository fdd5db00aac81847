/**
 * The PDF stage: DOCX bytes in, PDF bytes out, laid out by our engine (docx → layout → write),
 * with the fonts it used and everything it could not do reported as diagnostics. It reads only
 * the DOCX: the DOCX is the single source of truth (DESIGN.md).
 */
import type { Diagnostic } from '../common/diagnostics.js';
import { byCodeUnits } from '../common/format.js';
import { readDocx } from './docx/read.js';
import { FontSet } from './fonts/face.js';
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
}

export interface RenderPdfResult {
  bytes: Uint8Array;
  pages: number;
  diagnostics: Diagnostic[];
  fonts: FontReport[];
}

export async function renderPdf(docxBytes: Uint8Array, options: RenderPdfOptions = {}): Promise<RenderPdfResult> {
  const model = readDocx(docxBytes);
  const diagnostics: Diagnostic[] = [...model.diagnostics];
  const fonts = new FontSet({ fonts: options.fonts, systemDirs: options.systemFontDirs });
  const paginator = new Paginator(model, fonts, model.defaultTab);
  const layout = paginator.run();
  diagnostics.push(...paginator.warnings);
  const reports = [...fonts.reports.values()].sort((a, b) => byCodeUnits(a.requested, b.requested));
  for (const r of reports) {
    if (!r.file) {
      diagnostics.push({ severity: 'warning', code: 'pdf.font-missing', message: `找不到字体 ${r.requested}，也没有可替代的字体`, received: r.requested });
    } else if (r.substitute) {
      diagnostics.push({ severity: 'warning', code: 'pdf.font-substitute', message: `未安装字体 ${r.requested}，已用 ${r.face}（${r.file}）代替；正式报送前请在装有该字体的电脑上核对`, received: r.requested });
    }
  }
  const seen = new Set<string>();
  for (const m of fonts.missing) {
    const k = `${m.char}@${m.where}`;
    if (seen.has(k)) continue;
    seen.add(k);
    diagnostics.push({ severity: 'warning', code: 'pdf.glyph-missing', message: `所有可用字体中都没有字符“${m.char}”（U+${m.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}），PDF 中该处为空白：${m.where}`, received: m.char });
  }
  const bytes = await writePdf(layout, { core: model.core, faces: fonts.allFaces() });
  return { bytes, pages: layout.pages.length, diagnostics, fonts: reports };
}
