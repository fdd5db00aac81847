import type { Diagnostic } from '../common/diagnostics.js';

/** What a PDF engine reports about the fonts it used: the manifest lists these. */
export interface FontUse {
  /** The family the DOCX asks for, e.g. 仿宋_GB2312 */
  requested: string;
  /** The face actually embedded, e.g. Noto Serif CJK SC */
  used: string;
  file?: string;
  substituted: boolean;
}

export interface ConvertedPdf {
  bytes: Uint8Array;
  pages: number;
}

/**
 * The package does not care which engine made its PDFs (native layout or LibreOffice): both
 * come in through this interface.
 */
export interface PdfConverter {
  readonly name: string;
  /** `date` stamps the PDFs' metadata (from the data, so the same input gives the same bytes). */
  convert(docs: { name: string; bytes: Uint8Array }[], options?: { date?: Date }): Promise<{ pdfs: ConvertedPdf[]; diagnostics: Diagnostic[]; fonts: FontUse[] }>;
}
