import { byCodeUnits } from '../../common/format.js';
import type { Catalogue } from '../../program/indicators.js';
import type { Program } from '../../program/schema.js';
import { planBaseYear, reportingYears } from '../../program/years.js';
import type { Applicant } from '../../schema/applicant.js';
import type { IndicatorSeries } from '../indicators.js';
import { checkDates } from './dates.js';
import { checkFigures, checkStatements, type FigureContext } from './figures.js';
import { collectProse, type ProseSource } from './prose.js';
import { baselineOf, checkTargets, pathRef } from './targets.js';
import type { Finding } from './types.js';

export * from './types.js';
export type { ProseSource } from './prose.js';
export { findQuantities, parseChineseNumeral, agrees, type Quantity } from './quantity.js';

export interface ConsistencyInput {
  applicant: Applicant;
  program: Program;
  catalogue: Catalogue;
  series: IndicatorSeries;
  /** The raw file, so a finding points at the number inside a paragraph; without it, at the field. */
  source?: ProseSource;
}

/**
 * What a reviewer checks first: figures in the prose against the table, growth claims, the
 * plan's targets, dates. Ordered by position; acknowledged ones carry the applicant's reason.
 */
export function findInconsistencies(input: ConsistencyInput): Finding[] {
  const { applicant: a, catalogue, series, source } = input;
  const reportYears = reportingYears(input.program.year);
  const baseYear = planBaseYear(a.plan.period.start);
  const targets = new Map<string, Map<number, number>>();
  for (const t of a.plan.targets) {
    const m = new Map(Object.entries(t.values).map(([y, v]) => [Number(y), v] as [number, number]));
    const base = baselineOf(t, { series, baseYear });
    if (base !== undefined) m.set(baseYear, base);
    targets.set(t.indicator, m);
  }
  // A city speaks of itself as 全市; a district or park means the city around it.
  const wider = ['全国', '全省', '全球', '平均', '同类', ...(/市$/.test(a.applicant.place ?? a.applicant.short_name) ? [] : ['全市'])];
  const ctx: FigureContext = { catalogue, series, reportYears, targets, elsewhere: new RegExp(wider.join('|')) };
  const pieces = collectProse(a, source);
  const figures = checkFigures(pieces, ctx);
  const located = (f: Finding): Finding => (f.line !== undefined || !source ? f : { ...f, ...source.locate(f.path) });
  const found = [
    ...figures.findings,
    ...checkStatements(figures.statements, ctx),
    ...checkTargets(a, { catalogue, series, reportYears, baseYear, band: input.program.target_band }),
    ...checkDates(a, reportYears, pieces),
  ].map(located);

  const acks = a.acknowledged ?? [];
  const used = new Set<number>();
  const out = found.map((f) => {
    const i = acks.findIndex((k) => sameRef(k.finding, f.ref));
    if (i < 0) return f;
    used.add(i);
    return { ...f, acknowledged: acks[i]!.reason };
  });
  acks.forEach((k, i) => {
    if (used.has(i)) return;
    const path = ['acknowledged', i, 'finding'];
    out.push(
      located({
        kind: 'acknowledgement',
        code: 'consistency.acknowledgement-unused',
        message: `登记确认的“${k.finding}”没有对应的核对发现（可能已改正）；请删除这条登记，以免掩盖今后的问题`,
        path,
        ref: pathRef(path),
      }),
    );
  });
  return out.sort((x, y) => byCodeUnits(x.file ?? '', y.file ?? '') || (x.line ?? 0) - (y.line ?? 0) || (x.col ?? 0) - (y.col ?? 0));
}

/** The findings that still need the applicant's attention (not acknowledged in the data). */
export function openFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.acknowledged === undefined);
}

/** A reference copied by hand may differ in spaces or quotes from the one printed. */
function sameRef(written: string, ref: string): boolean {
  const norm = (s: string) => s.replace(/[\s“”"「」]/g, '');
  return norm(written) === norm(ref);
}
