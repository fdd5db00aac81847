/**
 * DOCX bytes → DocModel. Reads word/document.xml, styles.xml, settings.xml, the footers and
 * headers the section references, and docProps/core.xml. Anything the engine does not lay out
 * becomes a warning naming the feature and where it is; nothing throws past readDocx except a
 * file that is not a DOCX at all.
 */
import PizZip from '../../common/pizzip.js';
import type { Diagnostic } from '../../common/diagnostics.js';
import type {
  Align, Block, Border, CoreProps, DocModel, HeaderFooter, Inline, Paragraph, ParaBorders, ParaProps, RunProps, Section, Table, TableCell, TableRow, TabStop,
} from './model.js';
import { parseXml, type XDocument, type XElement } from './xml.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
type El = XElement;

const TWIP = 1 / 20;

function kids(el: El | null | undefined, name?: string): El[] {
  const out: El[] = [];
  if (!el) return out;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (!name || n.localName === name)) out.push(n);
  }
  return out;
}
function kid(el: El | null | undefined, name: string): El | undefined {
  return kids(el, name)[0];
}
function attr(el: El | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttributeNS(W, name) || el.getAttribute(`w:${name}`);
  return v === null || v === '' ? undefined : v;
}
function num(el: El | undefined, name: string): number | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
/** OOXML on/off: present without val, or val true/1/on. */
function onOff(el: El | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = attr(el, 'val');
  return v === undefined || v === 'true' || v === '1' || v === 'on';
}

type RunPatch = Partial<RunProps>;
type ParaPatch = Partial<Omit<ParaProps, 'markRun' | 'styleId'>>;

function readRunProps(rPr: El | undefined): RunPatch {
  const p: RunPatch = {};
  if (!rPr) return p;
  const fonts = kid(rPr, 'rFonts');
  if (fonts) {
    const ascii = attr(fonts, 'ascii') ?? attr(fonts, 'hAnsi');
    if (ascii) p.latinFont = ascii;
    const ea = attr(fonts, 'eastAsia');
    if (ea) p.eastAsiaFont = ea;
  }
  const sz = num(kid(rPr, 'sz'), 'val');
  if (sz !== undefined) p.size = sz / 2;
  const b = onOff(kid(rPr, 'b'));
  if (b !== undefined) p.bold = b;
  const i = onOff(kid(rPr, 'i'));
  if (i !== undefined) p.italic = i;
  const sp = num(kid(rPr, 'spacing'), 'val');
  if (sp !== undefined) p.charSpacing = sp * TWIP;
  const color = attr(kid(rPr, 'color'), 'val');
  if (color) p.color = color === 'auto' ? '000000' : color;
  const u = attr(kid(rPr, 'u'), 'val');
  if (u !== undefined) p.underline = u !== 'none';
  const lang = attr(kid(rPr, 'lang'), 'eastAsia');
  if (lang) p.eastAsiaLang = lang;
  return p;
}

function readParaProps(pPr: El | undefined): ParaPatch {
  const p: ParaPatch = {};
  if (!pPr) return p;
  const jc = attr(kid(pPr, 'jc'), 'val');
  if (jc) p.align = ({ start: 'left', end: 'right', justify: 'both' } as Record<string, Align>)[jc] ?? (jc as Align);
  const ind = kid(pPr, 'ind');
  if (ind) {
    const left = num(ind, 'left') ?? num(ind, 'start');
    if (left !== undefined) p.indLeft = left * TWIP;
    const right = num(ind, 'right') ?? num(ind, 'end');
    if (right !== undefined) p.indRight = right * TWIP;
    const fl = num(ind, 'firstLine');
    const hang = num(ind, 'hanging');
    if (hang !== undefined) p.firstLine = -hang * TWIP;
    else if (fl !== undefined) p.firstLine = fl * TWIP;
    const flc = num(ind, 'firstLineChars');
    const hc = num(ind, 'hangingChars');
    if (hc !== undefined && hc !== 0) p.firstLineChars = -hc;
    else if (flc !== undefined) p.firstLineChars = flc;
    if ((hang !== undefined || fl !== undefined) && flc === undefined && hc === undefined) p.firstLineChars = undefined;
  }
  const sp = kid(pPr, 'spacing');
  if (sp) {
    const line = num(sp, 'line');
    const rule = attr(sp, 'lineRule');
    if (line !== undefined) {
      p.lineRule = rule === 'exact' ? 'exact' : rule === 'atLeast' ? 'atLeast' : 'auto';
      p.line = p.lineRule === 'auto' ? line / 240 : line * TWIP;
    }
    const before = num(sp, 'before');
    if (before !== undefined) p.before = before * TWIP;
    const after = num(sp, 'after');
    if (after !== undefined) p.after = after * TWIP;
  }
  const flags: [keyof ParaPatch, string][] = [
    ['keepNext', 'keepNext'], ['keepLines', 'keepLines'], ['pageBreakBefore', 'pageBreakBefore'], ['widowControl', 'widowControl'],
    ['kinsoku', 'kinsoku'], ['overflowPunct', 'overflowPunct'], ['autoSpaceDE', 'autoSpaceDE'], ['autoSpaceDN', 'autoSpaceDN'], ['snapToGrid', 'snapToGrid'],
  ];
  for (const [key, tag] of flags) {
    const v = onOff(kid(pPr, tag));
    if (v !== undefined) (p as Record<string, unknown>)[key] = v;
  }
  const ol = num(kid(pPr, 'outlineLvl'), 'val');
  if (ol !== undefined) p.outlineLevel = ol;
  const tabs = kids(kid(pPr, 'tabs'), 'tab');
  if (tabs.length) {
    const stops = tabs
      .filter((t) => attr(t, 'val') !== 'clear')
      .map((t): TabStop => {
        const v = attr(t, 'val');
        const l = attr(t, 'leader');
        return {
          pos: (num(t, 'pos') ?? 0) * TWIP,
          align: v === 'right' || v === 'end' ? 'right' : v === 'center' ? 'center' : v === 'decimal' ? 'decimal' : 'left',
          leader: l === 'dot' || l === 'hyphen' || l === 'underscore' || l === 'middleDot' || l === 'heavy' ? l : 'none',
        };
      })
      .sort((a, b) => a.pos - b.pos);
    p.tabs = stops.map((t) => t.pos);
    p.tabStops = stops;
  }
  const bdr = kid(pPr, 'pBdr');
  if (bdr) {
    const borders: ParaBorders = {};
    for (const side of ['top', 'bottom', 'left', 'right', 'between'] as const) {
      const el = kid(bdr, side) ?? (side === 'left' ? kid(bdr, 'start') : side === 'right' ? kid(bdr, 'end') : undefined);
      const val = attr(el, 'val');
      if (!el || !val || val === 'nil' || val === 'none') continue;
      const color = attr(el, 'color');
      // w:sz is eighths of a point; Word draws a missing or zero size as its thinnest rule.
      borders[side] = { style: val, width: (num(el, 'sz') || 2) / 8, space: num(el, 'space') ?? 0, color: !color || color === 'auto' ? '000000' : color };
    }
    p.borders = Object.keys(borders).length ? borders : undefined;
  }
  return p;
}

interface Style {
  id: string;
  type: string;
  basedOn?: string;
  ppr: ParaPatch;
  rpr: RunPatch;
  tblPr?: El;
}

const BASE_RUN: RunProps = {
  latinFont: 'Times New Roman', eastAsiaFont: '宋体', size: 10.5, bold: false, italic: false, charSpacing: 0, color: '000000', underline: false,
};
const BASE_PARA: Omit<ParaProps, 'markRun' | 'styleId'> = {
  align: 'left', indLeft: 0, indRight: 0, firstLine: 0, lineRule: 'auto', line: 1, before: 0, after: 0,
  keepNext: false, keepLines: false, pageBreakBefore: false, widowControl: true, kinsoku: true, overflowPunct: true,
  autoSpaceDE: true, autoSpaceDN: true, snapToGrid: true, tabs: [],
};

/** Paragraph border styles the engine draws as Word does (others are drawn as a single rule). */
export const BORDER_STYLES = new Set([
  'single', 'thick', 'double', 'thinThickSmallGap', 'thickThinSmallGap', 'thinThickMediumGap', 'thickThinMediumGap', 'thinThickLargeGap', 'thickThinLargeGap',
]);

/** Elements the engine knows; any other child of a run or paragraph is reported once per kind. */
const KNOWN_RUN_CHILDREN = new Set(['rPr', 't', 'tab', 'br', 'fldChar', 'instrText', 'lastRenderedPageBreak', 'softHyphen', 'noBreakHyphen', 'cr', 'proofErr']);
const KNOWN_PARA_CHILDREN = new Set(['pPr', 'r', 'fldSimple', 'hyperlink', 'bookmarkStart', 'bookmarkEnd', 'proofErr', 'ins', 'smartTag', 'permStart', 'permEnd', 'commentRangeStart', 'commentRangeEnd']);

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly styles = new Map<string, Style>();
  private defaultParaStyle = 'Normal';
  private defRun: RunPatch = {};
  private defPara: ParaPatch = {};
  private paraCounter = 0;
  private tableCounter = 0;
  private readonly reported = new Set<string>();

  constructor(private readonly zip: PizZip) {}

  xml(part: string): XDocument | undefined {
    const text = this.zip.file(part)?.asText();
    if (!text) return undefined;
    return parseXml(text);
  }

  warn(code: string, feature: string, where: string): void {
    const key = `${code}:${feature}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ severity: 'warning', code: `pdf.unsupported.${code}`, message: `PDF 排版暂不支持 ${feature}，已按近似方式处理（${where}）`, received: feature });
  }

  loadStyles(): void {
    const doc = this.xml('word/styles.xml');
    const root = doc?.documentElement;
    if (!root) return;
    const defaults = kid(root, 'docDefaults');
    this.defRun = readRunProps(kid(kid(defaults, 'rPrDefault'), 'rPr'));
    this.defPara = readParaProps(kid(kid(defaults, 'pPrDefault'), 'pPr'));
    for (const s of kids(root, 'style')) {
      const id = attr(s, 'styleId');
      if (!id) continue;
      const type = attr(s, 'type') ?? 'paragraph';
      this.styles.set(id, { id, type, basedOn: attr(kid(s, 'basedOn'), 'val'), ppr: readParaProps(kid(s, 'pPr')), rpr: readRunProps(kid(s, 'rPr')), tblPr: kid(s, 'tblPr') });
      if (type === 'paragraph' && onOff(s.getAttributeNode('w:default') ? s : undefined) && attr(s, 'default') === '1') this.defaultParaStyle = id;
    }
  }

  /** Style chain from the root ancestor down to `id` (cycles cut). */
  chain(id: string | undefined): Style[] {
    const out: Style[] = [];
    const seen = new Set<string>();
    let cur = id;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      const s = this.styles.get(cur);
      if (!s) break;
      out.unshift(s);
      cur = s.basedOn;
    }
    return out;
  }

  paraBase(styleId: string): { para: Omit<ParaProps, 'markRun' | 'styleId'>; run: RunProps } {
    let para = { ...BASE_PARA, ...this.defPara };
    let run = { ...BASE_RUN, ...this.defRun };
    for (const s of this.chain(styleId)) {
      para = { ...para, ...s.ppr };
      run = { ...run, ...s.rpr };
    }
    return { para, run };
  }

  paragraph(p: El, where: string, inHeaderFooter = false): Paragraph {
    const pPr = kid(p, 'pPr');
    const styleId = attr(kid(pPr, 'pStyle'), 'val') ?? this.defaultParaStyle;
    if (!this.styles.has(styleId) && styleId !== this.defaultParaStyle) this.warn('style', `未定义的样式 ${styleId}`, where);
    const base = this.paraBase(styleId);
    const direct = readParaProps(pPr);
    if (kid(pPr, 'numPr')) this.warn('numbering', '自动编号（w:numPr）', where);
    if (kid(pPr, 'framePr')) this.warn('frame', '图文框（w:framePr）', where);
    if (kid(pPr, 'sectPr')) this.warn('sections', '多节文档（段落内的 w:sectPr）', where);
    const bdr = direct.borders ?? base.para.borders;
    for (const b of Object.values(bdr ?? {})) if (!BORDER_STYLES.has(b.style)) this.warn(`pBdr.${b.style}`, `段落边框线型 ${b.style}（按单线绘制）`, where);
    if (bdr?.left || bdr?.right) this.warn('pBdr.side', '段落左右边框（w:pBdr left/right，未绘制）', where);
    if (kid(pPr, 'shd')) this.warn('shd', '段落底纹（w:shd）', where);
    const markRun = { ...base.run, ...readRunProps(kid(pPr, 'rPr')) };
    const props: ParaProps = { ...base.para, ...direct, styleId, markRun };
    if (direct.firstLine !== undefined && direct.firstLineChars === undefined && 'firstLineChars' in direct) props.firstLineChars = undefined;
    const inlines: Inline[] = [];
    const field = { depth: 0, instr: '', inResult: false, emitted: false };
    const runOf = (r: El, inherited: RunProps): void => {
      const rPr = kid(r, 'rPr');
      let rp = { ...inherited };
      const rStyle = attr(kid(rPr, 'rStyle'), 'val');
      if (rStyle) for (const s of this.chain(rStyle)) rp = { ...rp, ...s.rpr };
      rp = { ...rp, ...readRunProps(rPr) };
      if (rPr && (kid(rPr, 'vertAlign') || kid(rPr, 'position'))) this.warn('vertAlign', '上标、下标或字符位置（w:vertAlign / w:position）', where);
      if (rPr && kid(rPr, 'w')) this.warn('charScale', '字符缩放（w:w）', where);
      if (rPr && (kid(rPr, 'asciiTheme') || attr(kid(rPr, 'rFonts'), 'eastAsiaTheme'))) this.warn('themeFont', '主题字体（eastAsiaTheme）', where);
      for (const c of kids(r)) {
        const name = c.localName;
        if (name === 'fldChar') {
          const t = attr(c, 'fldCharType');
          if (t === 'begin') { field.depth++; field.instr = ''; field.inResult = false; field.emitted = false; }
          else if (t === 'separate') {
            field.inResult = true;
            const f = fieldKind(field.instr);
            if (f) { inlines.push({ kind: 'field', field: f, props: rp, fallback: '' }); field.emitted = true; }
            else if (field.instr.trim()) this.warn('field', `域 ${field.instr.trim().split(/\s+/)[0]}（显示上次的结果）`, where);
          } else if (t === 'end') {
            if (!field.emitted) {
              const f = fieldKind(field.instr);
              if (f) inlines.push({ kind: 'field', field: f, props: rp, fallback: '' });
            }
            field.depth = Math.max(0, field.depth - 1); field.inResult = false; field.emitted = false; field.instr = '';
          }
          continue;
        }
        if (name === 'instrText') { field.instr += c.textContent ?? ''; continue; }
        // A PAGE field's stored result ("1") is replaced by the live number.
        if (field.depth > 0 && (!field.inResult || field.emitted)) continue;
        if (name === 't') {
          const text = c.textContent ?? '';
          if (text) inlines.push({ kind: 'text', text, props: rp });
        } else if (name === 'tab') inlines.push({ kind: 'tab', props: rp });
        else if (name === 'br') {
          const type = attr(c, 'type');
          inlines.push({ kind: 'break', type: type === 'page' ? 'page' : type === 'column' ? 'column' : 'line', props: rp });
        } else if (name === 'cr') inlines.push({ kind: 'break', type: 'line', props: rp });
        else if (name === 'noBreakHyphen') inlines.push({ kind: 'text', text: '\u2011', props: rp });
        else if (name === 'sym') this.warn('sym', '符号字符（w:sym）', where);
        else if (name === 'drawing' || name === 'pict' || name === 'object') this.warn('drawing', '图片、图形或嵌入对象', where);
        else if (name === 'footnoteReference' || name === 'endnoteReference') this.warn('notes', '脚注或尾注', where);
        else if (!KNOWN_RUN_CHILDREN.has(name)) this.warn(`run.${name}`, `w:${name}`, where);
      }
    };
    const walk = (container: El, inherited: RunProps): void => {
      for (const c of kids(container)) {
        const name = c.localName;
        if (name === 'pPr') continue;
        if (name === 'r') runOf(c, inherited);
        else if (name === 'hyperlink' || name === 'smartTag' || name === 'ins' || name === 'customXml') walk(c, inherited);
        else if (name === 'sdt') walk(kid(c, 'sdtContent') ?? c, inherited);
        else if (name === 'fldSimple') {
          const f = fieldKind(attr(c, 'instr') ?? '');
          if (f) inlines.push({ kind: 'field', field: f, props: { ...inherited, ...readRunProps(kid(kid(c, 'r'), 'rPr')) }, fallback: '' });
          else { this.warn('field', `域 ${(attr(c, 'instr') ?? '').trim().split(/\s+/)[0]}（显示上次的结果）`, where); walk(c, inherited); }
        } else if (name === 'del' || name === 'moveFrom') continue;
        else if (!KNOWN_PARA_CHILDREN.has(name)) this.warn(`p.${name}`, `w:${name}`, where);
      }
    };
    walk(p, base.run);
    void inHeaderFooter;
    return { kind: 'paragraph', index: this.paraCounter++, props, inlines };
  }

  border(el: El | undefined, fallback: Border): Border {
    if (!el) return fallback;
    const val = attr(el, 'val');
    if (!val || val === 'nil' || val === 'none') return { width: 0, color: '000000' };
    if (val !== 'single') this.warn(`border.${val}`, `边框线型 ${val}（按单线绘制）`, '表格');
    const sz = num(el, 'sz') ?? 4;
    const color = attr(el, 'color');
    return { width: sz / 8, color: !color || color === 'auto' ? '000000' : color };
  }

  table(tbl: El, where: () => string): Table {
    const index = this.tableCounter++;
    const tblPr = kid(tbl, 'tblPr');
    const styleId = attr(kid(tblPr, 'tblStyle'), 'val');
    const stylePrs = this.chain(styleId).map((s) => s.tblPr).filter((x): x is El => !!x);
    const prs = [...stylePrs, ...(tblPr ? [tblPr] : [])];
    const none: Border = { width: 0, color: '000000' };
    const borders = { top: none, left: none, bottom: none, right: none, insideH: none, insideV: none };
    const cellMargin = { top: 0, left: 108 * TWIP, bottom: 0, right: 108 * TWIP };
    let align: Table['align'] = 'left';
    let indent = 0;
    for (const pr of prs) {
      const b = kid(pr, 'tblBorders');
      if (b) for (const k of Object.keys(borders) as (keyof typeof borders)[]) borders[k] = this.border(kid(b, k) ?? (k === 'left' ? kid(b, 'start') : k === 'right' ? kid(b, 'end') : undefined), borders[k]);
      const m = kid(pr, 'tblCellMar');
      if (m) for (const k of ['top', 'left', 'bottom', 'right'] as const) { const v = num(kid(m, k), 'w'); if (v !== undefined) cellMargin[k] = v * TWIP; }
      const jc = attr(kid(pr, 'jc'), 'val');
      if (jc) align = jc === 'center' ? 'center' : jc === 'right' || jc === 'end' ? 'right' : 'left';
      const ind = num(kid(pr, 'tblInd'), 'w');
      if (ind !== undefined) indent = ind * TWIP;
    }
    const grid = kids(kid(tbl, 'tblGrid'), 'gridCol').map((g) => (num(g, 'w') ?? 0) * TWIP);
    const rows: TableRow[] = [];
    for (const tr of kids(tbl, 'tr')) {
      const trPr = kid(tr, 'trPr');
      const h = kid(trPr, 'trHeight');
      const hv = num(h, 'val');
      const row: TableRow = {
        header: onOff(kid(trPr, 'tblHeader')) ?? false,
        cantSplit: onOff(kid(trPr, 'cantSplit')) ?? false,
        height: hv ? { value: hv * TWIP, rule: attr(h, 'hRule') === 'exact' ? 'exact' : 'atLeast' } : undefined,
        cells: [],
      };
      if (kid(trPr, 'gridBefore') || kid(trPr, 'gridAfter')) this.warn('gridBefore', '行前后空列（w:gridBefore / w:gridAfter）', where());
      for (const tc of kids(tr, 'tc')) {
        const tcPr = kid(tc, 'tcPr');
        const vm = kid(tcPr, 'vMerge');
        if (kid(tcPr, 'tcBorders')) this.warn('tcBorders', '单元格边框（w:tcBorders，按表格边框绘制）', where());
        if (kid(tcPr, 'shd') && attr(kid(tcPr, 'shd'), 'fill') && !['auto', 'FFFFFF'].includes(attr(kid(tcPr, 'shd'), 'fill')!)) this.warn('cellShd', '单元格底纹', where());
        if (kid(tcPr, 'textDirection')) this.warn('textDirection', '竖排文字（w:textDirection）', where());
        const va = attr(kid(tcPr, 'vAlign'), 'val');
        const cell: TableCell = {
          gridSpan: num(kid(tcPr, 'gridSpan'), 'val') ?? 1,
          vMerge: vm ? (attr(vm, 'val') === 'restart' ? 'restart' : 'continue') : undefined,
          vAlign: va === 'center' ? 'center' : va === 'bottom' ? 'bottom' : 'top',
          blocks: this.blocks(tc, where),
        };
        row.cells.push(cell);
      }
      rows.push(row);
    }
    return { kind: 'table', index, grid, align, indent, borders, cellMargin, rows };
  }

  blocks(container: El, where?: () => string): Block[] {
    const out: Block[] = [];
    for (const c of kids(container)) {
      const name = c.localName;
      if (name === 'p') {
        const p = this.paragraph(c, where ? where() : `第 ${this.paraCounter + 1} 段，“${(c.textContent ?? '').slice(0, 12)}”`);
        out.push(p);
      } else if (name === 'tbl') {
        out.push(this.table(c, where ?? (() => `第 ${this.tableCounter + 1} 个表格`)));
      } else if (name === 'sdt') out.push(...this.blocks(kid(c, 'sdtContent') ?? c, where));
      else if (name === 'sectPr' || name === 'tcPr' || name === 'bookmarkStart' || name === 'bookmarkEnd' || name === 'proofErr') continue;
      else this.warn(`block.${name}`, `w:${name}`, where ? where() : `正文第 ${this.paraCounter + 1} 段附近`);
    }
    return out;
  }

  rels(part: string): Map<string, string> {
    const dir = part.slice(0, part.lastIndexOf('/') + 1);
    const name = part.slice(part.lastIndexOf('/') + 1);
    const doc = this.xml(`${dir}_rels/${name}.rels`);
    const map = new Map<string, string>();
    if (!doc) return map;
    const rels = doc.getElementsByTagName('Relationship');
    for (let i = 0; i < rels.length; i++) {
      const r = rels[i]!;
      const target = r.getAttribute('Target') ?? '';
      map.set(r.getAttribute('Id') ?? '', target.startsWith('/') ? target.slice(1) : dir + target);
    }
    return map;
  }

  headerFooter(part: string): HeaderFooter | undefined {
    const doc = this.xml(part);
    if (!doc?.documentElement) return undefined;
    const savedP = this.paraCounter;
    const blocks = this.blocks(doc.documentElement, () => `页眉页脚 ${part}`);
    this.paraCounter = savedP;
    return { blocks };
  }

  section(sectPr: El | undefined, rels: Map<string, string>): Section {
    const pgSz = kid(sectPr, 'pgSz');
    const pgMar = kid(sectPr, 'pgMar');
    const grid = kid(sectPr, 'docGrid');
    const gt = attr(grid, 'type');
    const section: Section = {
      pageWidth: (num(pgSz, 'w') ?? 11906) * TWIP,
      pageHeight: (num(pgSz, 'h') ?? 16838) * TWIP,
      margin: {
        top: (num(pgMar, 'top') ?? 1440) * TWIP, right: (num(pgMar, 'right') ?? 1800) * TWIP, bottom: (num(pgMar, 'bottom') ?? 1440) * TWIP,
        left: (num(pgMar, 'left') ?? 1800) * TWIP, header: (num(pgMar, 'header') ?? 851) * TWIP, footer: (num(pgMar, 'footer') ?? 992) * TWIP,
      },
      grid: { type: gt === 'lines' || gt === 'linesAndChars' || gt === 'snapToChars' ? gt : 'default', linePitch: (num(grid, 'linePitch') ?? 312) * TWIP, charSpace: num(grid, 'charSpace') ?? 0 },
      headers: {},
      footers: {},
      titlePage: onOff(kid(sectPr, 'titlePg')) ?? false,
      pageNumberStart: num(kid(sectPr, 'pgNumType'), 'start'),
    };
    if (section.grid.type === 'linesAndChars' || section.grid.type === 'snapToChars') this.warn('charGrid', `文档网格 ${section.grid.type}（按 lines 处理，字距按 w:spacing）`, '节属性 w:docGrid');
    if (num(pgMar, 'gutter')) this.warn('gutter', '装订线（w:gutter）', '节属性 w:pgMar');
    if ((num(kid(sectPr, 'cols'), 'num') ?? 1) > 1) this.warn('columns', '分栏', '节属性 w:cols');
    for (const [tag, target] of [['headerReference', section.headers], ['footerReference', section.footers]] as const) {
      for (const ref of kids(sectPr, tag)) {
        const type = (attr(ref, 'type') ?? 'default') as 'default' | 'even' | 'first';
        const id = ref.getAttributeNS(R, 'id') || ref.getAttribute('r:id') || '';
        const part = rels.get(id);
        if (part) target[type] = this.headerFooter(part);
      }
    }
    return section;
  }

  core(): CoreProps {
    const doc = this.xml('docProps/core.xml');
    const root = doc?.documentElement;
    const text = (local: string): string | undefined => {
      if (!root) return undefined;
      for (const el of kids(root)) if (el.localName === local) return el.textContent?.trim() || undefined;
      return undefined;
    };
    const date = (local: string): Date | undefined => {
      const t = text(local);
      if (!t) return undefined;
      const d = new Date(t);
      return Number.isNaN(d.getTime()) ? undefined : d;
    };
    return { title: text('title'), subject: text('subject'), creator: text('creator'), keywords: text('keywords'), created: date('created'), modified: date('modified') };
  }

  read(): DocModel {
    this.loadStyles();
    const doc = this.xml('word/document.xml');
    const body = doc ? kid(doc.documentElement ?? undefined, 'body') : undefined;
    if (!body) {
      this.diagnostics.push({ severity: 'error', code: 'pdf.docx-body', message: 'DOCX 文件缺少正文（word/document.xml）' });
      return { blocks: [], section: this.section(undefined, new Map()), evenAndOddHeaders: false, defaultTab: 21, core: {}, diagnostics: this.diagnostics };
    }
    const settings = this.xml('word/settings.xml')?.documentElement ?? undefined;
    const evenAndOdd = onOff(kid(settings, 'evenAndOddHeaders')) ?? false;
    const rels = this.rels('word/document.xml');
    const section = this.section(kid(body, 'sectPr'), rels);
    const blocks = this.blocks(body);
    const defaultTab = (num(kid(settings, 'defaultTabStop'), 'val') ?? 420) * TWIP;
    return { blocks, section, evenAndOddHeaders: evenAndOdd, defaultTab, core: this.core(), diagnostics: this.diagnostics };
  }
}

function fieldKind(instr: string): 'PAGE' | 'NUMPAGES' | undefined {
  const name = instr.trim().split(/\s+/)[0]?.toUpperCase();
  return name === 'PAGE' || name === 'NUMPAGES' ? name : undefined;
}

export function readDocx(bytes: Uint8Array): DocModel {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch (e) {
    return {
      blocks: [], evenAndOddHeaders: false, defaultTab: 21, core: {},
      section: new Reader(new PizZip()).section(undefined, new Map()),
      diagnostics: [{ severity: 'error', code: 'pdf.docx-zip', message: `不是有效的 DOCX 文件：${(e as Error).message}` }],
    };
  }
  return new Reader(zip).read();
}
