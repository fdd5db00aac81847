/**
 * The round-independent templates of the package and batch stages (templates/common/): the
 * 材料汇编 front matter, the internal 申报条件自查表 and the office's 申报情况汇总表. Same styles and
 * rules as the round templates (tools/templates.ts): values come from the view model
 * (src/model/package.ts, fields in src/model/fields.ts COMMON_DOC_FIELDS); literal text is only
 * wording that never changes.
 */
import {
  HANZI,
  LANDSCAPE_TYPE_WIDTH,
  NO_INDENT,
  TAB,
  TYPE_WIDTH,
  docxPackage,
  fonts,
  loop,
  p,
  paras,
  table,
  type Column,
  type PageSetup,
  type StyleDef,
} from './ooxml.js';

const blank = p('Normal');
const blanks = (n: number) => Array.from({ length: n }, () => blank).join('');

/** Styles of the front matter only (the round templates do not need them). */
const FRONT_STYLES: StyleDef[] = [
  // 申报单位：…／申报类别：… on the cover: 三号黑体, a fixed left edge so the labels line up.
  // A long name wraps under its own first character, not under the label (申报单位： is 5 Hanzi).
  { id: 'CoverLine', name: '封面信息', pPr: `<w:jc w:val="left"/><w:ind w:left="${8 * HANZI}" w:hanging="${5 * HANZI}" w:firstLineChars="0"/>`, rPr: fonts('黑体') },
  { id: 'CoverDate', name: '封面日期', pPr: `<w:jc w:val="center"/>${NO_INDENT}`, rPr: fonts('黑体') },
  // 目录 starts its own page: the cover is page one of the front matter, the contents page two.
  { id: 'TocTitle', name: '目录标题', basedOn: 'DocTitle', pPr: '<w:pageBreakBefore/>' },
  // "1　申报函 ………… 3": a right tab at the type area's edge with a dot leader.
  { id: 'TocLine', name: '目录条目', pPr: `<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="${TYPE_WIDTH}"/></w:tabs><w:jc w:val="left"/>${NO_INDENT}` },
];

/**
 * Table cells of the checklist and summary: ragged-right text (justifying a narrow cell that
 * holds document numbers and figures spreads them letter by letter) and a 黑体 run-in title.
 */
const TABLE_STYLES: StyleDef[] = [
  { id: 'TableTextRagged', name: '表格文字左齐', basedOn: 'TableText', next: 'TableTextRagged', pPr: '<w:jc w:val="left"/>' },
  { id: 'TableTextTitle', name: '表格小标题', basedOn: 'TableText', next: 'TableTextRagged', pPr: '<w:jc w:val="left"/>', rPr: fonts('黑体') },
];

function cover(): string {
  return [
    blanks(3),
    p('DocTitle', '{title}'),
    blanks(5),
    p('CoverLine', '申报单位：{applicant_name}'),
    p('CoverLine', '申报类别：{category_name}'),
    blanks(5),
    p('CoverDate', '{date}'),
    blank,
    p('SampleNote', '{sample_note}'),
    p('TocTitle', '{toc_title}'),
    blank,
    loop('parts', 'TocLine', p('TocLine', `{number}　{name}${TAB}{page}`)),
  ].join('');
}

function checklist(): string {
  return [
    p('DocTitle', '{title}'),
    p('DocSubtitle', '（{note}）'),
    blank,
    p('BodyFlush', '申报单位：{applicant_name}'),
    p('BodyFlush', '申报类别：{category_name}'),
    p('BodyFlush', '申报批次：{program_name}'),
    blank,
    table('conditions', [
      { head: '条款', cell: '{clause}', width: 700 },
      { head: '条件', cell: ['{title}', '{text}'], width: 2400, style: 'TableTextRagged', firstStyle: 'TableTextTitle' },
      { head: '判定', cell: '{status}', width: 900 },
      { head: '依据', cell: '{reason}', width: 2300, style: 'TableTextRagged' },
      // One paragraph per document (paragraph loop); the model gives "—" when there is none.
      { head: '证明材料', cell: ['{#evidence}', '{.}', '{/evidence}'], width: TYPE_WIDTH - 700 - 2400 - 900 - 2300, style: 'TableTextRagged' },
    ]),
    blank,
    p('Normal', '自查结果：符合{met}项，不符合{unmet}项，待补充{pending}项，待人工确认{review}项，具备优先条件{priority}项。{conclusion}'),
    p('Normal', '提示信息：{^has_warnings}无。{/has_warnings}'),
    loop('warnings', 'Normal', p('Normal', '{number}{text}')),
    p('Normal', '数据核对：{findings_summary}'),
    loop('findings', 'Normal', p('Normal', '{number}［{kind}］{text}（{where}；{status}）')),
  ].join('');
}

const L = LANDSCAPE_TYPE_WIDTH; // 12756

/** Applicants of one category side by side: statuses and the latest year's key indicators. */
const FIXED = { number: 700, name: 2200, met: 700, unmet: 900, pending: 900, eligible: 1150 };
const INDICATOR_WIDTH = (L - Object.values(FIXED).reduce((a, b) => a + b, 0)) / 4;
const summaryColumns: Column[] = [
  { head: '序号', cell: '{number}', width: FIXED.number },
  { head: '申报单位', cell: '{name}', width: FIXED.name, style: 'TableTextRagged' },
  { head: '符合', cell: '{met}', width: FIXED.met },
  { head: '不符合', cell: '{unmet}', width: FIXED.unmet },
  { head: '待补充', cell: '{pending}', width: FIXED.pending },
  { head: '是否满足申报条件', cell: '{eligible}', width: FIXED.eligible },
  // Value on the first line, its change on the year before on the second.
  ...[1, 2, 3, 4].map((i): Column => ({ head: `{h${i}}`, cell: [`{v${i}}`, `{g${i}}`], width: INDICATOR_WIDTH })),
];

const conditionColumns: Column[] = [
  { head: '申报单位', cell: '{applicant}', width: 1700, style: 'TableTextRagged' },
  { head: '条款', cell: '{clause}', width: 700 },
  { head: '条件', cell: '{title}', width: 1600, style: 'TableTextRagged' },
  { head: '判定', cell: '{status}', width: 1600 },
  { head: '依据', cell: '{reason}', width: L - 1700 - 700 - 1600 - 1600, style: 'TableTextRagged' },
];

const failedColumns: Column[] = [
  { head: '序号', cell: '{number}', width: 700 },
  { head: '数据文件', cell: '{file}', width: 2800, style: 'TableTextRagged' },
  { head: '申报单位', cell: '{name}', width: 2800, style: 'TableTextRagged' },
  { head: '未生成的原因', cell: '{reason}', width: L - 700 - 2800 - 2800, style: 'TableTextRagged' },
];

function summary(): string {
  return [
    p('DocTitle', '{title}'),
    blank,
    p('Normal', '{intro}'),
    loop('categories', 'Normal', [
      p('Heading1', '{heading}'),
      p('Normal', '{quota_line}'),
      loop('has_applicants', 'Normal', [
        p('Heading2', '{overview_heading}'),
        p('BodyFlush', '{indicator_note}'),
        table('applicants', summaryColumns),
        p('Heading2', '{conditions_heading}'),
        table('conditions', conditionColumns),
      ]),
    ]),
    blank,
    p('Normal', '{total_line}'),
    // Files submitted without a package: never left out of the office's view.
    loop('has_failed', 'Normal', [
      p('Heading1', '{failed_heading}'),
      p('BodyFlush', '{failed_note}'),
      table('failed', failedColumns),
    ]),
  ].join('');
}

const COMMON: Record<string, { title: string; body: () => string; setup: PageSetup }> = {
  // Front matter: no header (the sample note is on the cover itself) and no page numbers.
  cover: { title: '申报材料封面及目录', body: cover, setup: { header: false, footer: false, styles: FRONT_STYLES } },
  checklist: { title: '申报条件自查表', body: checklist, setup: { styles: TABLE_STYLES } },
  summary: { title: '申报情况汇总表', body: summary, setup: { landscape: true, styles: TABLE_STYLES } },
};

/** The documents of templates/common/, by file name. */
export const COMMON_TEMPLATES = Object.keys(COMMON).map((id) => `${id}.docx`);

/** templates/common/: file name → bytes. Pure and deterministic. */
export function buildCommonTemplates(): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [id, doc] of Object.entries(COMMON)) out[`${id}.docx`] = docxPackage(doc.title, doc.body(), doc.setup);
  return out;
}
