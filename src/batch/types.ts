import type { Diagnostic } from '../common/diagnostics.js';

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
  /** sha256 of each data file as the main thread hashed it: a worker that validated the same bytes reuses that. */
  dataHashes?: string[];
  /** Test hook: make this task's worker throw or exit. */
  crashForTest?: 'throw' | 'exit';
}

/** One applicant validated in a worker before anything is built (runBatch). */
export interface PlanTask {
  file: string;
  programFile?: string;
}

/** What the main thread needs to plan the builds: the package's name and the files its hash covers. */
export type PlanOutcome =
  | { file: string; ok: true; name: string; files: string[]; round: string; dataHashes: string[] }
  | { file: string; ok: false; diagnostics: Diagnostic[] }
  /** A bug, not bad data: runBatch throws it as validating in its own thread would have. */
  | { file: string; ok: false; internal: string };

export interface BuildOutcome {
  file: string;
  status: 'built' | 'skipped' | 'failed';
  name?: string;
  diagnostics: Diagnostic[];
}

/** The summary's DOCX → PDF in a worker (runBatch). */
export interface ConvertTask {
  engine: string;
  fonts?: string;
  allowBlank?: boolean;
  docs: { name: string; bytes: Uint8Array }[];
  options?: { date?: Date };
}
