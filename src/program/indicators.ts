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
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const catalogueSchema = z.object({ indicators: z.array(indicatorSchema).min(1) });
export type Catalogue = z.infer<typeof catalogueSchema>;
