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

/** Each run of text with the name of the font it is drawn in (the PDF's BaseFont, subset tag and all). */
export async function pdfTextRuns(bytes: Uint8Array): Promise<{ page: number; str: string; font: string }[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const runs: { page: number; str: string; font: string }[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    // Loads the page's fonts, so their names can be read from the page's objects.
    await page.getOperatorList();
    const content = await page.getTextContent();
    for (const it of content.items) {
      if (!('str' in it) || !it.str.trim()) continue;
      const font = page.commonObjs.has(it.fontName) ? (page.commonObjs.get(it.fontName) as { name?: string }).name ?? '' : '';
      runs.push({ page: i, str: it.str, font });
    }
  }
  await doc.destroy();
  return runs;
}
