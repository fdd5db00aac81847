/**
 * The library API: every step the CLI runs, typed, with the CLI's options and diagnostics.
 * A user error (bad data, a missing folder) is thrown as a UserError carrying the same
 * Diagnostics the CLI prints, and its `exitCode` is the one the CLI would exit with.
 *
 * The steps that make documents load their modules (docxtemplater, pdf-lib, fontkit, the worker
 * pool) when first called, so `import 'shenbao'` for validation stays as quick as `shenbao validate`.
 */
import { UserError, type Diagnostic } from './common/diagnostics.js';
import { evaluate, type Evaluation } from './evaluate/index.js';
import { validateFile, type ValidApplicant } from './schema/validate.js';
import type { BatchResult, BuildOutcome } from './batch/index.js';
import type { SummaryFiles } from './batch/summary.js';
import type { RenderedFile } from './docx/render.js';
import type { Manifest, ManifestFile, PackageResult } from './package/index.js';
import type { FontUse } from './package/types.js';
import type { FontReport, RenderPdfOptions, RenderPdfResult } from './pdf/index.js';
import type { FontDoctorReport } from './pdf/doctor.js';
import { existsSync } from 'node:fs';
import { VERSION } from './common/version.js';

export * from './common/diagnostics.js';
export * from './common/format.js';
export { loadYamlFile, type LocatedData } from './load/index.js';
export { applicantSchema, type Applicant, type ApplicantInput, type Section } from './schema/applicant.js';
export { validateFile, validateLocated, type ValidApplicant, type ValidationResult } from './schema/validate.js';
export { applicantJsonSchema, publishedJsonSchema, schemaUrl } from './schema/json-schema.js';
export { starterYaml } from './schema/starter.js';
export { programSchema, type Program, type Category, type Condition, type Material } from './program/schema.js';
export { catalogueSchema, type Catalogue, type Indicator } from './program/indicators.js';
export { loadProgram, loadCatalogue, listPrograms, findCategory } from './program/load.js';
export { evaluate, indicatorSeries, reportingYears, STATUS_LABEL, type Evaluation, type ConditionResult, type ConditionStatus } from './evaluate/index.js';
export type { BatchResult, BuildOutcome, SummaryFiles, RenderedFile, Manifest, ManifestFile, PackageResult, FontUse, FontReport, RenderPdfOptions, RenderPdfResult, FontDoctorReport };

/** `shenbao --version`. */
export { VERSION };

/** The options every step that makes PDFs shares (the CLI's --pdf-engine, --fonts, --allow-blank, --verbose). */
export interface PdfOptions {
  /** 'native' (default, our own engine) or 'libreoffice'. */
  pdfEngine?: 'native' | 'libreoffice';
  /** A folder of fonts searched before the system's; an error if it is not there. */
  fonts?: string;
  /** Accept blanks where no font has a character: then a warning, otherwise an error. */
  allowBlank?: boolean;
  /** Name every place of a missing character, not only the first few. */
  verbose?: boolean;
}

async function validOrThrow(file: string): Promise<ValidApplicant> {
  const r = await validateFile(file);
  if (!r.ok) throw new UserError(r.diagnostics, 1);
  return r;
}

export interface CheckResult {
  file: string;
  applicant: ValidApplicant;
  evaluation: Evaluation;
  /** Warnings from validation (errors are thrown). */
  diagnostics: Diagnostic[];
}

/** `shenbao check FILE`: every condition of the category judged met, unmet or pending. */
export async function check(file: string): Promise<CheckResult> {
  const v = await validOrThrow(file);
  return { file: v.file, applicant: v, evaluation: evaluate(v.applicant, v.program, v.category, v.catalogue, v.located), diagnostics: v.diagnostics };
}

export interface RenderDocxOptions {
  /** Material ids (default: every material of the round), as --only. */
  only?: string[];
  /** A folder of customised templates, as --templates. */
  templates?: string;
}

export interface RenderDocxResult {
  file: string;
  files: RenderedFile[];
  diagnostics: Diagnostic[];
}

/** `shenbao render FILE --format docx`, in memory: each material as DOCX bytes. Nothing is written. */
export async function renderDocx(file: string, options: RenderDocxOptions = {}): Promise<RenderDocxResult> {
  const v = await validOrThrow(file);
  const { renderDocuments } = await import('./docx/render.js');
  const evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located);
  const r = renderDocuments({ ...v, evaluation, templatesDir: options.templates, only: options.only });
  const diagnostics = [...v.diagnostics, ...r.diagnostics];
  if (r.diagnostics.some((d) => d.severity === 'error')) {
    const usage = r.diagnostics.every((d) => d.severity !== 'error' || d.code === 'docx.unknown-material' || d.code === 'docx.templates-dir');
    throw new UserError(diagnostics, usage ? 2 : 1);
  }
  return { file: v.file, files: r.files, diagnostics };
}

/**
 * DOCX bytes → PDF bytes with our own engine (the PDF stage reads only the DOCX). A character no
 * font has is an error diagnostic in the result unless `allowBlank`; the PDF is returned either way.
 */
export async function renderPdf(docx: Uint8Array, options: RenderPdfOptions = {}): Promise<RenderPdfResult> {
  return (await import('./pdf/index.js')).renderPdf(docx, options);
}

export interface BuildPackageOptions extends PdfOptions {
  /** Parent folder (default 'out'): the package becomes <out>/<name>/ and <out>/<name>.zip. */
  out?: string;
  templates?: string;
  /** Build despite a 不符合 condition, as --allow-unmet (the documents then claim no eligibility). */
  allowUnmet?: boolean;
}

/** `shenbao package FILE`: the applicant's whole submission package, written to disk. */
export async function buildPackage(file: string, options: BuildPackageOptions = {}): Promise<PackageResult> {
  const { pdfConverter } = await import('./pdf/engine.js');
  const converter = await pdfConverter(options.pdfEngine ?? 'native', options);
  const v = await validOrThrow(file);
  const pkg = await import('./package/index.js');
  return pkg.buildPackage(v, { outDir: options.out ?? 'out', converter, templatesDir: options.templates, version: VERSION, allowUnmet: options.allowUnmet });
}

export interface RunBatchOptions extends PdfOptions {
  out?: string;
  /** Worker threads (default: the CPU count). */
  jobs?: number;
  templates?: string;
  /** Rebuild even if data and templates are unchanged. */
  force?: boolean;
  /** A YAML list of the applicants the office recommends: the 推荐函 draft. */
  select?: string;
  /** Build packages despite a 不符合 condition, as --allow-unmet. */
  allowUnmet?: boolean;
  /** The office's round file, as --program. */
  program?: string;
  onDone?: (outcome: BuildOutcome, done: number, total: number) => void;
}

/** `shenbao batch DIR|FILE...`: a package per applicant on worker threads, and the office's summary. */
export async function runBatch(inputs: string[], options: RunBatchOptions = {}): Promise<BatchResult> {
  const absent = inputs.filter((i) => !existsSync(i));
  if (absent.length) throw new UserError(absent.map((file) => ({ severity: 'error', code: 'usage.input', file, message: `找不到文件或文件夹：${file}` })), 2);
  const batch = await import('./batch/index.js');
  return batch.runBatch(
    inputs,
    { outDir: options.out ?? 'out', jobs: options.jobs, engine: options.pdfEngine ?? 'native', fonts: options.fonts, allowBlank: options.allowBlank, templatesDir: options.templates, force: options.force, select: options.select, allowUnmet: options.allowUnmet, programFile: options.program, version: VERSION },
    { onDone: options.onDone },
  );
}

/** `shenbao doctor`: which file serves each font role, and whether LibreOffice is there. */
export async function doctor(options: { fonts?: string } = {}): Promise<FontDoctorReport> {
  return (await import('./pdf/doctor.js')).doctorFonts(options);
}

/** The CLI itself: argv without `node shenbao`, returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  return (await import('./cli/main.js')).main(argv);
}
