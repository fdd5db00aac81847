import type { ConditionCheck } from '../program/schema.js';
import type { Finding } from './consistency/types.js';

/**
 * 符合 / 不符合 / 待补充, 待人工确认 (the notice is qualitative, e.g. 位居全市前列: the data is
 * shown and a person decides), plus the two outcomes of a priority-only clause.
 */
export type ConditionStatus = 'met' | 'unmet' | 'pending' | 'review' | 'priority' | 'not_applicable';

export const STATUS_LABEL: Record<ConditionStatus, string> = {
  met: '符合',
  unmet: '不符合',
  pending: '待补充',
  review: '待人工确认',
  priority: '具备优先条件',
  not_applicable: '不涉及',
};

export interface EvidenceDoc {
  title: string;
  number?: string;
  issuer?: string;
  date: string;
}

export interface ConditionResult {
  id: string;
  clause: string;
  title: string;
  /** Verbatim condition text from the round file. */
  text: string;
  check: ConditionCheck['type'];
  status: ConditionStatus;
  /** Chinese, one sentence: why this status (names the figure used). */
  reason: string;
  /**
   * The figures the check used, already formatted for people (e.g. { percent: '0.062%',
   * numerator: '1,250', year: '2021' }); also the context of the condition's `statement`.
   */
  figures: Record<string, string>;
  /** The statement of compliance for the report: the round's statement template rendered, or the applicant's own paragraphs. */
  statement: string[];
  evidence: EvidenceDoc[];
}

export interface Evaluation {
  programId: string;
  categoryId: string;
  results: ConditionResult[];
  /** Counts per status, for summaries. */
  counts: Record<ConditionStatus, number>;
  /** True when every condition is 符合 (none unmet, pending or awaiting a person's judgement). */
  eligible: boolean;
  /** The conditions that are 不符合: a package or a recommendation is refused while there is one. */
  unmet: ConditionResult[];
  /** Consistency findings (figures, growth, targets, dates), acknowledged ones included and marked. */
  findings: Finding[];
}

/** Conditions that keep an applicant from being eligible, as "（3）绩效考核" labels. */
export function conditionLabel(r: Pick<ConditionResult, 'clause' | 'title'>): string {
  return `${r.clause} ${r.title}`.trim();
}
