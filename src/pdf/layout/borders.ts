/**
 * Paragraph borders (w:pBdr) as the strokes that draw them. Compound styles follow the widths
 * LibreOffice derives from Word's (editeng ConvertBorderWidthFromWord): a small gap and the thin
 * line of a thick–thin pair are 0.75 pt, w:sz sets the thick line; in the large-gap styles w:sz
 * sets the gap between a 1.5 pt and a 0.75 pt line. "thickThin" names the line nearer the text
 * first (ECMA-376 17.18.2: a thick line contained within a thin one), so a bottom border
 * thickThinLargeGap is thick over thin and the same style as a top border is thin over thick;
 * measured on LibreOffice 7.4's PDF at 576 dpi.
 */
import type { ParaBorder } from '../docx/model.js';

/** One stroke: its offset from the side nearer the text, and its width, points. */
export interface Stroke {
  offset: number;
  width: number;
}

const THIN = 0.75;

/** Strokes from the text side outwards, and the border's total thickness. */
export function borderStrokes(b: ParaBorder): { strokes: Stroke[]; thickness: number } {
  const w = b.width;
  // Lines listed from the text side outwards, with the gaps between them.
  let parts: number[];
  switch (b.style) {
    case 'double':
      parts = [w, w, w];
      break;
    case 'thickThinSmallGap':
      parts = [w, THIN, THIN];
      break;
    case 'thinThickSmallGap':
      parts = [THIN, THIN, w];
      break;
    case 'thickThinMediumGap':
      parts = [w, w / 2, w / 2];
      break;
    case 'thinThickMediumGap':
      parts = [w / 2, w / 2, w];
      break;
    case 'thickThinLargeGap':
      parts = [2 * THIN, w, THIN];
      break;
    case 'thinThickLargeGap':
      parts = [THIN, w, 2 * THIN];
      break;
    default:
      parts = [w];
  }
  const strokes: Stroke[] = [];
  let at = 0;
  parts.forEach((p, i) => {
    if (i % 2 === 0) strokes.push({ offset: at, width: p });
    at += p;
  });
  return { strokes, thickness: at };
}

/** Room a border takes in the paragraph's height: its distance from the text plus its thickness. */
export function borderExtent(b: ParaBorder | undefined): number {
  return b ? b.space + borderStrokes(b).thickness : 0;
}

/** Two paragraphs share one border box when their borders and indents are the same (Word and LibreOffice). */
export function sameBorderGroup(a: { borders?: unknown; indLeft: number; indRight: number }, b: { borders?: unknown; indLeft: number; indRight: number }): boolean {
  return !!a.borders && !!b.borders && JSON.stringify(a.borders) === JSON.stringify(b.borders) && a.indLeft === b.indLeft && a.indRight === b.indRight;
}
