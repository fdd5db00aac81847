import type { DataPath } from '../../common/diagnostics.js';

/**
 * figure: a number in the prose against the indicator table or the plan's targets; growth: a
 * claimed growth against the one computed; target: the plan's targets against the trend;
 * date: dates against each other and the round; cross: one figure stated twice, differently.
 */
export type FindingKind = 'figure' | 'growth' | 'target' | 'date' | 'cross' | 'acknowledgement';

export const FINDING_KIND_LABEL: Record<FindingKind, string> = {
  figure: '数字与指标表不符',
  growth: '增长表述与数据不符',
  target: '目标值存疑',
  date: '日期不一致',
  cross: '前后表述不一致',
  acknowledgement: '确认登记无对应',
};

/** What a municipal reviewer would circle in red: never fatal on its own, an error only under --strict. */
export interface Finding {
  kind: FindingKind;
  /** Stable machine code, e.g. consistency.figure. */
  code: string;
  /** Chinese, one sentence, naming both values, the indicator and the year. */
  message: string;
  path: DataPath;
  /** Where the number (not just the field) was typed, when the raw file is known. */
  file?: string;
  line?: number;
  col?: number;
  indicator?: string;
  year?: number;
  /** What the data says, as written there. */
  stated?: string;
  /** What the table or the computation gives, at the same precision. */
  expected?: string;
  /**
   * The words to copy into `acknowledged[].finding` to accept this one deliberately: the prose
   * fragment for prose findings, the field path for data findings.
   */
  ref: string;
  /** The applicant's reason, when acknowledged in the data; such a finding no longer warns. */
  acknowledged?: string;
}
