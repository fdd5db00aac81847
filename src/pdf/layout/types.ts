import type { Face } from '../fonts/face.js';

/**
 * One character as drawn: face, size, colour and advance. Immutable and shared between every
 * occurrence of the same character in the same run style, so a paragraph of two million
 * characters costs an array slot and a position per character, not an object; positions live
 * in the line's `xs`.
 */
export interface Glyph {
  readonly ch: string;
  readonly cp: number;
  readonly face?: Face;
  readonly size: number;
  readonly color: string;
  /** Natural advance including character spacing. */
  readonly width: number;
  /** Field placeholder (PAGE) resolved at drawing time. */
  readonly field?: 'PAGE' | 'NUMPAGES';
  readonly bold: boolean;
  /** Where the drawn glyph starts inside its advance (a dash set in a wider cell), points. */
  readonly inset?: number;
  /** The run's East Asian language where it sets one (a portion boundary in LibreOffice). */
  readonly lang?: string;
}

export interface Line {
  glyphs: Glyph[];
  /** Left edge of each glyph, points from the line box's left edge. */
  xs: number[];
  /** Left edge of the line box relative to the paragraph's box, points. */
  x: number;
  /** Height of the line box and baseline offset from its top. */
  height: number;
  baseline: number;
  /** Width of the text the line holds (for alignment checks). */
  width: number;
  pageBreakAfter?: boolean;
}

export interface DrawText {
  kind: 'text';
  x: number;
  /** Baseline, points from the page top. */
  y: number;
  glyphs: Glyph[];
  /** Left edge of each glyph relative to x. */
  xs: number[];
}
export interface DrawRule {
  kind: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: string;
}
export type DrawItem = DrawText | DrawRule;

export interface OutlineEntry {
  title: string;
  level: number;
  page: number;
  /** Points from the page top. */
  y: number;
}

export interface Page {
  number: number;
  items: DrawItem[];
}

export interface LayoutResult {
  pages: Page[];
  width: number;
  height: number;
  outline: OutlineEntry[];
}
