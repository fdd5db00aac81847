/**
 * Text read back from a PDF with pdf.js (an npm library), so tests of what a PDF shows need no
 * poppler on the machine.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Each page's text, in drawing order: runs joined as they are, a line break where pdf.js sees a line end. */
export async function pdfPagesText(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}
