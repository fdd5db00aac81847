import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { buildPackage, packageName, sha256 } from '../package/index.js';
import { pdfConverter } from '../pdf/engine.js';
import { prewarmFonts } from '../pdf/fonts/face.js';
import { evaluate, type Evaluation } from '../evaluate/index.js';
import { loadCatalogue, loadProgram } from '../program/load.js';
import { validateFile, type ValidationResult } from '../schema/validate.js';
import { renderSummary, type SummaryEntry } from './summary-docs.js';
import type { BuildTask, BuildOutcome, PlanOutcome, PlanTask, SummaryOutcome, SummaryTask } from './types.js';

/**
 * Less eager optimisation. Building a package runs the same third-party code paths (docxtemplater,
 * pizzip, pdf-lib, fontkit) on fresh objects each time, and V8 keeps deoptimising and
 * re-optimising them ("code dependencies"): with the default budget the compiler threads burned
 * almost as much CPU as the worker itself (measured: 4.5 s of background compilation for 4.9 s of
 * building 12 packages), which is what kept a second job from making the batch faster on a
 * two-core machine. A larger budget optimises only code that stays hot: half the compiler CPU,
 * same build time per package. The flag is process-wide and only tunes the optimiser. The value is
 * bin/code-cache.cjs's, which the CLI and the bundled worker set before they load (V8 accepts a
 * code cache only under the flags it was written with); this line covers the unbundled build and
 * a batch run through the library. Two levels up from here is the package root, as from dist/batch
 * and from the bundles in dist/bundle.
 */
v8.setFlagsFromString((createRequire(import.meta.url)('../../bin/code-cache.cjs') as { OPTIMISER_FLAGS: string }).OPTIMISER_FLAGS);

// Fonts loaded while the batch plans, so the first package does not wait for them.
const warm = workerData as { engine?: string; fonts?: string } | undefined;
if (!isMainThread && warm?.engine === 'native') {
  setImmediate(() => {
    try {
      prewarmFonts({ fonts: warm.fonts });
    } catch {
      // Whatever fails here fails again, and is reported, with the first document.
    }
  });
}

/**
 * Applicants this worker validated while planning, kept for their build: when that task lands
 * on this worker with the hashes this plan sent (the bytes the input hash names), validating
 * again would only repeat the same work. Bounded, since a build may go to the other worker.
 */
const planned = new Map<string, { valid: Extract<ValidationResult, { ok: true }>; evaluation: Evaluation; dataHashes: string[]; programFile?: string }>();
const PLANNED_MAX = 32;

/**
 * One applicant validated and checked before the batch plans its builds: what the main thread
 * needs to plan, judge a selection and summarise, as plain data (PlannedApplicant).
 */
export async function plan(task: PlanTask): Promise<PlanOutcome> {
  try {
    const r = await validateFile(task.file, { programFile: task.programFile });
    if (!r.ok) return { file: task.file, ok: false, diagnostics: r.diagnostics };
    // The bytes validation parsed, not a second read: a file saved in between would otherwise be
    // hashed new while its package is built from the old data, and then skipped as unchanged.
    const data = await Promise.all(r.located.files.map((f, i) => r.located.bytes[i] ?? readFile(f)));
    const dataHashes = data.map((b) => sha256(b));
    // The prose is the source too: its figures are checked against the data (as a package's checklist does).
    const evaluation = evaluate(r.applicant, r.program, r.category, r.catalogue, r.located);
    if (planned.size >= PLANNED_MAX) planned.delete(planned.keys().next().value!);
    planned.set(task.file, { valid: r, evaluation, dataHashes, programFile: task.programFile });
    return {
      file: task.file,
      ok: true,
      name: packageName(r.applicant.applicant.short_name, r.category.short_name),
      files: r.located.files,
      round: r.program.id,
      // As validateFile loaded it: the office's round file, else the id the data names.
      roundSource: task.programFile ?? r.applicant.program.trim(),
      categoryId: r.category.id,
      applicant: r.applicant,
      evaluation,
      dataHashes,
      dataBytes: data.reduce((sum, b) => sum + b.length, 0),
    };
  } catch (err) {
    if (err instanceof UserError) return { file: task.file, ok: false, diagnostics: err.diagnostics };
    return { file: task.file, ok: false, internal: (err as Error)?.stack ?? String(err) };
  }
}

function takePlanned(task: BuildTask): { valid: Extract<ValidationResult, { ok: true }>; evaluation: Evaluation } | undefined {
  const p = planned.get(task.file);
  planned.delete(task.file);
  if (!p || !task.dataHashes || p.programFile !== task.programFile) return undefined;
  const same = p.dataHashes.length === task.dataHashes.length && p.dataHashes.every((h, i) => h === task.dataHashes![i]);
  return same ? p : undefined;
}

/** One applicant, in a worker thread: validated already (plan) or again here, then its package built. */
export default async function build(task: BuildTask): Promise<BuildOutcome> {
  if (task.crashForTest) {
    // Lets tests prove that a dying worker is reported against its file.
    if (task.crashForTest === 'exit') process.exit(3);
    throw new Error('simulated worker failure');
  }
  try {
    const reused = takePlanned(task);
    const valid = reused?.valid ?? (await validateFile(task.file, { programFile: task.programFile }));
    if (!valid.ok) return { file: task.file, status: 'failed', diagnostics: valid.diagnostics };
    const converter = await pdfConverter(task.engine, { fonts: task.fonts, allowBlank: task.allowBlank });
    const result = await buildPackage(valid, {
      outDir: task.outDir,
      converter,
      templatesDir: task.templatesDir,
      inputHash: task.inputHash,
      version: task.version,
      allowUnmet: task.allowUnmet,
      evaluation: reused?.evaluation,
    });
    return { file: task.file, status: 'built', name: result.name, diagnostics: result.diagnostics.filter((d) => d.severity === 'warning') };
  } catch (err) {
    if (err instanceof UserError) return { file: task.file, status: 'failed', diagnostics: err.diagnostics };
    return {
      file: task.file,
      status: 'failed',
      diagnostics: [{ severity: 'error', code: 'internal', file: task.file, message: `内部错误：${(err as Error)?.message ?? String(err)}` }],
    };
  }
}

/**
 * The batch's summary made here, where docxtemplater, the fonts and the converter are warm: the
 * main thread would load and compile them all cold for these few documents, and only writes the
 * bytes. The round and category are looked up as validation did (loadProgram caches them).
 */
export async function summary(task: SummaryTask): Promise<SummaryOutcome> {
  try {
    const catalogue = await loadCatalogue();
    const entries: SummaryEntry[] = [];
    for (const e of task.entries) {
      const program = await loadProgram(e.roundSource);
      const category = program.categories.find((c) => c.id === e.categoryId);
      if (!category) throw new Error(`category ${e.categoryId} not in round ${program.id}, which validated it`);
      entries.push({ valid: { file: e.file, applicant: e.applicant, program, category, catalogue }, evaluation: e.evaluation, error: e.error });
    }
    const converter = await pdfConverter(task.engine, { fonts: task.fonts, allowBlank: task.allowBlank });
    const diagnostics: Diagnostic[] = [];
    const files = await renderSummary(entries, { converter, selected: task.selected, office: task.office, failed: task.failed }, diagnostics);
    return { ok: true, files, diagnostics };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, diagnostics: err.diagnostics, exitCode: err.exitCode };
    throw err;
  }
}
