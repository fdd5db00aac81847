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
  /**
   * True when convert renders the documents one after another and calls `options.before` ahead
   * of each (the native engine). A converter that takes them all at once (one soffice call)
   * leaves it out and ignores `before`.
   */
  readonly sequential?: boolean;
  /** `date` stamps the PDFs' metadata (from the data, so the same input gives the same bytes). */
  convert(docs: { name: string; bytes: Uint8Array }[], options?: ConvertOptions): Promise<{ pdfs: ConvertedPdf[]; diagnostics: Diagnostic[]; fonts: FontUse[] }>;
}

export interface ConvertOptions {
  date?: Date;
  /**
   * Asked by a sequential converter before document `index`, with the page counts of the ones
   * before it: the bytes to convert in its place, or undefined to convert it as given. The
   * package numbers its materials' pages on from each other this way in one pass.
   */
  before?: (index: number, pagesBefore: number[]) => Uint8Array | undefined;
}
