/**
 * Blocks → pages: stacks line boxes from the top margin, breaks pages where the next line does
 * not fit, keeps a keepNext paragraph with the first line of the next block, applies widow and
 * orphan control where the paragraph asks for it, honours page breaks, lays tables row by row
 * (cantSplit rows move whole, header rows repeat) and draws headers and footers per page with
 * the even/odd choice of w:evenAndOddHeaders.
 */
import type { Block, DocModel, HeaderFooter, ParaBorder, Paragraph, Table } from '../docx/model.js';
import type { FontSet } from '../fonts/face.js';
import { borderExtent, borderStrokes, sameBorderGroup } from './borders.js';
import { layoutParagraph, type ParagraphContext } from './paragraph.js';
import type { DrawItem, LayoutResult, Line, OutlineEntry, Page } from './types.js';

const EPS = 0.05;

interface Placed {
  /** Items relative to the block's top-left. */
  items: DrawItem[];
  height: number;
}

export class Paginator {
  private pages: Page[] = [];
  private y = 0;
  private readonly outline: OutlineEntry[] = [];
  private readonly left: number;
  private readonly top: number;
  private readonly bottom: number;
  private readonly width: number;

  constructor(
    private readonly doc: DocModel,
    private readonly fonts: FontSet,
    private readonly defaultTab: number,
  ) {
    const s = doc.section;
    this.left = s.margin.left;
    this.top = s.margin.top;
    this.bottom = s.pageHeight - s.margin.bottom;
    this.width = s.pageWidth - s.margin.left - s.margin.right;
  }

  private get page(): Page {
    if (!this.pages.length) this.newPage();
    return this.pages[this.pages.length - 1]!;
  }

  private newPage(): void {
    this.pages.push({ number: this.pages.length + 1, items: [] });
    this.y = this.top;
  }

  private ctx(width: number, grid: boolean, where: (o: number) => string, field?: ParagraphContext['field'], inTable = false): ParagraphContext {
    const g = this.doc.section.grid;
    return { fonts: this.fonts, width, defaultTab: this.defaultTab, gridPitch: grid && g.type !== 'default' ? g.linePitch : 0, field, where, inTable };
  }

  private where(p: Paragraph): (offset: number) => string {
    const text = p.inlines.map((i) => (i.kind === 'text' ? i.text : '')).join('');
    return (o) => `第 ${p.index + 1} 段第 ${o + 1} 个字符（“${text.slice(Math.max(0, o - 4), o + 6)}”）`;
  }

  private textItems(lines: Line[], x0: number, y0: number): { items: DrawItem[]; height: number } {
    const items: DrawItem[] = [];
    let y = y0;
    for (const l of lines) {
      if (l.glyphs.length) items.push({ kind: 'text', x: x0 + l.x, y: y + l.baseline, glyphs: l.glyphs });
      y += l.height;
    }
    return { items, height: y - y0 };
  }

  /** Body paragraphs are laid out once: keepNext measures the next block's first line, then places it. */
  private readonly laidOut = new Map<Paragraph, { width: number; grid: boolean; lines: Line[] }>();
  private paragraphLines(p: Paragraph, width: number, grid: boolean): Line[] {
    const hit = this.laidOut.get(p);
    if (hit && hit.width === width && hit.grid === grid) return hit.lines;
    const lines = layoutParagraph(p, this.ctx(width, grid, this.where(p)));
    this.laidOut.set(p, { width, grid, lines });
    return lines;
  }

  /** Height of a block's first line (what keepNext must keep with). */
  private firstLineHeight(b: Block): number {
    if (b.kind === 'paragraph') {
      const lines = this.paragraphLines(b, this.width, true);
      return b.props.before + (lines[0]?.height ?? 0);
    }
    const row = this.layoutRow(b, 0);
    return row?.height ?? 0;
  }

  /** The top and bottom borders a paragraph draws: none where it shares a box with its neighbour. */
  private paraBorders(p: Paragraph, prev: Block | undefined, next: Block | undefined): { top?: ParaBorder; bottom?: ParaBorder } {
    const b = p.props.borders;
    if (!b) return {};
    const withPrev = prev?.kind === 'paragraph' && sameBorderGroup(prev.props, p.props);
    const withNext = next?.kind === 'paragraph' && sameBorderGroup(p.props, next.props);
    return { top: withPrev ? undefined : b.top, bottom: withNext ? b.between : b.bottom };
  }

  /** A horizontal paragraph border; `y` is its edge nearer the text, `down` when it grows downwards. */
  private drawParaBorder(b: ParaBorder, p: Paragraph, y: number, down: boolean, page: Page = this.page): void {
    const x1 = this.left + p.props.indLeft;
    const x2 = this.left + this.width - p.props.indRight;
    for (const s of borderStrokes(b).strokes) {
      const cy = down ? y + s.offset + s.width / 2 : y - s.offset - s.width / 2;
      page.items.push({ kind: 'rule', x1, y1: cy, x2, y2: cy, width: s.width, color: b.color });
    }
  }

  private placeParagraph(p: Paragraph, next: Block | undefined, prev?: Block): void {
    const props = p.props;
    if (props.pageBreakBefore && this.page.items.length) this.newPage();
    const lines = this.paragraphLines(p, this.width, true);
    const before = this.y > this.top + EPS ? props.before : 0;
    const borders = this.paraBorders(p, prev, next);
    const topExtra = borderExtent(borders.top);
    const bottomExtra = borderExtent(borders.bottom);
    // keepNext: this whole paragraph plus the next block's first line on one page.
    if (props.keepNext && next && this.y > this.top + EPS) {
      const total = before + topExtra + lines.reduce((s, l) => s + l.height, 0) + bottomExtra + props.after + this.firstLineHeight(next);
      if (this.y + total > this.bottom + EPS && total <= this.bottom - this.top) this.newPage();
    }
    if (props.keepLines && this.y > this.top + EPS) {
      const total = before + topExtra + lines.reduce((s, l) => s + l.height, 0) + bottomExtra;
      if (this.y + total > this.bottom + EPS && total <= this.bottom - this.top) this.newPage();
    }
    this.y += this.y > this.top + EPS ? props.before : 0;
    // Word and LibreOffice: space before, the top border, its distance, then the text.
    if (borders.top) {
      this.drawParaBorder(borders.top, p, this.y + topExtra - borders.top.space, false);
      this.y += topExtra;
    }
    if (props.outlineLevel !== undefined && props.outlineLevel < 9) {
      const title = p.inlines.map((i) => (i.kind === 'text' ? i.text : '')).join('').trim();
      if (title) this.outline.push({ title, level: props.outlineLevel, page: this.page.number, y: this.y });
    }
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      let needBreak = this.y + l.height > this.bottom + EPS && this.y > this.top + EPS;
      if (!needBreak && props.widowControl && lines.length >= 2) {
        // Orphan: the first line alone at the bottom; widow: the last line alone at the top.
        const remaining = lines.length - i;
        if (i === 0 && this.y + l.height + lines[1]!.height > this.bottom + EPS && this.y > this.top + EPS) needBreak = true;
        if (remaining === 2 && i > 0 && this.y + l.height + lines[i + 1]!.height > this.bottom + EPS && lines.length >= 3) needBreak = true;
      }
      if (needBreak) this.newPage();
      const placed = this.textItems([l], this.left, this.y);
      this.page.items.push(...placed.items);
      this.y += l.height;
      if (l.pageBreakAfter) this.newPage();
    }
    if (borders.bottom) {
      this.drawParaBorder(borders.bottom, p, this.y + borders.bottom.space, true);
      this.y += bottomExtra;
    }
    this.y += props.after;
  }

  /** Lays out a table row at the origin; returns the items and height (undefined for an empty table). */
  private layoutRow(t: Table, r: number): Placed | undefined {
    const row = t.rows[r];
    if (!row) return undefined;
    const xs = this.columnXs(t);
    const items: DrawItem[] = [];
    // The row's top border takes its width out of the row, above the cell margin (LibreOffice,
    // Word): a table of n rows with 0.5 pt rules is n × 0.5 pt taller than its content.
    const border = (r === 0 ? t.borders.top : t.borders.insideH).width;
    let col = 0;
    const contents: { x: number; w: number; placed: { items: DrawItem[]; height: number }; vAlign: string; cont: boolean }[] = [];
    for (const cell of row.cells) {
      const x = xs[col]!;
      const w = (xs[col + cell.gridSpan] ?? xs[xs.length - 1]!) - x;
      col += cell.gridSpan;
      const inner = w - t.cellMargin.left - t.cellMargin.right;
      const lines: { items: DrawItem[]; height: number } = { items: [], height: 0 };
      if (cell.vMerge !== 'continue') {
        for (const b of cell.blocks) {
          if (b.kind !== 'paragraph') continue;
          const ls = layoutParagraph(b, this.ctx(inner, false, this.where(b), undefined, true));
          const placed = this.textItems(ls, x + t.cellMargin.left, border + lines.height + t.cellMargin.top + b.props.before);
          lines.items.push(...placed.items);
          lines.height += placed.height + b.props.before + b.props.after;
        }
      }
      contents.push({ x, w, placed: lines, vAlign: cell.vAlign, cont: cell.vMerge === 'continue' });
    }
    let height = border + Math.max(0, ...contents.map((c) => c.placed.height + t.cellMargin.top + t.cellMargin.bottom));
    if (row.height) height = row.height.rule === 'exact' ? row.height.value : Math.max(height, row.height.value);
    for (const c of contents) {
      const free = height - border - (c.placed.height + t.cellMargin.top + t.cellMargin.bottom);
      const shift = c.vAlign === 'center' ? free / 2 : c.vAlign === 'bottom' ? free : 0;
      for (const it of c.placed.items) if (it.kind === 'text') items.push({ ...it, y: it.y + shift });
    }
    // Borders: top of each cell (skipped for a continued vertical merge), left of each cell, and the row's right edge.
    const b = t.borders;
    const colorOf = (c: string): string => c;
    for (let i = 0; i < contents.length; i++) {
      const c = contents[i]!;
      const topB = r === 0 ? b.top : b.insideH;
      if (!c.cont && topB.width > 0) items.push({ kind: 'rule', x1: c.x, y1: 0, x2: c.x + c.w, y2: 0, width: topB.width, color: colorOf(topB.color) });
      const leftB = i === 0 ? b.left : b.insideV;
      if (leftB.width > 0) items.push({ kind: 'rule', x1: c.x, y1: 0, x2: c.x, y2: height, width: leftB.width, color: leftB.color });
    }
    const lastC = contents[contents.length - 1];
    if (lastC && b.right.width > 0) items.push({ kind: 'rule', x1: lastC.x + lastC.w, y1: 0, x2: lastC.x + lastC.w, y2: height, width: b.right.width, color: b.right.color });
    return { items, height };
  }

  private columnXs(t: Table): number[] {
    const total = t.grid.reduce((a, b) => a + b, 0);
    let x0 = this.left + t.indent;
    if (t.align === 'center') x0 = this.left + (this.width - total) / 2;
    else if (t.align === 'right') x0 = this.left + this.width - total;
    const xs = [x0];
    for (const w of t.grid) xs.push(xs[xs.length - 1]! + w);
    return xs;
  }

  private shift(items: DrawItem[], dy: number): DrawItem[] {
    return items.map((it) => (it.kind === 'text' ? { ...it, y: it.y + dy } : { ...it, y1: it.y1 + dy, y2: it.y2 + dy }));
  }

  private bottomRule(t: Table): void {
    const xs = this.columnXs(t);
    if (t.borders.bottom.width > 0) this.page.items.push({ kind: 'rule', x1: xs[0]!, y1: this.y, x2: xs[xs.length - 1]!, y2: this.y, width: t.borders.bottom.width, color: t.borders.bottom.color });
  }

  private placeTable(t: Table): void {
    const headerRows: Placed[] = [];
    for (let r = 0; r < t.rows.length; r++) {
      const placed = this.layoutRow(t, r)!;
      const row = t.rows[r]!;
      if (row.header && r === headerRows.length) headerRows.push(placed);
      if (this.y + placed.height > this.bottom + EPS && this.y > this.top + EPS) {
        this.bottomRule(t);
        this.newPage();
        if (!row.header) for (const h of headerRows) {
          this.page.items.push(...this.shift(h.items, this.y));
          this.y += h.height;
        }
      }
      if (placed.height > this.bottom - this.top && !row.cantSplit) {
        this.fonts.missing; // rows taller than a page are drawn clipped; reported by the caller
      }
      this.page.items.push(...this.shift(placed.items, this.y));
      this.y += placed.height;
    }
    this.bottomRule(t);
  }

  /** The number a PAGE field prints on a page: numbering starts at w:pgNumType w:start. */
  private printedNumber(page: Page): number {
    return page.number + (this.doc.section.pageNumberStart ?? 1) - 1;
  }

  private placeHeaderFooter(hf: HeaderFooter | undefined, page: Page, total: () => number, footer: boolean): void {
    if (!hf) return;
    const s = this.doc.section;
    const field = (f: 'PAGE' | 'NUMPAGES'): string => String(f === 'PAGE' ? this.printedNumber(page) : total());
    const blocks = hf.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
    const laid = blocks.map((p, i) => {
      const borders = this.paraBorders(p, blocks[i - 1], blocks[i + 1]);
      return { p, borders, lines: layoutParagraph(p, this.ctx(this.width, false, () => '页眉页脚', field)) };
    });
    const extra = (b: (typeof laid)[number]): number => borderExtent(b.borders.top) + borderExtent(b.borders.bottom);
    const height = laid.reduce((sum, l) => sum + l.p.props.before + l.p.props.after + extra(l) + l.lines.reduce((a, b) => a + b.height, 0), 0);
    let y = footer ? s.pageHeight - s.margin.footer - height : s.margin.header;
    for (const { p, lines, borders } of laid) {
      y += p.props.before;
      if (borders.top) {
        this.drawParaBorder(borders.top, p, y + borderExtent(borders.top) - borders.top.space, false, page);
        y += borderExtent(borders.top);
      }
      const placed = this.textItems(lines, this.left, y);
      page.items.push(...placed.items);
      y += placed.height;
      if (borders.bottom) {
        this.drawParaBorder(borders.bottom, p, y + borders.bottom.space, true, page);
        y += borderExtent(borders.bottom);
      }
      y += p.props.after;
    }
  }

  run(): LayoutResult {
    const blocks = this.doc.blocks;
    this.newPage();
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.kind === 'paragraph') this.placeParagraph(b, blocks[i + 1], blocks[i - 1]);
      else this.placeTable(b);
    }
    const s = this.doc.section;
    const total = (): number => this.pages.length;
    for (const page of this.pages) {
      // Word and LibreOffice choose the even footer by the printed number (w:pgNumType w:start), not the sheet.
      const even = this.printedNumber(page) % 2 === 0 && this.doc.evenAndOddHeaders;
      const first = page.number === 1 && s.titlePage;
      const pick = (set: typeof s.footers): HeaderFooter | undefined => (first ? set.first : even ? set.even : set.default) ?? (first ? undefined : set.default);
      this.placeHeaderFooter(pick(s.headers), page, total, false);
      this.placeHeaderFooter(pick(s.footers), page, total, true);
    }
    return { pages: this.pages, width: s.pageWidth, height: s.pageHeight, outline: this.outline };
  }
}
