/**
 * View models of the round-independent documents of the package and batch stages
 * (templates/common/: cover, checklist, summary; fields in fields.ts COMMON_DOC_FIELDS) and the
 * office's summary as CSV. Pure: no I/O, same input → same output; every figure is formatted
 * here, the templates only place it.
 */
import type { Applicant } from '../schema/applicant.js';
import type { Category, Program } from '../program/schema.js';
import type { Catalogue, Indicator } from '../program/indicators.js';
import { STATUS_LABEL, type Evaluation } from '../evaluate/types.js';
import { FINDING_KIND_LABEL } from '../evaluate/consistency/types.js';
import { formatPath } from '../common/diagnostics.js';
import { roundHalfUp } from '../common/format.js';
import { SAMPLE_NOTE, Texts, common, evidenceLine, layoutTitle, reportYears, textContext, type ViewModel } from './build.js';
import { TITLE_LINE_HANZI_LANDSCAPE, breakTitle } from './title.js';
import { describeGrowth, formatDate, formatGrowth, headingNumber } from './format.js';
import { formatIndicator, indicatorValue } from './indicators.js';

export interface CoverInput {
  applicant: Applicant;
  program: Program;
  category: Category;
  /** ISO date printed on the cover; default: the 申报函's date (from the data, never the clock). */
  date?: string;
  /** The materials in the combined PDF, each with its first page there (the cover is page 1). */
  parts: { number: string; name: string; page: number }[];
}

export interface ChecklistInput {
  applicant: Applicant;
  program: Program;
  category: Category;
  evaluation: Evaluation;
  /** Messages of the warnings met while producing the package. */
  warnings: string[];
}

export interface SummaryApplicant {
  applicant: Applicant;
  evaluation: Evaluation;
  catalogue: Catalogue;
  /** The applicant's data file (shown in the CSV, so the office can find it). */
  file: string;
  /** Why its package was not built (an unmet condition, a template error), if it was not. */
  error?: string;
}

/** A submitted file with no package: invalid data, or a valid applicant whose build failed. */
export interface SummaryFailure {
  file: string;
  /** The applicant's full name when the data could be read that far. */
  name?: string;
  reason: string;
}

export interface SummaryInput {
  program: Program;
  /** In the order to print; applicants in the order given (the caller sorts). */
  categories: { category: Category; applicants: SummaryApplicant[] }[];
  /** Every submitted file that has no package, in the order submitted. */
  failed?: SummaryFailure[];
  /** Quotas the office was allocated, by category id, where the round leaves them to allocation. */
  quotas?: Record<string, number>;
}

/** The label of an applicant's overall result: 是 only when every condition is 符合. */
function eligibleLabel(e: Evaluation): string {
  if (e.eligible) return '是';
  return e.counts.unmet || e.counts.pending ? '否' : '待人工确认';
}

/** "2022年…推荐申报" → "2022年…推荐": the titles append 申报材料 / 申报情况汇总表 themselves. */
function programStem(program: Program): string {
  return program.name.replace(/申报$/, '');
}

// ── cover ───────────────────────────────────────────────────────────────────

/** 材料汇编 front matter: the cover (page 1) and the table of contents (page 2). */
export function buildCoverModel(input: CoverInput): ViewModel {
  const { applicant: a, program } = input;
  const texts = new Texts(program, textContext(input));
  return {
    ...common(input),
    title: layoutTitle(input, texts.get('cover_title', `${programStem(program)}申报材料`)),
    date: formatDate(input.date ?? a.letter.date),
    toc_title: '目　录',
    parts: input.parts.map((p) => ({ number: p.number, name: p.name, page: String(p.page) })),
  };
}

// ── checklist ───────────────────────────────────────────────────────────────

/** "不符合1项、待补充2项" for the statuses that keep an applicant from applying. */
function blockingCounts(e: Evaluation): string[] {
  const out: string[] = [];
  if (e.counts.unmet) out.push(`不符合${e.counts.unmet}项`);
  if (e.counts.pending) out.push(`待补充${e.counts.pending}项`);
  if (e.counts.review) out.push(`待人工确认${e.counts.review}项`);
  return out;
}

/** The internal 申报条件自查表: every condition with its status, reason and evidence. */
export function buildChecklistModel(input: ChecklistInput): ViewModel {
  const { evaluation } = input;
  const blocking = blockingCounts(evaluation);
  return {
    ...common(input),
    title: layoutTitle(input, '申报条件自查表'),
    note: '内部自查用，不随申报材料报送',
    conditions: evaluation.results.map((r) => ({
      id: r.id,
      clause: r.clause,
      title: r.title,
      text: r.text,
      status: STATUS_LABEL[r.status],
      reason: r.reason,
      has_evidence: r.evidence.length > 0,
      // A dash, not an empty cell, says "none" on paper.
      evidence: r.evidence.length > 0 ? r.evidence.map((e, i) => evidenceLine(e, i)) : ['—'],
    })),
    met: String(evaluation.counts.met),
    unmet: String(evaluation.counts.unmet),
    pending: String(evaluation.counts.pending),
    review: String(evaluation.counts.review),
    priority: String(evaluation.counts.priority),
    conclusion: evaluation.eligible ? '各项申报条件均已符合。' : `尚有${blocking.join('、')}，请在报送前补充或核实。`,
    has_warnings: input.warnings.length > 0,
    warnings: input.warnings.map((text, i) => ({ number: `${i + 1}.`, text })),
    ...findingsModel(evaluation),
  };
}

/** The reviewer's findings for the checklist: open ones first (they need action), acknowledged ones with their reason. */
function findingsModel(e: Evaluation): ViewModel {
  const open = e.findings.filter((f) => f.acknowledged === undefined);
  const done = e.findings.filter((f) => f.acknowledged !== undefined);
  const summary = open.length || done.length ? `发现${open.length}处疑点${done.length ? `，已确认${done.length}处` : ''}，详见下列各项（shenbao check 可列出行列位置）。` : '正文数字、增长表述、方案目标和日期未发现疑点。';
  return {
    findings_summary: summary,
    findings: [...open, ...done].map((f, i) => ({
      number: `${i + 1}.`,
      kind: FINDING_KIND_LABEL[f.kind],
      text: f.message,
      where: `${formatPath(f.path)}${f.line ? `（第${f.line}行第${f.col}列）` : ''}`,
      status: f.acknowledged === undefined ? '待核实' : `已确认：${f.acknowledged}`,
    })),
  };
}

// ── summary ─────────────────────────────────────────────────────────────────

/**
 * Key indicators of the summary, by preference: the first four that any applicant of the
 * category reports for the latest year. Districts compare patent stock and density and the
 * municipal ranking; parks the IP budget share the notice requires (≥ 0.05%).
 */
const KEY_INDICATORS = {
  district: ['invention_patents', 'high_value_patents_per_10k', 'invention_patents_per_10k', 'performance_rank', 'pct_applications', 'trademarks', 'pledge_financing'],
  park: ['invention_patents', 'ip_funds_ratio', 'ip_funds', 'performance_rank', 'high_value_patents', 'pct_applications', 'pledge_financing'],
};
const KEY_COLUMNS = 4;

function isPark(category: Category): boolean {
  return category.scope.includes('园区');
}

interface KeyIndicator {
  id: string;
  ind?: Indicator;
  head: string;
}

function keyIndicators(category: Category, applicants: SummaryApplicant[], year: number): KeyIndicator[] {
  const catalogue = applicants[0]?.catalogue;
  if (!catalogue) return [];
  const reported = (id: string) => applicants.some((x) => indicatorValue(x.applicant, x.catalogue, id, year) !== undefined);
  const preferred = KEY_INDICATORS[isPark(category) ? 'park' : 'district'];
  // Preferred ones first; then anything else reported, in catalogue order, to fill the columns.
  const ids = [...preferred, ...catalogue.indicators.map((i) => i.id).filter((id) => !preferred.includes(id))].filter(reported);
  return ids.slice(0, KEY_COLUMNS).map((id) => {
    const ind = catalogue.indicators.find((i) => i.id === id);
    return { id, ind, head: ind ? `${ind.name}（${ind.unit}）` : id };
  });
}

/** Latest value and its change on the year before, as printed under it. */
function keyValue(k: KeyIndicator | undefined, x: SummaryApplicant, year: number): { value: string; change: string } {
  if (!k) return { value: '—', change: '' };
  const cur = indicatorValue(x.applicant, x.catalogue, k.id, year);
  const prev = indicatorValue(x.applicant, x.catalogue, k.id, year - 1);
  if (k.ind?.kind === 'rank') {
    // A rank's growth rate means nothing: the previous rank says whether it rose or fell.
    return { value: formatIndicator(k.ind, cur), change: prev === undefined ? '' : `上年第${formatIndicator(k.ind, prev)}名` };
  }
  return { value: formatIndicator(k.ind, cur), change: describeGrowth(prev, cur) };
}

/** The quota: the round's, else the office's allocation; the notice never leaves it unlimited. */
function quotaOf(category: Category, quotas?: Record<string, number>): number | undefined {
  return category.quota ?? quotas?.[category.id] ?? quotas?.[category.short_name];
}

function quotaText(category: Category, quotas?: Record<string, number>): string {
  const q = quotaOf(category, quotas);
  return q === undefined ? '推荐名额按分配名额确定' : `推荐名额${q}个`;
}

/** The municipal office's 申报情况汇总表: per category, the applicants side by side against the quota. */
export function buildSummaryModel(input: SummaryInput): ViewModel {
  const { program } = input;
  const latest = reportYears(program)[2];
  const everyone = input.categories.flatMap((c) => c.applicants);
  const sample = everyone.some((x) => x.applicant.sample);
  const categories = input.categories.map((c, ci) => {
    const { category, applicants } = c;
    const keys = keyIndicators(category, applicants, latest);
    const eligible = applicants.filter((x) => x.evaluation.eligible).length;
    const quota = quotaOf(category, input.quotas);
    const overQuota = quota !== undefined && eligible > quota;
    const hasRank = keys.some((k) => k.ind?.kind === 'rank');
    const heads: Record<string, string> = {};
    for (let i = 0; i < KEY_COLUMNS; i++) heads[`h${i + 1}`] = keys[i]?.head ?? '—';
    return {
      heading: `${headingNumber(1, ci + 1)}${category.short_name}（${quotaText(category, input.quotas)}，申报${applicants.length}家）`,
      name: category.name,
      short_name: category.short_name,
      quota: quota === undefined ? '按分配名额' : String(quota),
      count: String(applicants.length),
      eligible_count: String(eligible),
      over_quota: overQuota,
      quota_line:
        applicants.length === 0
          ? `${category.name}${quotaText(category, input.quotas)}，本类别无申报单位。`
          : `${category.name}${quotaText(category, input.quotas)}；申报${applicants.length}家，满足全部申报条件的${eligible}家` +
            (applicants.some((x) => x.error) ? `，未生成材料包的${applicants.filter((x) => x.error).length}家（见文末）。` : '。') +
            (overQuota ? '满足条件的单位多于推荐名额，需择优推荐。' : ''),
      has_applicants: applicants.length > 0,
      overview_heading: `${headingNumber(2, 1)}自查结果与主要指标`,
      indicator_note:
        `指标为${latest}年数值，其下为较${latest - 1}年增减` + (hasRank ? `（绩效考核排名其下为${latest - 1}年名次）` : '') + '。',
      ...heads,
      applicants: applicants.map((x, i) => {
        const e = x.evaluation;
        const row: Record<string, string> = {
          number: String(i + 1),
          name: x.error ? `${x.applicant.applicant.name}（材料包未生成）` : x.applicant.applicant.name,
          short_name: x.applicant.applicant.short_name,
          file: x.file,
          met: String(e.counts.met),
          unmet: String(e.counts.unmet),
          pending: String(e.counts.pending),
          review: String(e.counts.review),
          priority: String(e.counts.priority),
          eligible: eligibleLabel(e),
          built: x.error ? '未生成' : '已生成',
        };
        for (let k = 0; k < KEY_COLUMNS; k++) {
          const v = keyValue(keys[k], x, latest);
          row[`v${k + 1}`] = v.value;
          row[`g${k + 1}`] = v.change;
        }
        return row;
      }),
      conditions_heading: `${headingNumber(2, 2)}逐条判定情况`,
      conditions: applicants.flatMap((x) =>
        x.evaluation.results.map((r) => ({
          applicant: x.applicant.applicant.short_name,
          id: r.id,
          clause: r.clause,
          title: r.title,
          status: STATUS_LABEL[r.status],
          reason: r.reason,
        })),
      ),
    };
  });
  const eligibleTotal = everyone.filter((x) => x.evaluation.eligible).length;
  // Every submitted file without a package: unreadable data has no category, so it is listed
  // on its own, never left out of the count.
  const failed = input.failed ?? [];
  const submitted = everyone.length + failed.filter((f) => !everyone.some((x) => x.file === f.file)).length;
  return {
    sample,
    sample_note: sample ? SAMPLE_NOTE : '',
    program_name: program.name,
    year: String(program.year),
    // Landscape: the title line is the 225 mm side.
    title: breakTitle(`${programStem(program)}申报情况汇总表`, program.title_terms, TITLE_LINE_HANZI_LANDSCAPE),
    intro: `本表汇总${program.name}各类别申报单位的申报条件自查结果和主要指标，供审核推荐参考。申报截止日期为${formatDate(program.deadline)}。`,
    categories,
    total_line:
      `合计：提交数据文件${submitted}个；${input.categories.length}个类别，申报${everyone.length}家，满足全部申报条件的${eligibleTotal}家` +
      (failed.length ? `；未生成材料包的${failed.length}个，见下表。` : '。'),
    has_failed: failed.length > 0,
    failed_heading: `${headingNumber(1, input.categories.length + 1)}未生成材料包的数据文件`,
    failed_note: '以下数据文件已提交但未生成材料包，按提交顺序列出，原因为处理时发现的第一处问题。',
    failed: failed.map((f, i) => ({ number: String(i + 1), file: f.file, name: f.name ?? '—', reason: f.reason })),
  };
}

// ── CSV ─────────────────────────────────────────────────────────────────────

/** One CSV field: quoted when it holds a separator, quote or line break (RFC 4180). */
function csvField(value: string): string {
  // A leading = + - @ makes Excel evaluate the cell as a formula; numbers keep their sign.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d[\d.,]*%?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A value for a spreadsheet: plain digits (no thousands separators), the indicator's decimals. */
function csvNumber(ind: Indicator | undefined, value: number | undefined): string {
  return value === undefined ? '' : String(roundHalfUp(value, ind?.decimals ?? 0));
}

/**
 * The summary as CSV for Excel and WPS: UTF-8 with a BOM (Excel on Chinese Windows otherwise
 * reads GBK), CRLF line ends, RFC 4180 quoting. One row per applicant, across categories: the
 * columns of the summary's first table (key indicators as numbers, with their change on the
 * year before), the count of open consistency findings, then one column per condition (empty where the condition is another category's).
 */
export function summaryCsv(input: SummaryInput): string {
  const latest = reportYears(input.program)[2];
  const multi = input.categories.length > 1;
  // Key indicator columns: the union over categories, in first-seen order.
  const keyColumns = new Map<string, KeyIndicator>();
  for (const c of input.categories) for (const k of keyIndicators(c.category, c.applicants, latest)) if (!keyColumns.has(k.id)) keyColumns.set(k.id, k);
  const conditionColumns: { category: string; id: string; head: string }[] = [];
  const heads = new Set<string>();
  for (const c of input.categories) {
    for (const cond of c.category.conditions) {
      let head = multi ? `${c.category.short_name}：${cond.title}` : cond.title;
      if (heads.has(head)) head = `${head}（${cond.id}）`;
      heads.add(head);
      conditionColumns.push({ category: c.category.id, id: cond.id, head });
    }
  }
  const header = [
    '申报类别',
    '序号',
    '申报单位',
    '简称',
    '数据文件',
    '符合',
    '不符合',
    '待补充',
    '待人工确认',
    '具备优先条件',
    '是否满足申报条件',
    '材料包',
    '数据核对疑点',
    // The office's contact for each applicant: the only place the e-mail address is printed.
    '联系人',
    '联系电话',
    '电子邮箱',
    ...[...keyColumns.values()].flatMap((k) => [
      `${k.head}${latest}年`,
      k.ind?.kind === 'rank' ? `${k.ind.name}${latest - 1}年` : `${k.ind?.name ?? k.id}较上年增长`,
    ]),
    ...conditionColumns.map((c) => c.head),
  ];
  const rows: string[][] = [header];
  for (const c of input.categories) {
    c.applicants.forEach((x, i) => {
      const e = x.evaluation;
      const byId = new Map(e.results.map((r) => [r.id, STATUS_LABEL[r.status]]));
      rows.push([
        c.category.name,
        String(i + 1),
        x.applicant.applicant.name,
        x.applicant.applicant.short_name,
        x.file,
        String(e.counts.met),
        String(e.counts.unmet),
        String(e.counts.pending),
        String(e.counts.review),
        String(e.counts.priority),
        eligibleLabel(e),
        x.error ? `未生成：${x.error}` : '已生成',
        String(e.findings.filter((f) => f.acknowledged === undefined).length),
        x.applicant.contact.name,
        [x.applicant.contact.phone, x.applicant.contact.mobile].filter(Boolean).join('，'),
        x.applicant.contact.email ?? '',
        ...[...keyColumns.values()].flatMap((k) => {
          const cur = indicatorValue(x.applicant, x.catalogue, k.id, latest);
          const prev = indicatorValue(x.applicant, x.catalogue, k.id, latest - 1);
          const change = k.ind?.kind === 'rank' ? csvNumber(k.ind, prev) : cur === undefined || prev === undefined ? '' : formatGrowth(prev, cur);
          return [csvNumber(k.ind, cur), change === '—' ? '' : change];
        }),
        ...conditionColumns.map((col) => (col.category === c.category.id ? (byId.get(col.id) ?? '') : '')),
      ]);
    });
  }
  // Files without a valid applicant still appear: one row each, with the reason.
  const listed = new Set(input.categories.flatMap((c) => c.applicants.map((x) => x.file)));
  (input.failed ?? [])
    .filter((f) => !listed.has(f.file))
    .forEach((f, i) => {
      const row = new Array<string>(header.length).fill('');
      row[0] = '数据有误';
      row[1] = String(i + 1);
      row[2] = f.name ?? '';
      row[4] = f.file;
      row[11] = `未生成：${f.reason}`;
      rows.push(row);
    });
  return `\ufeff${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
