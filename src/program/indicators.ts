import { z } from 'zod';

/**
 * The indicator catalogue (data/indicators.yaml): names and units live in data so templates,
 * checks and the office's summary all say the same thing. Derived indicators are computed from
 * stored ones, never typed by the applicant (a typed ratio can disagree with its parts).
 */
export const indicatorSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.string(),
  unit: z.string(),
  /** Rank-like indicators: smaller is better, growth is meaningless. */
  kind: z.enum(['count', 'amount', 'rank', 'percent']).default('count'),
  description: z.string().optional(),
  derived: z
    .discriminatedUnion('op', [
      // value / population(万人): 每万人口…拥有量
      z.object({ op: z.literal('per_10k_population'), of: z.string(), population: z.string() }),
      // numerator / denominator × 100
      z.object({ op: z.literal('percent'), numerator: z.string(), denominator: z.string() }),
    ])
    .optional(),
  /** Decimal places when shown. */
  decimals: z.number().int().min(0).max(4).default(0),
  /** Other names prose uses for it (有效发明专利, 发明专利拥有量 …); the name itself always counts. */
  aliases: z.array(z.string().min(2)).default([]),
  /** Which way is progress: a plan target that goes the other way is a finding. */
  better: z.enum(['more', 'less']).default('more'),
  /** stock: a year-end level (累计 means the level); flow: a yearly amount (三年累计 means the sum). */
  measure: z.enum(['stock', 'flow']).default('stock'),
  /** This indicator's own plausibility band for plan targets, overriding the catalogue's. */
  target_band: z.lazy(() => bandSchema).optional(),
});
export type Indicator = z.infer<typeof indicatorSchema>;

/**
 * A target's implied yearly growth is plausible between low × and high × the last three years'
 * yearly growth (compound). Data, so a round or an indicator can be tuned without code.
 */
export const bandSchema = z
  .object({ low: z.number().min(0), high: z.number().positive() })
  .refine((b) => b.low < b.high, 'low 应小于 high');
export type TargetBand = z.infer<typeof bandSchema>;

export const catalogueSchema = z.object({
  target_band: bandSchema.default({ low: 0.5, high: 3 }),
  indicators: z.array(indicatorSchema).min(1),
});
export type Catalogue = z.infer<typeof catalogueSchema>;
