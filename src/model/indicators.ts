import type { Applicant } from '../schema/applicant.js';
import type { Catalogue, Indicator } from '../program/indicators.js';
import { formatIndicator } from '../common/format.js';
import { formatGrowth } from './format.js';
import { indicatorSeries, type IndicatorSeries } from '../evaluate/indicators.js';

const seriesCache = new WeakMap<Applicant, WeakMap<Catalogue, IndicatorSeries>>();

/** Indicator values per year, stored and derived, computed by evaluate's one definition of each derivation (once per applicant). */
export function applicantSeries(applicant: Applicant, catalogue: Catalogue): IndicatorSeries {
  let byCatalogue = seriesCache.get(applicant);
  if (!byCatalogue) seriesCache.set(applicant, (byCatalogue = new WeakMap()));
  let series = byCatalogue.get(catalogue);
  if (!series) byCatalogue.set(catalogue, (series = indicatorSeries(applicant, catalogue)));
  return series;
}

export function indicatorValue(applicant: Applicant, catalogue: Catalogue, id: string, year: number): number | undefined {
  return applicantSeries(applicant, catalogue).get(year)?.get(id);
}

// One formatter for the tables and the check's findings, upstream of both (common/format.ts).
export { formatIndicator };

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
    // The growth of a rank (smaller is better) or of a percentage (a ratio of ratios) misleads: a dash.
    const growth = (a: number | undefined, b: number | undefined) => (ind.kind === 'rank' || ind.kind === 'percent' ? '—' : formatGrowth(a, b));
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
