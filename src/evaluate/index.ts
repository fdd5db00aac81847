import { formatNumber, formatPercent } from '../common/format.js';
import type { Catalogue } from '../program/indicators.js';
import type { Category, Condition, Program } from '../program/schema.js';
import { renderText } from '../program/text.js';
import type { Applicant } from '../schema/applicant.js';
import { indicatorById, indicatorSeries, type IndicatorSeries } from './indicators.js';
import { reportingYears } from '../program/years.js';
import { findInconsistencies, type ProseSource } from './consistency/index.js';
import type { ConditionResult, ConditionStatus, Evaluation } from './types.js';

export * from './types.js';
export { findInconsistencies, openFindings, FINDING_KIND_LABEL, type Finding, type FindingKind, type ProseSource } from './consistency/index.js';
export { indicatorSeries, reportingYears, derive, indicatorById, type IndicatorSeries } from './indicators.js';

const ZH_COUNT = ['零', '一', '两', '三'];

interface Ctx {
  applicant: Applicant;
  program: Program;
  catalogue: Catalogue;
  series: IndicatorSeries;
}

type Outcome = Pick<ConditionResult, 'status' | 'reason' | 'figures'> & {
  /** The round's statement describes the automatic finding; an explanation instead of the fact has no such sentence. */
  noStatement?: boolean;
};

/**
 * Checks the applicant against every condition of its category, in the notice's order, and its
 * figures, claims, targets and dates against each other. `source` (the loaded file) lets a
 * finding point at the number inside a paragraph.
 */
export function evaluate(applicant: Applicant, program: Program, category: Category, catalogue: Catalogue, source?: ProseSource): Evaluation {
  const ctx: Ctx = { applicant, program, catalogue, series: indicatorSeries(applicant, catalogue) };
  const results = category.conditions.map((cond) => evaluateCondition(cond, ctx));
  const counts = { met: 0, unmet: 0, pending: 0, review: 0, priority: 0, not_applicable: 0 } as Record<ConditionStatus, number>;
  for (const r of results) counts[r.status]++;
  return {
    programId: program.id,
    categoryId: category.id,
    results,
    counts,
    eligible: counts.unmet === 0 && counts.pending === 0 && counts.review === 0,
    unmet: results.filter((r) => r.status === 'unmet'),
    findings: findInconsistencies({ applicant, program, catalogue, series: ctx.series, source }),
  };
}

function evaluateCondition(cond: Condition, ctx: Ctx): ConditionResult {
  const declared = ctx.applicant.conditions[cond.id];
  const outcome = check(cond, ctx);
  const statement: string[] = [];
  if (cond.statement && !outcome.noStatement && (outcome.status === 'met' || outcome.status === 'priority' || outcome.status === 'review')) {
    statement.push(renderText(cond.statement, { ...outcome.figures }, `条件 ${cond.id}`));
  }
  if (declared) statement.push(...declared.statement);
  return {
    id: cond.id,
    clause: cond.clause,
    title: cond.title,
    text: cond.text,
    check: cond.check.type,
    status: outcome.status,
    reason: outcome.reason,
    figures: outcome.figures,
    statement,
    evidence: declared?.evidence ?? [],
  };
}

function check(cond: Condition, ctx: Ctx): Outcome {
  const c = cond.check;
  const a = ctx.applicant;
  switch (c.type) {
    case 'kind': {
      const kind = ctx.program.applicant_kinds.find((k) => k.id === a.applicant.kind);
      const name = kind?.name ?? a.applicant.kind;
      const figures = { kind_name: name, applicant_name: a.applicant.name };
      return c.kinds.includes(a.applicant.kind)
        ? { status: 'met', reason: `申报主体为${name}（${a.applicant.name}）`, figures }
        : {
            status: 'unmet',
            reason: `申报主体为${name}，本条件要求：${c.kinds.map((k) => ctx.program.applicant_kinds.find((x) => x.id === k)?.name ?? k).join('、')}`,
            figures,
          };
    }
    case 'ratio': {
      const num = indicatorById(ctx.catalogue, c.numerator)!;
      const den = indicatorById(ctx.catalogue, c.denominator)!;
      const years = reportingYears(ctx.program.year).slice(-c.years);
      const missing: string[] = [];
      const zero: string[] = [];
      const rows: { year: number; n: number; d: number; pct: number }[] = [];
      for (const y of years) {
        const n = ctx.series.get(y)?.get(c.numerator);
        const d = ctx.series.get(y)?.get(c.denominator);
        // 0 is a value: no funds is a fact that fails the check; only an absent figure is 待补充.
        if (n === undefined) missing.push(`${y}年${num.name}`);
        if (d === undefined) missing.push(`${y}年${den.name}`);
        else if (d === 0) zero.push(`${y}年${den.name}`);
        if (n !== undefined && d) rows.push({ year: y, n, d, pct: (n / d) * 100 });
      }
      const min = formatPercent(c.min_percent, decimalsFor(c.min_percent));
      if (missing.length || zero.length) {
        const parts = [...(missing.length ? [`未填写${missing.join('、')}`] : []), ...(zero.length ? [`${zero.join('、')}为0`] : [])];
        return { status: 'pending', reason: `${parts.join('；')}，无法计算占比是否不低于${min}`, figures: { min_percent: min } };
      }
      const last = rows[rows.length - 1]!;
      const figures = {
        year: String(last.year),
        numerator: formatNumber(last.n, num.decimals),
        denominator: formatNumber(last.d, den.decimals),
        percent: formatPercent(last.pct, 3),
        min_percent: min,
        numerator_name: num.name,
        denominator_name: den.name,
      };
      const shown = rows.map((r) => `${r.year}年${formatNumber(r.n, num.decimals)}${num.unit}÷${formatNumber(r.d, den.decimals)}${den.unit}=${formatPercent(r.pct, 3)}`).join('；');
      const failed = rows.filter((r) => r.pct < c.min_percent * (1 - 1e-9)); // tolerance: 300.03 / 600060 * 100 is 0.04999999999999999 in doubles
      return failed.length
        ? { status: 'unmet', reason: `${shown}，${failed.map((r) => `${r.year}年`).join('、')}低于${min}`, figures }
        : { status: 'met', reason: `${shown}，不低于${min}`, figures };
    }
    case 'rank': {
      const ind = indicatorById(ctx.catalogue, c.indicator)!;
      const years = reportingYears(ctx.program.year).slice(-c.years);
      const ranks = years.map((y) => ({ y, r: ctx.series.get(y)?.get(c.indicator) }));
      const missing = ranks.filter((x) => x.r === undefined).map((x) => x.y);
      // The round's wording says 连续{{years}}年, so the figure is the bare count (两).
      const countZh = ZH_COUNT[c.years] ?? String(c.years);
      const ask = c.max_rank === undefined ? cond.text.replace(/[。；]$/, '') : `连续${countZh}年位居前${c.max_rank}名`;
      if (missing.length) {
        return {
          status: 'pending',
          reason: `未填写${missing.map((y) => `${y}年`).join('、')}${ind.name}，无法判断是否${c.max_rank === undefined ? '符合“' + ask + '”' : ask}`,
          figures: { years: countZh, ...(c.max_rank === undefined ? {} : { max_rank: String(c.max_rank) }) },
        };
      }
      const text = ranks.map((x) => `${x.y}年第${x.r}名`).join('、');
      const figures: Record<string, string> = { ranks: text, indicator_name: ind.name, years: countZh };
      // The notice's words (位居全市前列) set no number: a person judges the ranks, the tool only shows them.
      if (c.max_rank === undefined) {
        return { status: 'review', reason: `${ind.name}${text}；通知要求“${ask}”，未规定具体名次，由审核部门据此判断`, figures };
      }
      figures.max_rank = String(c.max_rank);
      const over = ranks.filter((x) => x.r! > c.max_rank!);
      return over.length
        ? { status: 'unmet', reason: `${ind.name}：${text}；要求${ask}，${over.map((x) => `${x.y}年`).join('、')}未达到`, figures }
        : { status: 'met', reason: `${ind.name}：${text}，${ask}`, figures };
    }
    case 'declared': {
      const d = a.conditions[cond.id];
      if (!d) return { status: 'pending', reason: '尚未填写符合情况说明和证明材料', figures: {} };
      if (!d.met) return { status: 'unmet', reason: '申报单位自评为不符合', figures: {} };
      if (d.evidence.length < c.min_evidence) {
        return { status: 'pending', reason: `已填写说明，但缺少证明材料（至少${c.min_evidence}份）`, figures: {} };
      }
      const docs = d.evidence.map((e) => `《${e.title.replace(/^《|》$/g, '')}》${e.number ? `（${e.number}）` : ''}`);
      return { status: 'met', reason: d.evidence.length ? `已说明，证明材料${d.evidence.length}份：${docs.join('、')}` : '已说明', figures: { evidence_count: String(d.evidence.length) } };
    }
    case 'former_title': {
      const held = a.applicant.former_titles.filter((t) => c.titles.some((x) => sameTitle(t, x)));
      const figures = { titles: held.join('、') };
      if (c.mode === 'priority') {
        return held.length
          ? { status: 'priority', reason: `具备优先条件：${held.join('、')}`, figures }
          : { status: 'not_applicable', reason: `未获${c.titles.join('、')}称号，不影响申报资格`, figures };
      }
      if (held.length) return { status: 'met', reason: `已获称号：${held.join('、')}`, figures };
      if (a.conditions[cond.id]) return { status: 'met', reason: `未获${c.titles.join('、')}称号，已作说明`, figures, noStatement: true };
      return {
        status: 'pending',
        reason: `原则上应为${c.titles.join('、')}；未填写已获称号，请补充称号或就本条说明情况`,
        figures,
      };
    }
  }
}

/**
 * Titles are typed by hand: ignore brackets and spaces, and accept a held title that adds to a
 * listed one (原国家知识产权示范城区（2016年）). Never the reverse: a plain 知识产权运营重点城市
 * is not the listed 考核优秀的知识产权运营重点城市.
 */
function sameTitle(held: string, listed: string): boolean {
  // 原 (former) is often left out by people who still think of the title as theirs.
  const norm = (s: string) => s.replace(/[\s（）()“”"]/g, '').replace(/^原/, '');
  const x = norm(held);
  const y = norm(listed);
  return x === y || x.includes(y);
}

function decimalsFor(v: number): number {
  const s = String(v);
  return s.includes('.') ? Math.min(4, s.split('.')[1]!.length) : 0;
}
