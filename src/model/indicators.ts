import type { Applicant } from '../schema/applicant.js';
import type { Catalogue, Indicator } from '../program/indicators.js';
import { formatGrowth, formatPercent, thousands } from './format.js';

/**
 * Indicator values per year, stored and derived. The evaluate stage has its own
 * indicatorSeries; this one only serves the tables, and computes derived values the same way
 * (ratio of stored values, never a typed ratio).
 */
export function indicatorValue(applicant: Applicant, catalogue: Catalogue, id: string, year: number): number | undefined {
  const stored = applicant.indicators[String(year)]?.[id];
  const ind = catalogue.indicators.find((i) => i.id === id);
  if (!ind?.derived) return stored;
  const d = ind.derived;
  if (d.op === 'per_10k_population') {
    const of = indicatorValue(applicant, catalogue, d.of, year);
    const pop = indicatorValue(applicant, catalogue, d.population, year);
    return of === undefined || !pop ? undefined : of / pop;
  }
  const num = indicatorValue(applicant, catalogue, d.numerator, year);
  const den = indicatorValue(applicant, catalogue, d.denominator, year);
  return num === undefined || !den ? undefined : (num / den) * 100;
}

/** A value as shown in a table cell; the unit is in its own column. */
export function formatIndicator(ind: Indicator | undefined, value: number | undefined): string {
  if (value === undefined) return '—';
  const decimals = ind?.decimals ?? 0;
  if (ind?.kind === 'percent') return formatPercent(value, decimals).replace(/%$/, '');
  return thousands(value, decimals);
}

export interface IndicatorRow {
  name: string;
  unit: string;
  v1: string;
  v2: string;
  v3: string;
  g2: string;
  g3: string;
}

/** Rows for the indicators that have a value in any of the years, in catalogue order. */
export function indicatorRows(applicant: Applicant, catalogue: Catalogue, years: readonly [number, number, number]): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  for (const ind of catalogue.indicators) {
    const v = years.map((y) => indicatorValue(applicant, catalogue, ind.id, y));
    if (v.every((x) => x === undefined)) continue;
    // A rank's growth means nothing (smaller is better): show a dash.
    const growth = (a: number | undefined, b: number | undefined) => (ind.kind === 'rank' ? '—' : formatGrowth(a, b));
    rows.push({
      name: ind.name,
      unit: ind.unit,
      v1: formatIndicator(ind, v[0]),
      v2: formatIndicator(ind, v[1]),
      v3: formatIndicator(ind, v[2]),
      g2: growth(v[0], v[1]),
      g3: growth(v[1], v[2]),
    });
  }
  return rows;
}
