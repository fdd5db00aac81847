import type { ConditionCheck } from '../program/schema.js';
import type { Finding } from './consistency/types.js';

/** 符合 / 不符合 / 待补充, plus the two outcomes of a priority-only clause. */
export type ConditionStatus = 'met' | 'unmet' | 'pending' | 'priority' | 'not_applicable';

export const STATUS_LABEL: Record<ConditionStatus, string> = {
  met: '符合',
  unmet: '不符合',
  pending: '待补充',
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
  /** True when no condition is unmet or pending. */
  eligible: boolean;
  /** Consistency findings (figures, growth, targets, dates), acknowledged ones included and marked. */
  findings: Finding[];
}
