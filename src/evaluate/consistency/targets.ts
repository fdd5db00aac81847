import type { DataPath } from '../../common/diagnostics.js';
import { formatIndicator, formatNumber } from '../../common/format.js';
import type { Catalogue, Indicator, TargetBand } from '../../program/indicators.js';
import type { Applicant } from '../../schema/applicant.js';
import type { IndicatorSeries } from '../indicators.js';
import type { Finding } from './types.js';

export interface TargetContext {
  catalogue: Catalogue;
  /** The round's band, when the round sets one. */
  band?: TargetBand;
  series: IndicatorSeries;
  reportYears: number[];
  /** The year an omitted baseline is taken from (program/years.ts planBaseYear). */
  baseYear: number;
}

/** The plan's baseline per indicator: the typed baseline, else the base year's value, as the plan's table prints it. */
export function baselineOf(t: Applicant['plan']['targets'][number], ctx: Pick<TargetContext, 'series' | 'baseYear'>): number | undefined {
  return t.baseline ?? ctx.series.get(ctx.baseYear)?.get(t.indicator);
}

/**
 * The plan's targets against the baseline and the trend: a target going the wrong way, a share
 * over 100%, a target with nothing to start from, and a yearly growth far from the last three
 * years' (outside the catalogue's band).
 */
export function checkTargets(a: Applicant, ctx: TargetContext): (Omit<Finding, 'file' | 'line' | 'col'>)[] {
  const out: Omit<Finding, 'file' | 'line' | 'col'>[] = [];
  const first = ctx.reportYears[0]!;
  const last = ctx.reportYears[ctx.reportYears.length - 1]!;
  const push = (path: DataPath, ind: Indicator, year: number | undefined, message: string, stated?: string, expected?: string) =>
    out.push({ kind: 'target', code: 'consistency.target', message, path, indicator: ind.id, year, stated, expected, ref: pathRef(path) });
  a.plan.targets.forEach((t, i) => {
    const ind = ctx.catalogue.indicators.find((x) => x.id === t.indicator);
    if (!ind) return; // validation reports an unknown indicator
    const at = (y: number): DataPath => ['plan', 'targets', i, 'values', String(y)];
    // The figure as the plan's table prints it (model/build.ts), with its unit.
    const show = (v: number) => `${formatIndicator(ind, v)}${ind.unit}`;
    const years = Object.keys(t.values).map(Number).sort((x, y) => x - y);
    const base = baselineOf(t, ctx);
    const worse = (a: number, b: number) => (ind.better === 'more' ? a < b : a > b);
    const word = ind.better === 'more' ? '低于' : '差于';
    if (ind.kind === 'percent') {
      for (const y of years) if (t.values[String(y)]! > 100) push(at(y), ind, y, `${ind.name}${y}年目标值${show(t.values[String(y)]!)}超过100%`, show(t.values[String(y)]!), '不超过100%');
    }
    const baseYear = ctx.baseYear;
    if (base === undefined) {
      push(['plan', 'targets', i, 'indicator'], ind, baseYear, `${ind.name}没有基期值：${baseYear}年指标表中没有数据，也未填写 baseline，目标无从比较`);
      return;
    }
    let prev = base;
    let prevYear = baseYear;
    for (const y of years) {
      const v = t.values[String(y)]!;
      if (worse(v, prev)) {
        push(at(y), ind, y, prevYear === baseYear
          ? `${ind.name}${y}年目标值${show(v)}${word}基期（${baseYear}年）值${show(prev)}`
          : `${ind.name}${y}年目标值${show(v)}${word}${prevYear}年目标值${show(prev)}，目标逐年倒退`, show(v), show(prev));
      }
      prev = v;
      prevYear = y;
    }
    // The band compares yearly growth, so only indicators that grow (not ranks or shares) and a history that grew.
    if (ind.kind === 'rank' || ind.kind === 'percent' || !years.length) return;
    const h0 = ctx.series.get(first)?.get(ind.id);
    const h1 = ctx.series.get(last)?.get(ind.id);
    if (h0 === undefined || h1 === undefined || h0 <= 0 || h1 <= h0 || base <= 0) return;
    const end = years[years.length - 1]!;
    const target = t.values[String(end)]!;
    if (target <= base || end <= baseYear) return; // already reported as below the baseline
    const historic = ((h1 / h0) ** (1 / (last - first)) - 1) * 100;
    const implied = ((target / base) ** (1 / (end - baseYear)) - 1) * 100;
    const band = ind.target_band ?? ctx.band ?? ctx.catalogue.target_band;
    if (implied >= band.low * historic && implied <= band.high * historic) return;
    const pct = (x: number) => `${formatNumber(x, 1)}%`;
    push(
      at(end),
      ind,
      end,
      `${ind.name}${end}年目标值${show(target)}意味着年均增长${pct(implied)}，而${first}—${last}年年均增长${pct(historic)}；目标增速${implied < band.low * historic ? `低于近三年增速的${band.low}倍` : `超过近三年增速的${band.high}倍`}（合理区间${pct(band.low * historic)}—${pct(band.high * historic)}）`,
      pct(implied),
      `${pct(band.low * historic)}—${pct(band.high * historic)}`,
    );
  });
  return out;
}

/** plan.targets[2].values.2023 — what a user writes in `acknowledged` for a finding on a field. */
export function pathRef(path: DataPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
