import type { Diagnostic } from '../common/diagnostics.js';
import type { Evaluation } from '../evaluate/index.js';
import type { SummaryFailure } from '../model/package.js';
import type { Applicant } from '../schema/applicant.js';

export interface BuildTask {
  file: string;
  outDir: string;
  engine: string;
  fonts?: string;
  /** Accept blanks for characters no font has (--allow-blank). */
  allowBlank?: boolean;
  templatesDir?: string;
  inputHash: string;
  version: string;
  /** Build despite a 不符合 condition (--allow-unmet). */
  allowUnmet?: boolean;
  /** The office's round file (--program) instead of the round the data names. */
  programFile?: string;
  /** sha256 of each data file as its plan read them: the worker that planned it reuses that validation. */
  dataHashes?: string[];
  /** Test hook: make this task's worker throw or exit. */
  crashForTest?: 'throw' | 'exit';
}

/** One applicant validated in a worker before anything is built (runBatch). */
export interface PlanTask {
  file: string;
  programFile?: string;
}

/**
 * One applicant as its worker validated and checked it: everything the main thread needs to plan
 * the builds, judge a selection and list it in the summary, so that thread never validates or
 * evaluates. Plain data only (it crosses threads by structured clone): the round and category
 * travel as ids, the main thread looks them up in the round it loads once.
 */
export interface PlannedApplicant {
  /** As submitted (the task's path), which build outcomes are keyed by. */
  file: string;
  /** The package's folder name. */
  name: string;
  /** Every data file read (the main file, then its includes). */
  files: string[];
  /** The round's id (program.id). */
  round: string;
  /** What the round was loaded from (loadProgram): the office's round file (--program), or the id the data names. */
  roundSource: string;
  categoryId: string;
  applicant: Applicant;
  evaluation: Evaluation;
  /** sha256 of each of `files`, read right after validating them: what the input hash names. */
  dataHashes: string[];
  /** Their total size: the batch builds the biggest applicants first. */
  dataBytes: number;
}

/** What the main thread needs to plan the builds (PlannedApplicant), or why the file cannot be built. */
export type PlanOutcome =
  | ({ ok: true } & PlannedApplicant)
  | { file: string; ok: false; diagnostics: Diagnostic[] }
  /** A bug, not bad data: runBatch throws it as validating in its own thread would have. */
  | { file: string; ok: false; internal: string };

export interface BuildOutcome {
  file: string;
  status: 'built' | 'skipped' | 'failed';
  name?: string;
  diagnostics: Diagnostic[];
}

/** The office's own facts, from the select file: who signs the 推荐函, when, and its quotas. */
export interface OfficeData {
  office?: string;
  date?: string;
  /** Allocated quotas by category id or short name (rounds whose notice leaves them to allocation). */
  quotas?: Record<string, number>;
}

/** One applicant of the summary, as the plan sent it: the worker looks up its round and category. */
export interface SummaryTaskEntry {
  file: string;
  roundSource: string;
  categoryId: string;
  applicant: Applicant;
  evaluation: Evaluation;
  /** Why its package was not built, if it was not. */
  error?: string;
}

/** The summary's documents (DOCX, PDF, CSV, and the 推荐函 drafts) made in a worker (runBatch). */
export interface SummaryTask {
  engine: string;
  fonts?: string;
  allowBlank?: boolean;
  /** In the order submitted. */
  entries: SummaryTaskEntry[];
  /** Files of the applicants the office recommends, in its order (readSelection has judged them). */
  selected?: string[];
  office?: OfficeData;
  /** Submitted files without a package, in the order submitted. */
  failed?: SummaryFailure[];
}

/** The summary's files for the main thread to write, or the error (a template's, exit 1) that stopped them. */
export type SummaryOutcome =
  | { ok: true; files: { name: string; bytes: Uint8Array }[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; exitCode: 1 | 2 };

/** The summary's DOCX → PDF in a worker (runBatch). */
export interface ConvertTask {
  engine: string;
  fonts?: string;
  allowBlank?: boolean;
  docs: { name: string; bytes: Uint8Array }[];
  options?: { date?: Date };
}
