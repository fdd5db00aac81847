import PizZip from '../common/pizzip.js';
import { deterministicZip } from './zip.js';

/** Children of w:sectPr that come after w:pgNumType (ECMA-376 CT_SectPr order). */
const AFTER_PGNUMTYPE = ['cols', 'formProt', 'vAlign', 'noEndnote', 'titlePg', 'textDirection', 'bidi', 'rtlGutter', 'docGrid', 'printerSettings'];

/**
 * The same DOCX with its page numbers starting at `start` (w:pgNumType w:start on the first
 * section). An attachment bound behind a letter continues the letter's numbers (GB/T 9704 7.5):
 * its own file carries the numbers it has in the bound set, so the DOCX, its PDF and the 材料汇编
 * print the same page numbers.
 */
export function withPageNumberStart(docx: Buffer, start: number): Buffer {
  const zip = new PizZip(docx);
  const file = zip.file('word/document.xml');
  if (!file) return docx;
  const xml = file.asText();
  const open = /<w:sectPr\b[^>]*?(\/>|>)/.exec(xml);
  if (!open) return docx;
  let out: string;
  if (open[1] === '/>') {
    out = `${xml.slice(0, open.index)}<w:sectPr${open[0].slice('<w:sectPr'.length, -2)}><w:pgNumType w:start="${start}"/></w:sectPr>${xml.slice(open.index + open[0].length)}`;
  } else {
    const bodyStart = open.index + open[0].length;
    const bodyEnd = xml.indexOf('</w:sectPr>', bodyStart);
    const body = xml.slice(bodyStart, bodyEnd);
    const existing = /<w:pgNumType\b([^>]*?)\/?>(?:<\/w:pgNumType>)?/.exec(body);
    let next: string;
    if (existing) {
      const attrs = existing[1]!.replace(/\s+w:start="[^"]*"/, '');
      next = body.slice(0, existing.index) + `<w:pgNumType${attrs} w:start="${start}"/>` + body.slice(existing.index + existing[0].length);
    } else {
      const at = AFTER_PGNUMTYPE.map((n) => body.search(new RegExp(`<w:${n}\\b`))).filter((i) => i >= 0);
      const i = at.length ? Math.min(...at) : body.length;
      next = `${body.slice(0, i)}<w:pgNumType w:start="${start}"/>${body.slice(i)}`;
    }
    out = xml.slice(0, bodyStart) + next + xml.slice(bodyEnd);
  }
  zip.file('word/document.xml', out);
  return deterministicZip(zip);
}
