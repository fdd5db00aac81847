import type { Face } from '../fonts/face.js';

/** One positioned glyph; x is relative to the line's left edge, in points. */
export interface Glyph {
  ch: string;
  cp: number;
  face?: Face;
  size: number;
  color: string;
  x: number;
  /** Natural advance including character spacing. */
  width: number;
  /** Field placeholder (PAGE) resolved at drawing time. */
  field?: 'PAGE' | 'NUMPAGES';
  bold: boolean;
  /** A tab leader's fill character: placed by the tab, never moved by justification. */
  leader?: boolean;
}

export interface Line {
  glyphs: Glyph[];
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
