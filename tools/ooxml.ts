/**
 * A small OOXML writer for the shipped templates: styles carry all formatting (GB/T 9704, see
 * shared/GBT9704.md), paragraphs only name a style, and docxtemplater tags sit in plain runs so
 * a user who edits the template in Word or WPS sees ordinary text.
 */
import PizZip from 'pizzip';
import { FIXED_ZIP_DATE } from '../src/docx/zip.js';
import { DATE_RIGHT_HANZI, SIGNER_CENTRE_FROM_RIGHT } from '../src/model/layout.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Marker for a tab inside a paragraph's content. */
export const TAB = '\u0009';

/** A run of plain text; tabs become <w:tab/>. */
function runs(text: string): string {
  return text
    .split(TAB)
    .map((part, i) => (i > 0 ? '<w:r><w:tab/></w:r>' : '') + (part ? `<w:r><w:t xml:space="preserve">${esc(part)}</w:t></w:r>` : ''))
    .join('');
}

/** A paragraph in a named style. */
export function p(style: string, text = ''): string {
  return `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>${runs(text)}</w:p>`;
}

/** Paragraphs shown only when a field is false or empty (docxtemplater's inverted section). */
export function unless(name: string, style: string, body: string[] | string): string {
  const inner = Array.isArray(body) ? body.join('') : body;
  return p(style, `{^${name}}`) + inner + p(style, `{/${name}}`);
}

/** The paragraphs of a docxtemplater loop: the tag paragraphs vanish with paragraphLoop. */
export function loop(name: string, style: string, body: string[] | string): string {
  const inner = Array.isArray(body) ? body.join('') : body;
  return p(style, `{#${name}}`) + inner + p(style, `{/${name}}`);
}

/** A paragraph per string of a list of paragraphs. */
export function paras(name: string, style = 'Normal'): string {
  return loop(name, style, p(style, '{.}'));
}

export interface Column {
  /** Header text (may hold tags). */
  head: string;
  /** Cell content of the looped row (a tag, usually); several strings are several paragraphs. */
  cell: string | string[];
  /** Paragraph style of the looped cell, instead of TableText / TableTextLeft. */
  style?: string;
  /** Style of the cell's first paragraph when it differs (a run-in title). */
  firstStyle?: string;
  /** Width in twips; the widths add up to the type area (8845). */
  width: number;
  /** Left-align long text; numbers and short words are centred. */
  left?: boolean;
}

const BORDERS =
  '<w:tblBorders>' +
  ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('') +
  '</w:tblBorders>';

function cell(width: number, style: string, text: string | string[], firstStyle = style): string {
  const lines = Array.isArray(text) ? text : [text];
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>${lines.map((t, i) => p(i === 0 ? firstStyle : style, t)).join('')}</w:tc>`;
}

/**
 * A table with a header row repeated on every page (tblHeader) and one looped row: the loop's
 * opening tag in the first cell, its closing tag in the last, so docxtemplater repeats the row.
 */
export function table(loopName: string, columns: Column[]): string {
  const grid = columns.map((c) => `<w:gridCol w:w="${c.width}"/>`).join('');
  const head = columns.map((c) => cell(c.width, 'TableHead', c.head)).join('');
  const body = columns
    .map((c, i) => {
      const lines = Array.isArray(c.cell) ? [...c.cell] : [c.cell];
      if (i === 0) lines[0] = `{#${loopName}}${lines[0]}`;
      if (i === columns.length - 1) lines[lines.length - 1] = `${lines[lines.length - 1]}{/${loopName}}`;
      const style = c.style ?? (c.left ? 'TableTextLeft' : 'TableText');
      return cell(c.width, style, lines.length === 1 ? lines[0]! : lines, c.firstStyle ?? style);
    })
    .join('');
  const total = columns.reduce((s, c) => s + c.width, 0);
  return (
    `<w:tbl><w:tblPr><w:tblStyle w:val="GovTable"/><w:tblW w:w="${total}" w:type="dxa"/><w:jc w:val="center"/>${BORDERS}` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid>${grid}</w:tblGrid>` +
    `<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>${head}</w:tr>` +
    `<w:tr><w:trPr><w:cantSplit/></w:trPr>${body}</w:tr>` +
    `</w:tbl>`
  );
}

// Page geometry (GB/T 9704): A4; margins top 37, bottom 35, left 28, right 26 mm.
export const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474, header: 851, footer: 1304 };
/** 225 mm / 22 lines, rounded down so line 22 stays on the page in Word. */
export const LINE_PITCH = 579;
export const TYPE_WIDTH = PAGE.width - PAGE.left - PAGE.right; // 8845 twips = 28 Hanzi at 15.75 pt
/** One Hanzi at 16 pt condensed by 0.25 pt. */
export const HANZI = 315;
/** Left indent that puts a centred 署名's centre over the date's (see src/model/layout.ts). */
const SIGNER_LEFT = Math.round(PAGE.width - PAGE.left - PAGE.right - 2 * SIGNER_CENTRE_FROM_RIGHT * HANZI);
/** The 发文机关标志's line: exactly 2号 high, so the line's top is the name's. */
const LETTERHEAD_LINE = 440;
/** The sample note's exact line in the header (12 pt), which the 版头 sits under. */
const SAMPLE_NOTE_LINE = 240;
/** From the sample note's foot to the name's top at 30 mm (1701 twips) from the top edge. */
const LETTERHEAD_BEFORE = 1701 - PAGE.header - SAMPLE_NOTE_LINE;
/** 4 mm, in points, from the name's foot to the rule. */
const LETTERHEAD_RULE_SPACE = 11;
/**
 * Under the rule to the body: the header ends at 2691 twips (47.47 mm), so 21 grid rows fit above
 * the bottom margin with 4 twips to spare. LibreOffice centres the rows that fit in the body
 * (a header ending 10 twips lower gives it 20 rows and drops the 发文字号 by 5 mm); with no room
 * left over its rows start where ours and Word's do.
 */
const LETTERHEAD_AFTER = 240;
/** The letters' footer distance: the lower rule's foot 20 mm above the bottom edge (10.1). */
const LETTER_FOOTER = 1134;
/** The 版头's red rules are 170 mm: the 156 mm type area and 7 mm (397 twips) beyond it each side, centred. */
const RULE_SPAN = '<w:jc w:val="center"/><w:ind w:left="-397" w:right="-397" w:firstLineChars="0" w:firstLine="0"/>';
/** A paragraph of one exact line of `line` twips off the grid, 1 pt type: a rule's carrier or a measured blank. */
const hairline = (line: number): string => `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="${line}" w:lineRule="exact"/>`;
const HAIRLINE_RPR = '<w:sz w:val="2"/><w:szCs w:val="2"/>';

/**
 * A wide table printed across an A4 sheet: the portrait page turned a quarter clockwise, so
 * each margin keeps its edge of the sheet (left, the binding edge, becomes the top). The
 * footer distance keeps the page number 7 mm below the type area, as on portrait pages.
 */
export const LANDSCAPE = { width: PAGE.height, height: PAGE.width, top: PAGE.left, right: PAGE.top, bottom: PAGE.right, left: PAGE.bottom, header: 851, footer: 794 };
export const LANDSCAPE_TYPE_WIDTH = LANDSCAPE.width - LANDSCAPE.left - LANDSCAPE.right; // 12756 twips

/** How a document's pages are set up; the defaults are the GB/T 9704 portrait page. */
export interface PageSetup {
  landscape?: boolean;
  /** Header with the sample-data note (default true). */
  header?: boolean;
  /** "— N —" page numbers (default true); front matter goes without. */
  footer?: boolean;
  /** Styles only this document uses, after the shared ones. */
  styles?: StyleDef[];
  /** A first page without a page number (信函格式, GB/T 9704 10.1): w:titlePg. */
  unnumberedFirstPage?: boolean;
}

function sectPr(setup: PageSetup = {}): string {
  const g = setup.landscape ? LANDSCAPE : PAGE;
  return (
    `<w:sectPr>` +
    (setup.header === false ? '' : `<w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="even" r:id="rIdHeader2"/>`) +
    (setup.footer === false ? '' : `<w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/>`) +
    (setup.unnumberedFirstPage ? `<w:headerReference w:type="first" r:id="rIdHeader3"/><w:footerReference w:type="first" r:id="rIdFooter3"/>` : '') +
    `<w:pgSz w:w="${g.width}" w:h="${g.height}"${setup.landscape ? ' w:orient="landscape"' : ''}/>` +
    `<w:pgMar w:top="${g.top}" w:right="${g.right}" w:bottom="${g.bottom}" w:left="${g.left}" w:header="${g.header}" w:footer="${setup.unnumberedFirstPage ? LETTER_FOOTER : g.footer}" w:gutter="0"/>` +
    `<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>` +
    (setup.unnumberedFirstPage ? '<w:titlePg/>' : '') +
    `<w:docGrid w:type="lines" w:linePitch="${LINE_PITCH}"/>` +
    `</w:sectPr>`
  );
}

export function documentXml(body: string, setup: PageSetup = {}): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}${sectPr(setup)}</w:body></w:document>`
  );
}

// ── styles ──────────────────────────────────────────────────────────────────
const LATIN = 'Times New Roman';
export function fonts(eastAsia: string, latin = LATIN): string {
  return `<w:rFonts w:ascii="${latin}" w:hAnsi="${latin}" w:eastAsia="${eastAsia}" w:cs="${latin}"/>`;
}

export interface StyleDef {
  id: string;
  name: string;
  basedOn?: string;
  next?: string;
  pPr?: string;
  rPr?: string;
  outline?: number;
}

function style(s: StyleDef): string {
  const outline = s.outline === undefined ? '' : `<w:outlineLvl w:val="${s.outline}"/>`;
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${s.id}"><w:name w:val="${s.name}"/>` +
    (s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : '') +
    `<w:next w:val="${s.next ?? 'Normal'}"/><w:qFormat/>` +
    `<w:pPr>${s.pPr ?? ''}${outline}</w:pPr>` +
    (s.rPr ? `<w:rPr>${s.rPr}</w:rPr>` : '') +
    `</w:style>`
  );
}

export const EXACT = `<w:spacing w:before="0" w:after="0" w:line="${LINE_PITCH}" w:lineRule="exact"/>`;
export const NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>';

export function stylesXml(extra: StyleDef[] = []): string {
  const defs: StyleDef[] = [
    { id: 'DocTitle', name: '公文标题', pPr: `<w:snapToGrid w:val="0"/><w:jc w:val="center"/>${NO_INDENT}`, rPr: `${fonts('方正小标宋简体')}<w:sz w:val="44"/><w:szCs w:val="44"/>` },
    { id: 'DocSubtitle', name: '副标题', pPr: `<w:jc w:val="center"/>${NO_INDENT}`, rPr: fonts('楷体_GB2312') },
    { id: 'DocNumber', name: '发文字号', pPr: `<w:jc w:val="right"/>${NO_INDENT}` },
    { id: 'Recipient', name: '主送机关', pPr: `<w:jc w:val="left"/>${NO_INDENT}` },
    // A heading never stands alone at the foot of a page.
    { id: 'Heading1', name: '一级标题', pPr: '<w:keepNext/>', rPr: fonts('黑体'), outline: 0 },
    { id: 'Heading2', name: '二级标题', pPr: '<w:keepNext/>', rPr: fonts('楷体_GB2312'), outline: 1 },
    { id: 'Heading3', name: '三级标题', pPr: '<w:keepNext/>', rPr: fonts('仿宋_GB2312'), outline: 2 },
    {
      id: 'AttachNote',
      name: '附件说明',
      // 附件：1.名称 — wrapped names and later items align with the first character of the name.
      pPr: `<w:tabs><w:tab w:val="left" w:pos="${5 * HANZI}"/><w:tab w:val="left" w:pos="${6 * HANZI}"/></w:tabs><w:ind w:left="${6 * HANZI}" w:hanging="${4 * HANZI}"/>`,
    },
    // 署名 centred over the 成文日期 (GB/T 9704 7.3.5.1) by indents, not spaces: centred between a
    // left indent and the right edge, so its centre is the date's whatever the font. Both keep
    // with what follows, so 署名, date and 附注 never stand alone on a page (7.3.5.5).
    { id: 'AttachNoteKeep', name: '附件说明（末项）', basedOn: 'AttachNote', next: 'Normal', pPr: '<w:keepNext/>' },
    { id: 'Signer', name: '署名', pPr: `<w:keepNext/><w:jc w:val="center"/><w:ind w:left="${SIGNER_LEFT}" w:right="0" w:firstLineChars="0" w:firstLine="0"/>` },
    { id: 'SignerRight', name: '署名（右对齐）', pPr: `<w:keepNext/><w:jc w:val="right"/>${NO_INDENT}` },
    { id: 'DateLine', name: '成文日期', pPr: `<w:keepNext/><w:jc w:val="right"/><w:ind w:right="${DATE_RIGHT_HANZI * HANZI}" w:firstLineChars="0" w:firstLine="0"/>` },
    // The 附注 is never split: its lines stay with the date above it (7.3.5.5).
    { id: 'Annotation', name: '附注', pPr: '<w:keepLines/><w:jc w:val="left"/>' },
    // The closing line and the blank lines above the 署名 travel with it.
    { id: 'Closing', name: '结束语', pPr: '<w:keepNext/>' },
    { id: 'BlankKeep', name: '空行（与下段同页）', pPr: '<w:keepNext/>' },
    // A label that introduces a list ("证明材料：") never ends a page without the list's first line.
    { id: 'ListLabel', name: '列表引语', pPr: '<w:keepNext/>' },
    // 信函格式 版头 (10.1), in the first page's header: Word and LibreOffice put nothing of the body
    // above the type area, so only a header taller than the top margin can set the name's top at
    // 30 mm; the body then starts under it. Below the sample note (exact 12 pt from 15 mm), the
    // name's top at 30 mm; a red thick-over-thin rule 4 mm under it, 170 mm long (the type area
    // and 7 mm each side); the 发文字号 7/8 Hanzi under the rule, on a body that keeps 21 grid rows.
    {
      id: 'Letterhead',
      name: '发文机关标志',
      pPr:
        `<w:snapToGrid w:val="0"/><w:spacing w:before="${LETTERHEAD_BEFORE}" w:after="${LETTERHEAD_AFTER}" w:line="${LETTERHEAD_LINE}" w:lineRule="exact"/>` +
        `<w:pBdr><w:bottom w:val="thickThinSmallGap" w:sz="24" w:space="${LETTERHEAD_RULE_SPACE}" w:color="FF0000"/></w:pBdr>` +
        RULE_SPAN,
      rPr: `${fonts('方正小标宋简体')}<w:color w:val="FF0000"/><w:spacing w:val="0"/><w:sz w:val="44"/><w:szCs w:val="44"/>`,
    },
    { id: 'LetterheadMedium', name: '发文机关标志（小二号）', basedOn: 'Letterhead', rPr: '<w:sz w:val="36"/><w:szCs w:val="36"/>' },
    { id: 'LetterheadSmall', name: '发文机关标志（三号）', basedOn: 'Letterhead', rPr: '<w:sz w:val="32"/><w:szCs w:val="32"/>' },
    // The lower rule (thin over thick), in the first page's footer: its foot 20 mm above the bottom edge.
    {
      id: 'LetterheadFoot',
      name: '版记红色双线',
      pPr: `${hairline(20)}<w:pBdr><w:bottom w:val="thinThickSmallGap" w:sz="24" w:space="0" w:color="FF0000"/></w:pBdr>${RULE_SPAN}`,
      rPr: HAIRLINE_RPR,
    },
    { id: 'DocEnd', name: '文末', pPr: `${hairline(20)}${NO_INDENT}`, rPr: HAIRLINE_RPR },
    // Letterhead paper: 1 mm exact lines, as many as the data asks, keep the printed head clear.
    { id: 'LetterheadSpace', name: '版头空白', pPr: `${hairline(57)}${NO_INDENT}`, rPr: HAIRLINE_RPR },
    { id: 'BodyFlush', name: '正文顶格', pPr: NO_INDENT },
    { id: 'EvidenceLine', name: '证明材料' },
    { id: 'AttachLabel', name: '附件标识', pPr: `<w:pageBreakBefore/>${NO_INDENT}<w:jc w:val="left"/>`, rPr: fonts('黑体') },
    // 附件1 on line 1 of a document that is itself an attachment (it starts its own file).
    { id: 'AttachLabelTop', name: '附件标识（首行）', pPr: `${NO_INDENT}<w:jc w:val="left"/>`, rPr: fonts('黑体') },
    {
      id: 'TableText',
      name: '表格文字',
      // 五号 throughout a table, figures and words alike; off the 28.95 pt grid, or each table line
      // would take a whole body line.
      pPr: `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="exact"/><w:jc w:val="center"/>${NO_INDENT}`,
      rPr: '<w:spacing w:val="0"/><w:sz w:val="21"/><w:szCs w:val="21"/>',
    },
    { id: 'TableTextLeft', name: '表格文字左对齐', basedOn: 'TableText', next: 'TableTextLeft', pPr: '<w:jc w:val="both"/>' },
    { id: 'TableHead', name: '表头', basedOn: 'TableText', next: 'TableHead', rPr: fonts('黑体') },
    // Figures and contact details: the same size as the words beside them; their columns are sized
    // so the widest figure holds on one line (tools/templates.ts).
    { id: 'TableNumber', name: '表格数字', basedOn: 'TableText', next: 'TableNumber' },
    {
      id: 'PageNumberOdd',
      name: '页码（奇数页）',
      pPr: `<w:spacing w:before="0" w:after="0" w:line="280" w:lineRule="exact"/><w:jc w:val="right"/><w:ind w:right="280" w:firstLineChars="0" w:firstLine="0"/>`,
      rPr: `${fonts('宋体', '宋体')}<w:spacing w:val="0"/><w:sz w:val="28"/><w:szCs w:val="28"/>`,
    },
    { id: 'PageNumberEven', name: '页码（偶数页）', basedOn: 'PageNumberOdd', pPr: `<w:jc w:val="left"/><w:ind w:left="280" w:right="0" w:firstLineChars="0" w:firstLine="0"/>` },
    {
      id: 'SampleNote',
      name: '示例标注',
      pPr: `<w:spacing w:before="0" w:after="0" w:line="${SAMPLE_NOTE_LINE}" w:lineRule="exact"/><w:jc w:val="center"/>${NO_INDENT}`,
      rPr: `${fonts('黑体')}<w:spacing w:val="0"/><w:color w:val="808080"/><w:sz w:val="21"/><w:szCs w:val="21"/>`,
    },
  ];
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<w:styles xmlns:w="${W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts('仿宋_GB2312')}<w:kern w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/>` +
    `<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr>${EXACT}</w:pPr></w:pPrDefault></w:docDefaults>` +
    // Normal (shown as 正文 in Chinese Word): 3号仿宋, 2-Hanzi indent, justified, exact 579 twips,
    // condensed 0.25 pt so 28 Hanzi fill the 156 mm line (GBT9704.md).
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
    `<w:pPr><w:widowControl/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>${EXACT}` +
    `<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr>` +
    `<w:rPr>${fonts('仿宋_GB2312')}<w:spacing w:val="-5"/><w:kern w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
    `<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>` +
    `<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `<w:style w:type="table" w:customStyle="1" w:styleId="GovTable"><w:name w:val="公文表格"/><w:basedOn w:val="TableNormal"/></w:style>` +
    [...defs, ...extra].map((d) => style({ basedOn: 'Normal', ...d })).join('') +
    `</w:styles>`
  );
}

export function settingsXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<w:settings xmlns:w="${W}">` +
    `<w:zoom w:percent="100"/><w:evenAndOddHeaders/><w:defaultTabStop w:val="${2 * HANZI}"/>` +
    // Do not compress punctuation: every full-width mark keeps one Hanzi cell, as on the 28 × 22 grid.
    `<w:characterSpacingControl w:val="doNotCompress"/>` +
    `<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
    `<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
    `<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>` +
    `</w:settings>`
  );
}

export function fontTableXml(): string {
  const f = (name: string, charset: string, family: string, pitch = 'variable') =>
    `<w:font w:name="${name}"><w:charset w:val="${charset}"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<w:fonts xmlns:w="${W}">` +
    f('Times New Roman', '00', 'roman') +
    f('仿宋_GB2312', '86', 'modern', 'fixed') +
    f('方正小标宋简体', '86', 'script') +
    f('黑体', '86', 'modern', 'fixed') +
    f('楷体_GB2312', '86', 'modern', 'fixed') +
    f('宋体', '86', 'auto') +
    `</w:fonts>`
  );
}

/** "— N —": em dashes as text around a PAGE field (numberInDashes would give hyphens). */
function pageNumber(style: string, lift = 0): string {
  const t = (s: string) => `<w:r><w:t xml:space="preserve">${s}</w:t></w:r>`;
  return (
    `<w:p><w:pPr><w:pStyle w:val="${style}"/>${lift ? `<w:spacing w:after="${lift}"/>` : ''}</w:pPr>${t('\u2014 ')}` +
    `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${t('1')}<w:r><w:fldChar w:fldCharType="end"/></w:r>${t(' \u2014')}</w:p>`
  );
}

/**
 * `lift`: twips under the number, where a section's footer distance is shorter than the usual
 * (the letters', for the 版头's lower rule), so the number stays 7 mm under the type area.
 */
export function footerXml(even: boolean, lift = 0): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="${W}" xmlns:r="${R}">${pageNumber(even ? 'PageNumberEven' : 'PageNumberOdd', lift)}</w:ftr>`;
}

/** A letter's first page (信函格式, 10.1): the sample note, then the generated 版头 when the data asks for it. */
function firstHeaderXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="${W}" xmlns:r="${R}">${p('SampleNote', '{sample_note}')}` +
    // The organ's name on one line: a smaller size for a longer name.
    loop('letterhead', 'Letterhead', [
      loop('organ_large', 'Letterhead', p('Letterhead', '{organ}')),
      loop('organ_medium', 'LetterheadMedium', p('LetterheadMedium', '{organ}')),
      loop('organ_small', 'LetterheadSmall', p('LetterheadSmall', '{organ}')),
    ]) +
    `</w:hdr>`
  );
}

/** A letter's first page prints no number; with a generated 版头, the lower red rule. */
function firstFooterXml(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="${W}" xmlns:r="${R}">` +
    loop('letterhead', 'LetterheadFoot', p('LetterheadFoot')) +
    unless('letterhead', 'PageNumberOdd', p('PageNumberOdd')) +
    `</w:ftr>`
  );
}

/** Sample output is marked in the header, outside the type area, on every page. */
export function headerXml(): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="${W}" xmlns:r="${R}">${p('SampleNote', '{sample_note}')}</w:hdr>`;
}

const contentTypes = (setup: PageSetup) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
  `<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
  `<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
  (setup.header === false
    ? ''
    : `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
      `<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`) +
  (setup.footer === false
    ? ''
    : `<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
      `<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>`) +
  (setup.unnumberedFirstPage
    ? `<Override PartName="/word/header3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
      `<Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>`
    : '') +
  `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
  `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
  `</Types>`;

const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
  `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
  `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
  `</Relationships>`;

const docRels = (setup: PageSetup) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
  `<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
  `<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
  (setup.header === false
    ? ''
    : `<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
      `<Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>`) +
  (setup.footer === false
    ? ''
    : `<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
      `<Relationship Id="rIdFooter2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>`) +
  (setup.unnumberedFirstPage
    ? `<Relationship Id="rIdHeader3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header3.xml"/>` +
      `<Relationship Id="rIdFooter3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer3.xml"/>`
    : '') +
  `</Relationships>`;

function coreXml(title: string): string {
  const when = '2022-01-01T00:00:00Z';
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${esc(title)}</dc:title><dc:creator>shenbao</dc:creator><cp:lastModifiedBy>shenbao</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}

const APP_XML =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>shenbao</Application></Properties>`;

/** A complete .docx package around a body, with fixed dates so the bytes are reproducible. */
export function docxPackage(title: string, body: string, setup: PageSetup = {}): Buffer {
  const zip = new PizZip();
  const files: [string, string][] = [
    ['[Content_Types].xml', contentTypes(setup)],
    ['_rels/.rels', ROOT_RELS],
    ['docProps/core.xml', coreXml(title)],
    ['docProps/app.xml', APP_XML],
    ['word/document.xml', documentXml(body, setup)],
    ['word/_rels/document.xml.rels', docRels(setup)],
    ['word/styles.xml', stylesXml(setup.styles)],
    ['word/settings.xml', settingsXml()],
    ['word/fontTable.xml', fontTableXml()],
  ];
  if (setup.header !== false) files.push(['word/header1.xml', headerXml()], ['word/header2.xml', headerXml()]);
  const lift = setup.unnumberedFirstPage ? PAGE.footer - LETTER_FOOTER : 0;
  if (setup.footer !== false) files.push(['word/footer1.xml', footerXml(false, lift)], ['word/footer2.xml', footerXml(true, lift)]);
  if (setup.unnumberedFirstPage) files.push(['word/header3.xml', firstHeaderXml()], ['word/footer3.xml', firstFooterXml()]);
  for (const [name, content] of files) zip.file(name, content, { date: FIXED_ZIP_DATE, createFolders: false });
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
