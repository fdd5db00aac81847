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
  /** Test hook: make this task's worker throw or exit. */
  crashForTest?: 'throw' | 'exit';
}

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
