import { renderText } from '../program/text.js';
import { planBaseYear, reportingYears } from '../program/years.js';
import type { Applicant, Section } from '../schema/applicant.js';
import type { Category, Program } from '../program/schema.js';
import type { Catalogue } from '../program/indicators.js';
import type { ConditionResult, Evaluation } from '../evaluate/types.js';
import { STATUS_LABEL } from '../evaluate/types.js';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { HEADING_LEVELS, hanziWidth, SUMMARY_FIRST_LEVEL } from '../common/format.js';
import { FOOT_BLANKS, RECOMMENDATION_COLUMNS, footBlankLines, letterHeadRows, organSize, paragraphRows, signerLayout, tableRows } from './layout.js';
import { TITLE_LINE_HANZI, breakTitle, forcedTitle } from './title.js';
import { docIdOfTemplate, type DocId } from './fields.js';
import { formatDate, formatDeadline, headingNumber, thousands } from './format.js';
import { applicantSeries, formatIndicator, indicatorRows, indicatorValue, type IndicatorRow } from './indicators.js';
import { baselineOf } from '../evaluate/consistency/targets.js';

export interface ModelInput {
  applicant: Applicant;
  program: Program;
  category: Category;
  catalogue: Catalogue;
  evaluation: Evaluation;
}

/** Every document model is a plain object of strings, booleans and lists (see fields.ts). */
export type ViewModel = Record<string, unknown>;
export type ViewModels = Record<DocId, ViewModel>;

export interface BuiltModels {
  models: ViewModels;
  diagnostics: Diagnostic[];
}

export const SAMPLE_NOTE = '示例数据　仅供演示　不得作为申报材料报送';

/** The part of the input that names who applies for what (enough for the package documents). */
export type ApplicantInput = Pick<ModelInput, 'applicant' | 'program' | 'category'>;

/** Context of the round's handlebars wording (data/programs/*.yaml `texts`). */
export function textContext(input: ApplicantInput & Partial<ModelInput>): Record<string, string> {
  const { applicant: a, program, category } = input;
  return {
    applicant_name: a.applicant.name,
    applicant_short: a.applicant.short_name,
    place: a.applicant.place ?? '',
    category_name: category.name,
    category_short: category.short_name,
    level: category.level,
    scope: category.scope,
    deadline: formatDate(program.deadline),
    year: String(program.year),
    recipient: letterRecipient(input),
    notice_title: program.notice.title,
    notice_number: program.notice.number,
    program_name: program.name,
    period: `${a.plan.period.start}—${a.plan.period.end}年`,
  };
}

export class Texts {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly program: Program,
    private readonly context: Record<string, string>,
  ) {}

  /** A round text by key, or the fallback wording when the round does not define it. */
  get(key: string, fallback: string): string {
    const source = this.program.texts[key] ?? fallback;
    return this.render(source, `texts.${key}`);
  }

  render(source: string, where: string): string {
    try {
      return renderText(source, this.context, where).trim();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      this.diagnostics.push({
        severity: 'warning',
        code: 'model.text',
        message: `申报批次文字 ${where} 无法生成：${e.diagnostics[0]?.message ?? e.message}；相应位置留空`,
        path: ['texts', where.replace(/^texts\./, '')],
      });
      return renderText(source, this.context, where, { strict: false }).trim();
    }
  }
}

/** The same text as the paragraphs of one block (a round text may hold blank-line breaks). */
function paragraphsOf(s: string): string[] {
  return s
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ''))
    .filter(Boolean);
}

export { hanziWidth };

/** Terms a wrapped title keeps whole: the round's, and the applicant's own short names. */
function titleTerms(input: ApplicantInput): string[] {
  const a = input.applicant.applicant;
  return [...input.program.title_terms, a.short_name, ...(a.place ? [a.place] : [])];
}

/**
 * A document title with its line breaks (GB/T 9704 7.3.1): the user's own lines from
 * `layout.titles` when they spell the same title, else balanced lines cut between words.
 */
export function layoutTitle(input: ApplicantInput, title: string, doc?: TitledDoc, max = TITLE_LINE_HANZI, diagnostics?: Diagnostic[]): string {
  const lines = doc ? input.applicant.layout.titles?.[doc] : undefined;
  const forced = forcedTitle(title, lines);
  if (lines && !forced && diagnostics) {
    diagnostics.push({
      severity: 'warning',
      code: 'model.title-lines',
      message: `手工分行的标题“${lines.join('')}”与生成的标题“${title}”不一致，已按自动分行排版`,
      path: ['layout', 'titles', doc!],
    });
  }
  return forced ?? breakTitle(title, titleTerms(input), max);
}

type TitledDoc = 'letter' | 'report' | 'plan' | 'status-form';

/** The 署名, 成文日期 and 版头 fields every letter (申报函, 推荐函) shares. */
function letterFoot(signer: string, date: string, letterhead: 'generated' | 'paper', spaceMm = 0, blanks = FOOT_BLANKS): ViewModel {
  return {
    foot_blanks: Array.from({ length: blanks }, () => ({})),
    // One 1 mm paragraph per millimetre: the template places them, exact in every renderer.
    letterhead_space: letterhead === 'paper' ? Array.from({ length: spaceMm }, () => ({})) : [],
    signer,
    signer_centred: signerLayout(signer) === 'centred',
    date,
    letterhead: letterhead === 'generated',
    organ_large: organSize(signer) === 'large',
    organ_medium: organSize(signer) === 'medium',
    organ_small: organSize(signer) === 'small',
    letterhead_paper: letterhead === 'paper',
    organ: signer,
  };
}

export function common(input: ApplicantInput): ViewModel {
  const { applicant: a, program, category } = input;
  return {
    sample: a.sample,
    sample_note: a.sample ? SAMPLE_NOTE : '',
    applicant_name: a.applicant.name,
    applicant_short: a.applicant.short_name,
    place: a.applicant.place ?? '',
    program_name: program.name,
    category_name: category.name,
    category_short: category.short_name,
    level: category.level,
    year: String(program.year),
  };
}

/** The three years before the round's year, which the report covers (2022 → 2019–2021). */
export function reportYears(program: Program): [number, number, number] {
  return reportingYears(program.year);
}

/**
 * The letter's body: the round's wording that claims eligibility only when every condition is
 * 符合; otherwise the wording that refers the reader to the report, so the letter never claims
 * what the check does not confirm.
 */
export const LETTER_BODY_FALLBACK = {
  confirmed: '根据《{{notice_title}}》（{{notice_number}}）要求，{{applicant_short}}对照申报条件逐项开展了自查，认为已具备申报条件。现申报{{category_name}}，请予审核推荐。',
  unconfirmed: '根据《{{notice_title}}》（{{notice_number}}）要求，{{applicant_short}}对照申报条件逐项开展了自查，申报条件符合情况详见创建工作报告。现申报{{category_name}}，请予审核。',
};

/**
 * The materials the 申报函 sends as its attachments (附件1, 附件2 …): every other material the
 * applicant writes that travels the way the letter does, in the round's order (the national
 * round's report, plan and status form go through the online platform, not with the letter).
 * GB/T 9704 7.3.7: each carries its 附件 label and a title identical to its name in the
 * letter's 附件说明.
 */
export function letterAttachments(program: Program): Program['materials'] {
  const letter = program.materials.find((m) => m.id === 'letter');
  return program.materials.filter((m) => m.id !== 'letter' && m.author === 'applicant' && (m.delivery ?? '') === (letter?.delivery ?? ''));
}

/** "附件2" for the second attachment of the letter; '' for a material that is none. */
function attachmentLabel(program: Program, doc: DocId): string {
  const i = letterAttachments(program).findIndex((m) => (docIdOfTemplate(m.id) ?? docIdOfTemplate(m.template)) === doc);
  return i < 0 ? '' : `附件${i + 1}`;
}

function attachmentFields(program: Program, doc: DocId): ViewModel {
  const label = attachmentLabel(program, doc);
  return { attachment: label !== '', attachment_label: label };
}

/** The titles as one line each: what the 附件说明 names and the document properties hold. */
export type DocTitles = Record<TitledDoc, string>;

function documentTitles(texts: Texts): DocTitles {
  return {
    letter: texts.get('letter_title', '关于申报{{category_name}}的函'),
    report: texts.get('report_title', '{{applicant_name}}申报{{category_name}}创建工作报告'),
    plan: texts.get('plan_title', '{{applicant_short}}{{category_name}}三年期{{level}}工作方案'),
    'status-form': texts.get('status_form_title', '{{applicant_short}}知识产权强国建设{{level}}基本工作状况表'),
  };
}

function buildLetter(input: ModelInput, texts: Texts, titles: DocTitles, diagnostics: Diagnostic[]): ViewModel {
  const { applicant: a, program, evaluation } = input;
  const others = letterAttachments(program);
  const date = formatDate(a.letter.date);
  const contact = a.contact;
  const phones = [contact.phone, contact.mobile].filter(Boolean).join('，');
  const title = layoutTitle(input, titles.letter, 'letter', TITLE_LINE_HANZI, diagnostics);
  const body = paragraphsOf(
    evaluation.eligible ? texts.get('letter_body', LETTER_BODY_FALLBACK.confirmed) : texts.get('letter_body_unconfirmed', LETTER_BODY_FALLBACK.unconfirmed),
  );
  const closing = texts.get('letter_closing', '特此函告。');
  const attachments = others.map((m, i) => ({
    first: i === 0,
    last: i === others.length - 1,
    number: `${i + 1}.`,
    // The attached document's own title, word for word (7.3.4).
    name: titleOfMaterial(m, titles) ?? texts.render(m.title ?? m.name, `materials.${m.id}.title`),
  }));
  // 所在单位 and 职务 read as one title: 苏州市市场监督管理局（苏州市知识产权局）知识产权处处长.
  const note = `（联系人：${contact.name}${contact.unit || contact.position ? `，${contact.unit ?? ''}${contact.position ?? ''}` : ''}；联系电话：${phones}）`;
  const rowsBefore = letterHeadRows(a.layout.letterhead, a.layout.letterhead_space_mm, title.split('\n').length) + body.reduce((n, t) => n + paragraphRows(t), 0);
  // 结束语, the blank line under it, 附件说明 (hanging after "附件："), 署名, 成文日期, 附注.
  const block = paragraphRows(closing) + 1 + attachments.reduce((n, x) => n + paragraphRows(`附件：${x.number}${x.name}`, 0), 0) + 2 + paragraphRows(note);
  return {
    ...common(input),
    number: a.letter.number,
    title,
    recipient: letterRecipient(input),
    body,
    closing,
    attachments,
    ...letterFoot(a.letter.signer, date, a.layout.letterhead, a.layout.letterhead_space_mm, footBlankLines(rowsBefore, block)),
    note,
  };
}

/** A reason printed after 符合情况：X。 must read as a sentence. */
export function endSentence(s: string): string {
  const t = s.trim();
  return !t || /[。！？；]$/.test(t) ? t : `${t}。`;
}

export function evidenceLine(e: { title: string; number?: string; issuer?: string; date: string }, i: number): string {
  const title = /^《.*》$/.test(e.title) ? e.title : `《${e.title}》`;
  const meta = [e.issuer, e.number, formatDate(e.date)].filter(Boolean).join('，');
  return `${i + 1}.${title}（${meta}）`;
}

interface SectionModel {
  heading: string;
  paragraphs: string[];
  sections?: SectionModel[];
}

/**
 * Numbered sections starting at `level` (2 under a 一、 part). Templates nest three levels; a
 * fourth level would have no heading style left, so its headings become run-in paragraphs.
 */
function numberSections(sections: Section[], level: number, diagnostics: Diagnostic[], path: (string | number)[]): SectionModel[] {
  return sections.map((s, i) => {
    const heading = `${headingNumber(level, i + 1)}${s.title}`;
    const deepest = level >= HEADING_LEVELS;
    if (deepest && s.sections.length > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'model.section-depth',
        message: `章节层级超过四级（一、（一）1.（1）），第五级标题并入正文段落`,
        path: [...path, i, 'sections'],
      });
    }
    const flattened = deepest ? [...s.paragraphs, ...flatten(s.sections)] : s.paragraphs;
    const out: SectionModel = { heading, paragraphs: flattened };
    if (level < HEADING_LEVELS) out.sections = numberSections(s.sections, level + 1, diagnostics, [...path, i, 'sections']);
    return out;
  });
}

function flatten(sections: Section[]): string[] {
  return sections.flatMap((s) => [s.title, ...s.paragraphs, ...flatten(s.sections)]);
}

function titleOfMaterial(m: Program['materials'][number], titles: DocTitles): string | undefined {
  const doc = docIdOfTemplate(m.id) ?? docIdOfTemplate(m.template);
  return doc && doc in titles ? titles[doc as TitledDoc] : undefined;
}

function buildReport(input: ModelInput, texts: Texts, titles: DocTitles, diagnostics: Diagnostic[]): ViewModel {
  const { applicant: a, program, category, catalogue, evaluation } = input;
  const years = reportYears(program);
  const summary = numberSections(a.report.summary, SUMMARY_FIRST_LEVEL, diagnostics, ['report', 'summary']);
  // The report is what the office reads: a priority clause the applicant does not meet is not
  // its business (the internal checklist still lists it), and the checker's own wording (the
  // reason) is shown only where no statement of compliance says it better.
  const shown = evaluation.results.filter((r) => r.status !== 'not_applicable');
  const conditions = shown.map((r, i) => ({
    heading: `${headingNumber(2, i + 1)}${r.title}`,
    clause: r.clause,
    title: r.title,
    text: endSentence(r.text),
    ...formalFinding(r),
    has_evidence: r.evidence.length > 0,
    evidence: r.evidence.map((e, j) => ({
      line: evidenceLine(e, j),
      title: e.title,
      number: e.number ?? '',
      issuer: e.issuer ?? '',
      date: formatDate(e.date),
    })),
  }));
  return {
    ...common(input),
    ...attachmentFields(program, 'report'),
    title: layoutTitle(input, titles.report, 'report', TITLE_LINE_HANZI, diagnostics),
    overview_heading: `${headingNumber(1, 1)}基本情况`,
    overview: a.report.overview,
    conditions_heading: `${headingNumber(1, 2)}${texts.get('report_conditions_heading', '申报条件符合情况')}`,
    conditions_intro: category.basis ?? '',
    conditions,
    summary_heading: `${headingNumber(1, 3)}${texts.get('report_summary_heading', '近三年知识产权工作总结')}`,
    summary,
    indicators_heading: `${headingNumber(2, summary.length + 1)}主要指标情况`,
    indicator_note: `${years[0]}—${years[2]}年主要知识产权指标如下表（增长率为较上年增长）。`,
    y1: `${years[0]}年`,
    y2: `${years[1]}年`,
    y3: `${years[2]}年`,
    indicators: indicatorRows(a, catalogue, years),
  };
}

/**
 * What the report (a formal document) says after 符合情况：. Only facts: a condition the notice
 * words qualitatively (位居全市前列) shows the data and no verdict; the checker's internal
 * wording (待补充, what is missing) stays in the check and the checklist.
 */
export function formalFinding(r: ConditionResult): { status: string; reason: string; statement: string[] } {
  const ownWords = r.statement.length > 0 || r.check === 'declared';
  switch (r.status) {
    case 'review': {
      const [first, ...rest] = r.statement;
      const data = first?.replace(/[。；]$/, '') ?? `${r.figures.indicator_name ?? ''}${r.figures.ranks ?? ''}`;
      return { status: data, reason: '', statement: first === undefined ? r.statement : rest };
    }
    case 'pending':
      return { status: r.check === 'declared' || r.check === 'former_title' ? '尚未说明' : '相关数据尚未填报', reason: '', statement: r.statement };
    case 'unmet':
      return { status: STATUS_LABEL.unmet, reason: r.check === 'declared' ? '' : endSentence(r.reason), statement: r.statement };
    default:
      return { status: STATUS_LABEL[r.status], reason: ownWords ? '' : endSentence(r.reason), statement: r.statement };
  }
}

/**
 * The 申报函's 主送机关 and the 推荐函's 署名: the applicant's own office (letter.recipient,
 * validated against the round's offices where the round names none itself), else the round's.
 */
export function letterRecipient(input: ApplicantInput): string {
  return input.applicant.letter.recipient ?? input.program.recipient;
}

function deadlineText(d: string): string {
  return formatDeadline(d);
}

function buildPlan(input: ModelInput, texts: Texts, titles: DocTitles, diagnostics: Diagnostic[]): ViewModel {
  const { applicant: a, program, catalogue } = input;
  const { start, end } = a.plan.period;
  const planYears = [start, start + 1, start + 2] as const;
  if (end - start !== 2) {
    diagnostics.push({
      severity: 'warning',
      code: 'model.plan-period',
      message: `方案期限 ${start}—${end}年 不是三年，目标表只列出 ${start}—${start + 2}年`,
      path: ['plan', 'period'],
    });
  }
  const baseYear = planBaseYear(start);
  const targets = a.plan.targets.map((t, i) => {
    const ind = catalogue.indicators.find((x) => x.id === t.indicator);
    if (!ind) {
      diagnostics.push({
        severity: 'warning',
        code: 'model.unknown-indicator',
        message: `量化目标的指标代码 ${t.indicator} 不在指标目录中，名称按代码显示`,
        path: ['plan', 'targets', i, 'indicator'],
      });
    }
    // The check's own rule (evaluate/consistency/targets.ts), so the table and its findings agree.
    const baseline = baselineOf(t, { series: applicantSeries(a, catalogue), baseYear });
    const v = (y: number) => formatIndicator(ind, t.values[String(y)]);
    return {
      name: ind?.name ?? t.indicator,
      unit: ind?.unit ?? '',
      baseline: formatIndicator(ind, baseline),
      v1: v(planYears[0]),
      v2: v(planYears[1]),
      v3: v(planYears[2]),
    };
  });
  const breakdown = `${a.applicant.short_name}三年期${input.category.level}工作任务分解表`;
  const tasks = a.plan.tasks.map((t, i) => ({
    number: String(i + 1),
    heading: `${headingNumber(2, i + 1)}${t.title}`,
    title: t.title,
    paragraphs: t.content,
    measures: t.content.join(''),
    lead: t.lead,
    partners: t.partners.length > 0 ? t.partners.join('、') : '—',
    deadline: deadlineText(t.deadline),
  }));
  return {
    ...common(input),
    ...attachmentFields(program, 'plan'),
    title: layoutTitle(input, titles.plan, 'plan', TITLE_LINE_HANZI, diagnostics),
    period: `${start}—${end}年`,
    requirements_heading: `${headingNumber(1, 1)}总体要求`,
    guiding_heading: `${headingNumber(2, 1)}指导思想`,
    guiding_ideas: a.plan.guiding_ideas,
    principles_heading: `${headingNumber(2, 2)}基本原则`,
    principles: a.plan.principles.map((p, i) => ({ heading: `${headingNumber(3, i + 1)}${p.title}`, paragraphs: p.text })),
    goals_heading: `${headingNumber(1, 2)}工作目标`,
    overall_goal_heading: `${headingNumber(2, 1)}总体目标`,
    overall_goal: a.plan.overall_goal,
    targets_heading: `${headingNumber(2, 2)}量化目标`,
    baseline_label: `基期值（${baseYear}年）`,
    t1: `${planYears[0]}年`,
    t2: `${planYears[1]}年`,
    t3: `${planYears[2]}年`,
    targets,
    tasks_heading: `${headingNumber(1, 3)}重点任务`,
    tasks,
    safeguards_heading: `${headingNumber(1, 4)}保障措施`,
    safeguards: a.plan.safeguards.map((s, i) => ({ heading: `${headingNumber(2, i + 1)}${s.title}`, paragraphs: s.text })),
    breakdown_title: layoutTitle(input, breakdown),
    breakdown_name: breakdown,
  };
}

function buildStatusForm(input: ModelInput, texts: Texts, titles: DocTitles, diagnostics: Diagnostic[]): ViewModel {
  const { applicant: a, program, catalogue } = input;
  const years = reportYears(program);
  const p = a.profile;
  const kind = program.applicant_kinds.find((k) => k.id === a.applicant.kind)?.name ?? a.applicant.kind;
  const basics: { label: string; value: string }[] = [
    { label: '申报单位', value: a.applicant.name },
    { label: '申报类别', value: input.category.name },
    { label: '主体类型', value: kind },
    { label: '地区或园区', value: a.applicant.place ?? '—' },
    { label: '面积', value: p.area_km2 === undefined ? '—' : `${thousands(p.area_km2)}平方公里` },
    { label: '地区生产总值', value: p.gdp_100m === undefined ? '—' : `${thousands(p.gdp_100m)}亿元` },
    { label: '知识产权管理机构', value: p.ip_office ?? '—' },
    { label: '知识产权工作人员', value: p.ip_staff === undefined ? '—' : `${p.ip_staff}人` },
    { label: '主导产业', value: p.leading_industries.length > 0 ? p.leading_industries.join('、') : '—' },
    { label: '已获称号', value: a.applicant.former_titles.length > 0 ? a.applicant.former_titles.join('、') : '无' },
  ];
  const c = a.contact;
  return {
    ...common(input),
    ...attachmentFields(program, 'status-form'),
    title: layoutTitle(input, titles['status-form'], 'status-form', TITLE_LINE_HANZI, diagnostics),
    basics,
    indicators_heading: `主要指标（${years[0]}—${years[2]}年）`,
    y1: `${years[0]}年`,
    y2: `${years[1]}年`,
    y3: `${years[2]}年`,
    indicators: indicatorRows(a, catalogue, years),
    contact_line: `填表联系人：${c.name}　　联系电话：${c.phone}`,
  };
}

/** One applicant recommended by the office, as listed in its 推荐函. */
export interface RecommendationEntry {
  name: string;
  category: string;
  /** The office's opinion; default: the round's recommendation_review (all conditions confirmed). */
  review?: string;
}

export interface RecommendationOptions {
  /** The recommending office (署名); default: the applicant's letter recipient. */
  office?: string;
  /** ISO date of the 推荐函 (from the office's data); default: the applicant's letter date. */
  date?: string;
  /**
   * 示范 or 试点: the notice sends 示范 names with their materials for review and 试点 names for
   * approval (核准), so the office writes one letter per level, worded per level.
   */
  level?: '示范' | '试点';
}

/**
 * The office's 推荐函: written by the office, not the applicant. Who signs and when come from
 * data (the applicant's provincial office, the office's date); the number stays a blank the
 * office fills in by hand.
 */
export function buildRecommendation(input: ModelInput, entries: RecommendationEntry[], texts?: Texts, options: RecommendationOptions = {}): ViewModel {
  const t = texts ?? new Texts(input.program, textContext(input));
  const names = entries.map((e) => e.name).join('、');
  const signer = options.office ?? letterRecipient(input);
  const date = formatDate(options.date ?? input.applicant.letter.date);
  const level = options.level ?? input.category.level;
  const key = (base: string) => (level === '试点' && input.program.texts[`${base}_pilot`] !== undefined ? `${base}_pilot` : base);
  const title = layoutTitle(input, t.get(key('recommendation_title'), '关于推荐知识产权强国建设试点示范城市、园区的函'));
  const body = paragraphsOf(
    t.get(
      key('recommendation_body'),
      '根据《{{notice_title}}》（{{notice_number}}）要求，我局对申报单位的申报材料进行了审核，现推荐以下单位申报知识产权强国建设试点示范：',
    ),
  );
  const rows = entries.map((e, i) => ({
    number: String(i + 1),
    name: e.name,
    category: e.category,
    review: e.review ?? t.get('recommendation_review', '经审核，申报材料齐全，符合申报条件，同意推荐。'),
  }));
  const closing = names ? '特此函告。' : '';
  const note = '（联系人：　　　　；联系电话：　　　　）';
  const table = tableRows(
    [['序号', '申报单位', '申报类别', '审核意见'], ...rows.map((r) => [r.number, r.name, r.category, r.review])],
    RECOMMENDATION_COLUMNS,
  );
  const rowsBefore = letterHeadRows('generated', 0, title.split('\n').length) + body.reduce((n, x) => n + paragraphRows(x), 0) + table;
  const block = (closing ? paragraphRows(closing) : 0) + 2 + paragraphRows(note);
  return {
    ...common(input),
    number: '〔　　〕　号',
    title,
    recipient: t.get('recommendation_recipient', '国家知识产权局'),
    body,
    entries: rows,
    closing,
    // The office's own letter: its head is the office's, generated like the applicant's.
    ...letterFoot(signer, date, 'generated', 0, footBlankLines(rowsBefore, block)),
    note,
  };
}

/**
 * The 联系人回执 names the provincial office's liaison (notice: 各省级知识产权局明确相关处级干部
 * 担任联络员), not the applicant's contact: like the 推荐函 it is the office's form, so its
 * facts are blanks to fill in, never the applicant's.
 */
function buildContactReceipt(input: ModelInput, texts: Texts): ViewModel {
  const blank = '　';
  return {
    ...common(input),
    title: layoutTitle(input, texts.get('contact_receipt_title', '联系人回执')),
    intro: texts.get('contact_receipt_intro', '填报单位（盖章）：'),
    contacts: [{ unit: blank, name: blank, position: blank, phone: blank, mobile: blank, email: blank }],
  };
}

/**
 * Every document's view model for one applicant. Pure: no I/O, same input → same output.
 * Warnings (a text that failed to render, a section too deep) come back as diagnostics.
 */
export function buildViewModels(input: ModelInput): BuiltModels {
  const diagnostics: Diagnostic[] = [];
  const texts = new Texts(input.program, textContext(input));
  const titles = documentTitles(texts);
  const models: ViewModels = {
    letter: buildLetter(input, texts, titles, diagnostics),
    report: buildReport(input, texts, titles, diagnostics),
    plan: buildPlan(input, texts, titles, diagnostics),
    'status-form': buildStatusForm(input, texts, titles, diagnostics),
    // A single applicant's 推荐函 (render --only): the office's opinion is a blank until every
    // condition is confirmed, so the draft never approves what the check does not.
    recommendation: buildRecommendation(
      input,
      [{ name: input.applicant.applicant.name, category: input.category.name, review: input.evaluation.eligible ? undefined : '　' }],
      texts,
    ),
    'contact-receipt': buildContactReceipt(input, texts),
  };
  return { models, diagnostics: [...diagnostics, ...texts.diagnostics] };
}

/** Exposed for tests and the template guide. */
export type { IndicatorRow };
