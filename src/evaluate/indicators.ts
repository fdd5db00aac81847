import type { Applicant } from '../schema/applicant.js';
import type { Catalogue, Indicator } from '../program/indicators.js';
export { reportingYears } from '../program/years.js';

/** Values per year, derived indicators included; undefined where the data has no value. */
export type IndicatorSeries = Map<number, Map<string, number | undefined>>;


export function derive(ind: Indicator, values: Map<string, number | undefined>): number | undefined {
  const d = ind.derived;
  if (!d) return values.get(ind.id);
  if (d.op === 'per_10k_population') {
    const of = values.get(d.of);
    const pop = values.get(d.population);
    // Population is stored in 万人, so "per 10,000 people" is a plain division.
    return of === undefined || !pop ? undefined : of / pop;
  }
  const num = values.get(d.numerator);
  const den = values.get(d.denominator);
  return num === undefined || !den ? undefined : (num / den) * 100;
}

export function indicatorSeries(applicant: Applicant, catalogue: Catalogue): IndicatorSeries {
  const series: IndicatorSeries = new Map();
  const years = Object.keys(applicant.indicators).map(Number).sort((a, b) => a - b);
  for (const year of years) {
    const stored = applicant.indicators[String(year)] ?? {};
    const values = new Map<string, number | undefined>(Object.entries(stored));
    for (const ind of catalogue.indicators) if (ind.derived) values.set(ind.id, derive(ind, values));
    series.set(year, values);
  }
  return series;
}

export function indicatorById(catalogue: Catalogue, id: string): Indicator | undefined {
  return catalogue.indicators.find((i) => i.id === id);
}
