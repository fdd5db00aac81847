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
import type { Diagnostic } from '../../common/diagnostics.js';
import type { DrawItem, DrawText, LayoutResult, Line, OutlineEntry, Page } from './types.js';

const EPS = 0.05;

interface CellLine {
  /** Points from the top of the cell's content box. */
  top: number;
  height: number;
  /** The line's text, its baseline relative to the content box's top. */
  item?: DrawText;
}

interface CellLines {
  x: number;
  w: number;
  lines: CellLine[];
  /** Height of the cell's content (paragraph spacing included). */
  content: number;
  vAlign: string;
  cont: boolean;
}

interface RowCells {
  cells: CellLines[];
  /** Width of the row's top rule, which takes its room out of the row. */
  border: number;
  height: number;
  exact: boolean;
}

interface Placed {
  /** Items relative to the block's top-left. */
  items: DrawItem[];
  height: number;
}

export class Paginator {
  private pages: Page[] = [];
  private y = 0;
  /** Where this page's body starts (below the top margin when the header reaches past it). */
  private pageTop = 0;
  private readonly outline: OutlineEntry[] = [];
  /** What the layout could not do as asked (clipped rows), for the caller to report. */
  readonly warnings: Diagnostic[] = [];
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
    const page: Page = { number: this.pages.length + 1, items: [] };
    this.pages.push(page);
    this.y = this.pageTop = this.bodyTop(page);
  }

  /** The header and footer a page shows: the first page's with w:titlePg, else even or default. */
  private pick(set: DocModel['section']['headers'], page: Page): HeaderFooter | undefined {
    // Word and LibreOffice choose the even footer by the printed number (w:pgNumType w:start), not the sheet.
    const even = this.printedNumber(page) % 2 === 0 && this.doc.evenAndOddHeaders;
    const first = page.number === 1 && this.doc.section.titlePage;
    return (first ? set.first : even ? set.even : set.default) ?? (first ? undefined : set.default);
  }

  /**
   * Where a page's body starts: at the top margin, or under a header that reaches below it (a
   * 信函格式 版头), as Word and LibreOffice both push the body down rather than overlap.
   */
  private bodyTop(page: Page): number {
    const hf = this.pick(this.doc.section.headers, page);
    if (!hf) return this.top;
    const { height } = this.layHeaderFooter(hf, () => String(this.printedNumber(page)));
    return Math.max(this.top, this.doc.section.margin.header + height);
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
      if (l.glyphs.length) items.push({ kind: 'text', x: x0 + l.x, y: y + l.baseline, glyphs: l.glyphs, xs: l.xs });
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

  /**
   * What keepNext must keep on the page with the paragraph before `blocks[i]`: the lines of that
   * block that cannot leave it (its first line, or under widow/orphan control the first two, or
   * all of a paragraph of up to three lines), the whole block and what follows it when it too
   * keeps with its next, and a table's header rows with its first data row.
   */
  private keepHeight(blocks: readonly Block[], i: number, depth = 0): number {
    const b = blocks[i];
    if (!b) return 0;
    if (b.kind === 'table') return this.tableStartHeight(b);
    const lines = this.paragraphLines(b, this.width, true);
    const borders = this.paraBorders(b, blocks[i - 1], blocks[i + 1]);
    const all = lines.reduce((s, l) => s + l.height, 0);
    if ((b.props.keepNext || b.props.keepLines) && depth < 8 && all <= this.bottom - this.top) {
      const rest = b.props.keepNext && i + 1 < blocks.length ? b.props.after + this.keepHeight(blocks, i + 1, depth + 1) : 0;
      return b.props.before + borderExtent(borders.top) + all + borderExtent(borders.bottom) + rest;
    }
    const n = !b.props.widowControl ? 1 : lines.length <= 3 ? lines.length : 2;
    return b.props.before + borderExtent(borders.top) + lines.slice(0, n).reduce((s, l) => s + l.height, 0);
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

  private placeParagraph(blocks: readonly Block[], index: number): void {
    const p = blocks[index] as Paragraph;
    const next = blocks[index + 1];
    const prev = blocks[index - 1];
    const props = p.props;
    if (props.pageBreakBefore && this.page.items.length) this.newPage();
    const lines = this.paragraphLines(p, this.width, true);
    const before = this.y > this.pageTop + EPS ? props.before : 0;
    const borders = this.paraBorders(p, prev, next);
    const topExtra = borderExtent(borders.top);
    const bottomExtra = borderExtent(borders.bottom);
    // keepNext: this whole paragraph plus the next block's first line on one page.
    if (props.keepNext && next && this.y > this.pageTop + EPS) {
      const total = before + topExtra + lines.reduce((s, l) => s + l.height, 0) + bottomExtra + props.after + this.keepHeight(blocks, index + 1);
      if (this.y + total > this.bottom + EPS && total <= this.bottom - this.top) this.newPage();
    }
    if (props.keepLines && this.y > this.pageTop + EPS) {
      const total = before + topExtra + lines.reduce((s, l) => s + l.height, 0) + bottomExtra;
      if (this.y + total > this.bottom + EPS && total <= this.bottom - this.top) this.newPage();
    }
    this.y += this.y > this.pageTop + EPS ? props.before : 0;
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
      let needBreak = this.y + l.height > this.bottom + EPS && this.y > this.pageTop + EPS;
      if (!needBreak && props.widowControl && lines.length >= 2 && this.y > this.pageTop + EPS) {
        // Word's widowControl: never the first line alone at a page foot (orphan) nor the last
        // alone at the top of the next (widow); a paragraph of three lines, which can do
        // neither 2 + 1 nor 1 + 2, moves whole.
        const remaining = lines.length - i;
        const fit = (k: number): boolean => this.y + lines.slice(i, i + k).reduce((s, x) => s + x.height, 0) <= this.bottom + EPS;
        if (i === 0 && !fit(lines.length <= 3 ? lines.length : 2)) needBreak = true;
        if (remaining === 2 && i >= 2 && !fit(2)) needBreak = true;
      }
      if (needBreak) this.newPage();
      if (l.height > this.bottom - this.top + EPS) {
        const text = l.glyphs.map((g) => g.ch).join('');
        this.warnings.push({
          severity: 'warning',
          code: 'pdf.clipped',
          message: `第 ${p.index + 1} 段有一行高于版心（${l.height.toFixed(1)} 磅），PDF 中超出页面的部分被截断：“${text.slice(0, 40)}${text.length > 40 ? '…' : ''}”`,
          received: text.slice(0, 40),
        });
      }
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

  /** A table row's cells laid out: each cell's lines, tops relative to the cell's content box. */
  private rowCells(t: Table, r: number): RowCells | undefined {
    const row = t.rows[r];
    if (!row) return undefined;
    const xs = this.columnXs(t);
    // The row's top border takes its width out of the row, above the cell margin (LibreOffice,
    // Word): a table of n rows with 0.5 pt rules is n × 0.5 pt taller than its content.
    const border = (r === 0 ? t.borders.top : t.borders.insideH).width;
    let col = 0;
    const cells: CellLines[] = [];
    for (const cell of row.cells) {
      const x = xs[col]!;
      const w = (xs[col + cell.gridSpan] ?? xs[xs.length - 1]!) - x;
      col += cell.gridSpan;
      const inner = w - t.cellMargin.left - t.cellMargin.right;
      const lines: CellLine[] = [];
      let h = 0;
      if (cell.vMerge !== 'continue') {
        for (const b of cell.blocks) {
          if (b.kind !== 'paragraph') continue;
          const ls = layoutParagraph(b, this.ctx(inner, false, this.where(b), undefined, true));
          h += b.props.before;
          for (const l of ls) {
            lines.push({ top: h, height: l.height, item: l.glyphs.length ? { kind: 'text', x: x + t.cellMargin.left + l.x, y: h + l.baseline, glyphs: l.glyphs, xs: l.xs } : undefined });
            h += l.height;
          }
          h += b.props.after;
        }
      }
      cells.push({ x, w, lines, content: h, vAlign: cell.vAlign, cont: cell.vMerge === 'continue' });
    }
    let height = border + Math.max(0, ...cells.map((c) => c.content + t.cellMargin.top + t.cellMargin.bottom));
    if (row.height) height = row.height.rule === 'exact' ? row.height.value : Math.max(height, row.height.value);
    return { cells, border, height, exact: row.height?.rule === 'exact' };
  }

  /** A row (or the part of one on this page) drawn at the origin, `height` tall. */
  private drawRow(t: Table, r: number, row: RowCells, height: number): Placed {
    const items: DrawItem[] = [];
    const { border } = row;
    for (const c of row.cells) {
      const free = height - border - (c.content + t.cellMargin.top + t.cellMargin.bottom);
      const shift = c.vAlign === 'center' ? free / 2 : c.vAlign === 'bottom' ? free : 0;
      const y0 = border + t.cellMargin.top + Math.max(0, shift);
      for (const l of c.lines) if (l.item) items.push({ ...l.item, y: l.item.y + y0 });
    }
    // Borders: top of each cell (skipped for a continued vertical merge), left of each cell, and the row's right edge.
    const b = t.borders;
    for (let i = 0; i < row.cells.length; i++) {
      const c = row.cells[i]!;
      const topB = r === 0 ? b.top : b.insideH;
      if (!c.cont && topB.width > 0) items.push({ kind: 'rule', x1: c.x, y1: 0, x2: c.x + c.w, y2: 0, width: topB.width, color: topB.color });
      const leftB = i === 0 ? b.left : b.insideV;
      if (leftB.width > 0) items.push({ kind: 'rule', x1: c.x, y1: 0, x2: c.x, y2: height, width: leftB.width, color: leftB.color });
    }
    const lastC = row.cells[row.cells.length - 1];
    if (lastC && b.right.width > 0) items.push({ kind: 'rule', x1: lastC.x + lastC.w, y1: 0, x2: lastC.x + lastC.w, y2: height, width: b.right.width, color: b.right.color });
    return { items, height };
  }

  /**
   * Splits a row where `room` points of it fit, as Word and LibreOffice do: each cell keeps the
   * lines that end within the room and carries the rest, from the top of its box, to the next
   * part. Undefined when no line of any cell fits.
   */
  private splitRow(t: Table, row: RowCells, room: number): { first: RowCells; rest: RowCells } | undefined {
    const limit = room - row.border - t.cellMargin.top - t.cellMargin.bottom;
    const first: CellLines[] = [];
    const rest: CellLines[] = [];
    let any = false;
    for (const c of row.cells) {
      let k = 0;
      while (k < c.lines.length && c.lines[k]!.top + c.lines[k]!.height <= limit + EPS) k++;
      if (k > 0) any = true;
      const kept = c.lines.slice(0, k);
      const carried = c.lines.slice(k);
      const keptH = kept.length ? kept[kept.length - 1]!.top + kept[kept.length - 1]!.height : 0;
      const off = carried[0]?.top ?? 0;
      first.push({ ...c, lines: kept, content: carried.length ? keptH : c.content, vAlign: carried.length ? 'top' : c.vAlign });
      rest.push({
        ...c,
        vAlign: 'top',
        lines: carried.map((l) => ({ top: l.top - off, height: l.height, item: l.item && { ...l.item, y: l.item.y - off } })),
        content: carried.length ? c.content - off : 0,
      });
    }
    if (!any) return undefined;
    const height = (cells: CellLines[]): number => row.border + Math.max(0, ...cells.map((c) => c.content + t.cellMargin.top + t.cellMargin.bottom));
    return { first: { ...row, cells: first, height: height(first), exact: false }, rest: { ...row, cells: rest, height: height(rest), exact: false } };
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

  /** Leading header rows (w:tblHeader): repeated at the top of every page the table continues on. */
  private headerCount(t: Table): number {
    let n = 0;
    while (n < t.rows.length && t.rows[n]!.header) n++;
    // A table of header rows only has nothing to repeat them over.
    return n < t.rows.length ? n : 0;
  }

  /** Height the table needs at the foot of a page: its header rows and the first data row (or, when that may split, its first line). */
  private tableStartHeight(t: Table): number {
    const n = this.headerCount(t);
    let h = 0;
    for (let r = 0; r <= n && r < t.rows.length; r++) {
      const row = this.rowCells(t, r)!;
      const split = r === n && !t.rows[r]!.cantSplit && !row.exact;
      h += split ? Math.min(row.height, row.border + t.cellMargin.top + t.cellMargin.bottom + Math.max(0, ...row.cells.map((c) => (c.lines[0] ? c.lines[0].top + c.lines[0].height : 0)))) : row.height;
    }
    return h;
  }

  private placeTable(t: Table): void {
    const nHeader = this.headerCount(t);
    const headerRows: Placed[] = [];
    const pageSpan = this.bottom - this.top;
    let onPage = 0;
    const breakPage = (repeatHeader: boolean): void => {
      // The table's bottom rule closes the part on this page, only if a row of it is here.
      if (onPage > 0) this.bottomRule(t);
      this.newPage();
      onPage = 0;
      if (repeatHeader)
        for (const h of headerRows) {
          this.page.items.push(...this.shift(h.items, this.y));
          this.y += h.height;
          onPage++;
        }
    };
    // Header rows never stand alone at a page foot: they start where the first data row can follow.
    if (nHeader > 0 && this.y > this.pageTop + EPS) {
      const need = this.tableStartHeight(t);
      if (this.y + need > this.bottom + EPS && need <= pageSpan) breakPage(false);
    }
    for (let r = 0; r < t.rows.length; r++) {
      let row = this.rowCells(t, r)!;
      const spec = t.rows[r]!;
      if (r < nHeader) headerRows.push(this.drawRow(t, r, row, row.height));
      const headerH = headerRows.reduce((s, h) => s + h.height, 0);
      // A row that fits the page moves whole when it may not split; any other row splits at the foot.
      for (let guard = 0; this.y + row.height > this.bottom + EPS; guard++) {
        const room = this.bottom - this.y;
        const mayMove = this.y > this.pageTop + EPS;
        const fitsPage = row.height <= pageSpan - (r >= nHeader ? headerH : 0) + EPS;
        // A row that may not split starts on a new page; only one taller than a page then splits
        // (LibreOffice does so; Word splits such a row rather than lose it).
        if (mayMove && (spec.cantSplit || row.exact || r < nHeader) && (fitsPage || guard === 0)) {
          breakPage(r >= nHeader);
          continue;
        }
        const parts = row.exact ? undefined : this.splitRow(t, row, room);
        if (!parts) {
          if (mayMove && guard === 0) {
            breakPage(r >= nHeader);
            continue;
          }
          // Nothing of the row fits even on an empty page (one line taller than the page, or an exact height): say so.
          this.warnClipped(t, row, room);
          break;
        }
        const placed = this.drawRow(t, r, parts.first, parts.first.height);
        this.page.items.push(...this.shift(placed.items, this.y));
        this.y += placed.height;
        onPage++;
        breakPage(r >= nHeader);
        // The continuation draws its own top rule (the table's inside rule).
        row = { ...parts.rest, border: t.borders.insideH.width };
        row.height = row.border + Math.max(0, ...row.cells.map((c) => c.content + t.cellMargin.top + t.cellMargin.bottom));
        if (guard > 1000) break;
      }
      if (row.exact && Math.max(0, ...row.cells.map((c) => c.content + t.cellMargin.top + t.cellMargin.bottom)) > row.height - row.border + EPS) this.warnClipped(t, row, row.height);
      const placed = this.drawRow(t, r, row, row.height);
      this.page.items.push(...this.shift(placed.items, this.y));
      this.y += placed.height;
      onPage++;
    }
    if (onPage > 0) this.bottomRule(t);
  }

  /** Text the engine cannot fit is drawn as far as it goes and named in a warning, never clipped silently. */
  private warnClipped(t: Table, row: RowCells, room: number): void {
    const text = row.cells.flatMap((c) => c.lines.filter((l) => l.top + l.height > room).flatMap((l) => l.item?.glyphs.map((g) => g.ch) ?? [])).join('');
    this.warnings.push({
      severity: 'warning',
      code: 'pdf.clipped',
      message: `第 ${t.index + 1} 个表格中有一行放不下（行高固定或一行文字高于一页），PDF 中以下文字可能被截断：“${text.slice(0, 40)}${text.length > 40 ? '…' : ''}”`,
      received: text.slice(0, 40),
    });
  }

  /** The number a PAGE field prints on a page: numbering starts at w:pgNumType w:start. */
  private printedNumber(page: Page): number {
    return page.number + (this.doc.section.pageNumberStart ?? 1) - 1;
  }

  private layHeaderFooter(hf: HeaderFooter, field: NonNullable<ParagraphContext['field']>) {
    const blocks = hf.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
    const laid = blocks.map((p, i) => {
      const borders = this.paraBorders(p, blocks[i - 1], blocks[i + 1]);
      return { p, borders, lines: layoutParagraph(p, this.ctx(this.width, false, () => '页眉页脚', field)) };
    });
    const extra = (b: (typeof laid)[number]): number => borderExtent(b.borders.top) + borderExtent(b.borders.bottom);
    const height = laid.reduce((sum, l) => sum + l.p.props.before + l.p.props.after + extra(l) + l.lines.reduce((a, b) => a + b.height, 0), 0);
    return { laid, height };
  }

  private placeHeaderFooter(hf: HeaderFooter | undefined, page: Page, total: () => number, footer: boolean): void {
    if (!hf) return;
    const s = this.doc.section;
    const field = (f: 'PAGE' | 'NUMPAGES'): string => String(f === 'PAGE' ? this.printedNumber(page) : total());
    const { laid, height } = this.layHeaderFooter(hf, field);
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
      if (b.kind === 'paragraph') this.placeParagraph(blocks, i);
      else this.placeTable(b);
    }
    const s = this.doc.section;
    const total = (): number => this.pages.length;
    for (const page of this.pages) {
      this.placeHeaderFooter(this.pick(s.headers, page), page, total, false);
      this.placeHeaderFooter(this.pick(s.footers, page), page, total, true);
    }
    return { pages: this.pages, width: s.pageWidth, height: s.pageHeight, outline: this.outline };
  }
}
