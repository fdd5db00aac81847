/**
 * The document model the PDF engine lays out: what a DOCX says, resolved (styles applied,
 * units converted to points), and nothing about how it was spelled in XML.
 */
import type { Diagnostic } from '../../common/diagnostics.js';

export type Align = 'left' | 'center' | 'right' | 'both' | 'distribute';

export interface RunProps {
  /** Latin face (w:rFonts ascii/hAnsi). */
  latinFont: string;
  /** Hanzi face (w:rFonts eastAsia). */
  eastAsiaFont: string;
  /** Points. */
  size: number;
  bold: boolean;
  italic: boolean;
  /** Extra advance after each character, points (w:spacing w:val in twentieths). */
  charSpacing: number;
  /** RRGGBB */
  color: string;
  underline: boolean;
  /**
   * Language of East Asian text (w:lang w:eastAsia) where a run sets one. LibreOffice ends a
   * text portion where it changes, which matters for character spacing (paragraph.ts).
   */
  eastAsiaLang?: string;
}

/** One side of a paragraph's border (w:pBdr); widths and spacing in points. */
export interface ParaBorder {
  /** ST_Border value: single, double, thickThinSmallGap, thinThickLargeGap, ... */
  style: string;
  /** w:sz in points (eighths of a point in the XML). */
  width: number;
  /** Distance from the text, points (w:space). */
  space: number;
  color: string;
}

export interface ParaBorders {
  top?: ParaBorder;
  bottom?: ParaBorder;
  left?: ParaBorder;
  right?: ParaBorder;
  between?: ParaBorder;
}

export interface ParaProps {
  styleId: string;
  align: Align;
  /** Points. */
  indLeft: number;
  indRight: number;
  /** Positive first-line indent or negative hanging, points (resolved against *Chars later). */
  firstLine: number;
  /** Hundredths of a character (w:firstLineChars / w:hangingChars as negative); wins over firstLine when set. */
  firstLineChars?: number;
  lineRule: 'auto' | 'exact' | 'atLeast';
  /** exact/atLeast: points; auto: multiple of single spacing. */
  line: number;
  before: number;
  after: number;
  keepNext: boolean;
  keepLines: boolean;
  pageBreakBefore: boolean;
  widowControl: boolean;
  outlineLevel?: number;
  kinsoku: boolean;
  overflowPunct: boolean;
  autoSpaceDE: boolean;
  autoSpaceDN: boolean;
  snapToGrid: boolean;
  /** Custom tab stops, points from the left indent origin (the text-area left edge). */
  tabs: number[];
  /** Paragraph borders (w:pBdr); undefined when none. */
  borders?: ParaBorders;
  /** Right-aligned, centred or leader tab stops; `tabs` keeps every stop's position. */
  tabStops?: TabStop[];
  /** The run properties of the paragraph mark (empty paragraph height). */
  markRun: RunProps;
}

export interface TabStop {
  /** Points from the left indent origin. */
  pos: number;
  align: 'left' | 'center' | 'right' | 'decimal';
  leader: 'none' | 'dot' | 'hyphen' | 'underscore' | 'middleDot' | 'heavy';
}

export type Inline =
  | { kind: 'text'; text: string; props: RunProps }
  | { kind: 'tab'; props: RunProps }
  | { kind: 'break'; type: 'line' | 'page' | 'column'; props: RunProps }
  | { kind: 'field'; field: 'PAGE' | 'NUMPAGES'; props: RunProps; fallback: string };

export interface Paragraph {
  kind: 'paragraph';
  /** Index among the body's block-level paragraphs (for diagnostics). */
  index: number;
  props: ParaProps;
  inlines: Inline[];
}

export interface Border {
  /** Points; 0 means none. */
  width: number;
  color: string;
}

export interface TableCell {
  gridSpan: number;
  vMerge?: 'restart' | 'continue';
  vAlign: 'top' | 'center' | 'bottom';
  blocks: Block[];
}

export interface TableRow {
  header: boolean;
  cantSplit: boolean;
  /** Points, with its rule; undefined = auto. */
  height?: { value: number; rule: 'atLeast' | 'exact' };
  cells: TableCell[];
}

export interface Table {
  kind: 'table';
  index: number;
  /** Column widths in points. */
  grid: number[];
  align: 'left' | 'center' | 'right';
  indent: number;
  borders: { top: Border; left: Border; bottom: Border; right: Border; insideH: Border; insideV: Border };
  cellMargin: { top: number; left: number; bottom: number; right: number };
  rows: TableRow[];
}

export type Block = Paragraph | Table;

export interface HeaderFooter {
  blocks: Block[];
}

export interface Section {
  pageWidth: number;
  pageHeight: number;
  margin: { top: number; right: number; bottom: number; left: number; header: number; footer: number };
  grid: { type: 'default' | 'lines' | 'linesAndChars' | 'snapToChars'; linePitch: number; charSpace: number };
  headers: { default?: HeaderFooter; even?: HeaderFooter; first?: HeaderFooter };
  footers: { default?: HeaderFooter; even?: HeaderFooter; first?: HeaderFooter };
  titlePage: boolean;
  pageNumberStart?: number;
}

export interface CoreProps {
  title?: string;
  subject?: string;
  creator?: string;
  keywords?: string;
  created?: Date;
  modified?: Date;
}

export interface DocModel {
  blocks: Block[];
  section: Section;
  evenAndOddHeaders: boolean;
  /** Points (w:defaultTabStop). */
  defaultTab: number;
  core: CoreProps;
  diagnostics: Diagnostic[];
}
