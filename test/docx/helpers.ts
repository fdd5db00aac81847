import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import PizZip from 'pizzip';

/** Text of a DOCX part: paragraphs on their own lines, tabs as spaces, entities decoded. */
export function partText(bytes: Buffer, part = 'word/document.xml'): string {
  const xml = new PizZip(bytes).file(part)?.asText() ?? '';
  return xml
    .replace(/<w:tab\/>/g, ' ')
    .replace(/<w:br\/>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    // The word joiners that hold a figure to its unit (src/docx/keep.ts) are not text a reader sees.
    .replace(/\u2060/g, '');
}

export function docText(bytes: Buffer): string {
  return ['word/header1.xml', 'word/document.xml', 'word/footer1.xml'].map((p) => partText(bytes, p)).join('\n');
}

export function setPart(bytes: Buffer, part: string, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(bytes);
  zip.file(part, edit(zip.file(part)!.asText()));
  return zip.generate({ type: 'nodebuffer' });
}

export const hasSoffice = (() => {
  try {
    return existsSync('/usr/bin/soffice') || execFileSync('which', ['soffice']).length > 0;
  } catch {
    return false;
  }
})();
