import { bandSchema } from './indicators.js';
import { z } from 'zod';

/**
 * A round (申报批次) is data: everything that changes from one notice to the next lives in
 * data/programs/<round>.yaml and is validated by this schema, so a new round needs no code.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .meta({ title: '日期' });

/** How a condition is decided. */
export const conditionCheckSchema = z.discriminatedUnion('type', [
  // Automatic: the applicant's kind must be one of these (applicant.kind).
  z.object({ type: z.literal('kind'), kinds: z.array(z.string()).min(1) }),
  // Automatic: numerator / denominator (both indicator ids) >= min_percent, over the last `years` years.
  z.object({
    type: z.literal('ratio'),
    numerator: z.string(),
    denominator: z.string(),
    min_percent: z.number().positive(),
    years: z.number().int().min(1).max(3).default(1),
  }),
  // An indicator that is a rank (1 = best) over the last `years` years. With `max_rank` (only
  // where the notice itself names a number) it is decided automatically; without it (the notice
  // says 位居全市前列) the ranks are shown and the condition is 待人工确认.
  z.object({
    type: z.literal('rank'),
    indicator: z.string(),
    max_rank: z.number().int().positive().optional(),
    years: z.number().int().min(1).max(3).default(2),
  }),
  // Declared: the applicant states it (applicant.conditions[id]) and names evidence documents.
  z.object({ type: z.literal('declared'), min_evidence: z.number().int().min(0).default(1) }),
  // Former titles (applicant.former_titles): `priority` only ranks (同等条件下优先),
  // `principle` is expected in principle (原则上应为), so its absence needs an explanation, not a rejection.
  z.object({
    type: z.literal('former_title'),
    titles: z.array(z.string()).min(1),
    mode: z.enum(['priority', 'principle']),
  }),
]);
export type ConditionCheck = z.infer<typeof conditionCheckSchema>;

export const conditionSchema = z.object({
  /** Stable id, referenced by applicant files: never renumber an existing id. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Clause number as printed in the notice, e.g. "(3)" or "2". */
  clause: z.string(),
  /** Short heading for checklists and the report, e.g. 申报主体. */
  title: z.string(),
  /** Verbatim text from the notice (the part this check covers). */
  text: z.string(),
  /** Where the text comes from when the category refers to another notice (参照《通知》…). */
  source: z.string().optional(),
  check: conditionCheckSchema,
  /**
   * Handlebars, rendered with the check's figures into the report's statement of compliance,
   * e.g. "年度知识产权工作经费{{numerator}}万元，占一般预算支出的{{percent}}". Optional: declared
   * conditions use the applicant's own statement.
   */
  statement: z.string().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const categorySchema = z.object({
  /** e.g. pilot-park */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Full name, e.g. 国家级知识产权强国建设试点园区 */
  name: z.string(),
  /** Short name users type, e.g. 试点园区 */
  short_name: z.string(),
  level: z.enum(['示范', '试点']),
  /** What kind of place: 城区, 城市, 县, 园区 */
  scope: z.string(),
  /** Places the round's office may recommend; null where the notice sets none. */
  quota: z.number().int().min(0).nullable(),
  /** Applicant kinds (ids from applicant_kinds) admitted to this category. */
  kinds: z.array(z.string()).min(1),
  /** Text before the conditions, e.g. 参照《通知》中…申报资格执行。 */
  basis: z.string().optional(),
  conditions: z.array(conditionSchema).min(1),
});
export type Category = z.infer<typeof categorySchema>;

export const materialSchema = z.object({
  /** letter, report, plan, status-form, recommendation, contact-receipt */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** 申报函 */
  name: z.string(),
  /** Template file in templates/<round>/, e.g. letter.docx */
  template: z.string(),
  /** Handlebars pattern for the output file name, without extension, e.g. "01-申报函" */
  file_name: z.string(),
  /** Handlebars title as the letter's 附件 list names it, e.g. "{{applicant_short}}三年期{{level}}工作方案"; default: name. */
  title: z.string().optional(),
  /** Who writes it: the applicant or the office above it (推荐函). */
  author: z.enum(['applicant', 'office']).default('applicant'),
  /** How it is handed in, e.g. 纸件 / 平台填报 */
  delivery: z.string().optional(),
});
export type Material = z.infer<typeof materialSchema>;

export const programSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** 2022年上海市国家知识产权强国建设试点示范城区、园区推荐申报 */
  name: z.string(),
  /** Year of the round; the indicators cover the three years before it. */
  year: z.number().int().min(2000).max(2100),
  notice: z.object({
    issuer: z.string(),
    number: z.string(),
    title: z.string(),
    date: isoDate.optional(),
    /** The notice this one forwards, if any. */
    parent: z.object({ issuer: z.string(), number: z.string(), title: z.string(), short_title: z.string().optional() }).optional(),
  }),
  /** 主送机关 of the application letter, e.g. 上海市知识产权局 */
  recipient: z.string(),
  /**
   * Where the round names no single recipient (the national notice: 报省级知识产权局), the offices
   * an applicant may address: its letter.recipient must be one of them, and that office signs
   * the 推荐函.
   */
  offices: z.array(z.string()).optional(),
  deadline: isoDate,
  /** This round's plausibility band for plan targets (see data/indicators.yaml); the catalogue's when absent. */
  target_band: bandSchema.optional(),
  submission: z.object({
    paper_copies: z.number().int().min(0),
    electronic: z.boolean(),
    /** As the notice says it, e.g. 纸件（一式两份）及电子版 */
    text: z.string(),
  }),
  /** Other dates users must not miss, e.g. the contact receipt. */
  milestones: z.array(z.object({ name: z.string(), date: isoDate, text: z.string().optional() })).default([]),
  applicant_kinds: z.array(z.object({ id: z.string(), name: z.string(), signer_hint: z.string().optional() })).min(1),
  /** Parameters the conditions refer to, e.g. the rank threshold for 位居全市前列. */
  params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  categories: z.array(categorySchema).min(1),
  /** Materials in the notice's order. */
  materials: z.array(materialSchema).min(1),
  /**
   * The office's 推荐函 template (path under templates/) for rounds whose materials have none:
   * Shanghai's office recommends to the national office with the national form.
   */
  recommendation_template: z.string().optional(),
  /** Round-specific wording (handlebars), e.g. the letter's body, the package's 说明. */
  texts: z.record(z.string(), z.string()).default({}),
  /**
   * The programme's terms a wrapped title keeps whole (知识产权, 示范园区, 管理委员会 …): the word
   * segmenter splits some of them, and GB/T 9704 7.3.1 forbids a break inside a word.
   */
  title_terms: z.array(z.string().min(2)).default([]),
});
export type Program = z.infer<typeof programSchema>;
