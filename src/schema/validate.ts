import { UserError, hasErrors, type Diagnostic } from '../common/diagnostics.js';
import { byCodeUnits } from '../common/format.js';
import { loadYamlFile, type LocatedData } from '../load/index.js';
import { findCategory, listPrograms, loadCatalogue, loadProgram } from '../program/load.js';
import type { Catalogue } from '../program/indicators.js';
import type { Category, Program } from '../program/schema.js';
import { applicantSchema, type Applicant } from './applicant.js';
import { issuesToDiagnostics, labelAt } from './issues.js';
import { checkRules, controlCharFindings } from './rules.js';
import { PLACEHOLDER } from './starter.js';

/** Everything later stages need about one applicant, all checked. */
export interface ValidApplicant {
  file: string;
  applicant: Applicant;
  program: Program;
  category: Category;
  catalogue: Catalogue;
  located: LocatedData;
  /** Warnings only (errors make validation fail). */
  diagnostics: Diagnostic[];
}

export type ValidationResult =
  | ({ ok: true } & ValidApplicant)
  | { ok: false; file: string; diagnostics: Diagnostic[] };

export interface ValidateOptions {
  /** A round file to use instead of the applicant's `program` id (tests, new rounds in progress). */
  programFile?: string;
}

/** Load and validate one applicant file. Never throws for bad data; I/O failures throw UserError (exit 2). */
export async function validateFile(file: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const located = await loadYamlFile(file);
  return validateLocated(located, options);
}

export async function validateLocated(located: LocatedData, options: ValidateOptions = {}): Promise<ValidationResult> {
  // The loader knows paths, not the schema's Chinese labels.
  const diagnostics = located.diagnostics.map((d) => (d.path && !d.label ? { ...d, label: labelAt(applicantSchema, d.path) } : d));
  const fail = () => ({ ok: false as const, file: located.file, diagnostics: sortDiagnostics(unechoed(diagnostics, located)) });
  if (!located.data) return fail();

  for (const f of controlCharFindings(located.data)) {
    diagnostics.push({ ...located.locate(f.path ?? []), ...f, label: labelAt(applicantSchema, f.path ?? []) });
  }
  // A starter's 待填写 left in place: one finding there, and nothing else about that value
  // (it is not a number or a date yet because nobody wrote one).
  const placeholders = placeholderPaths(located.data);
  for (const p of placeholders) {
    diagnostics.push({ severity: 'error', code: 'rule.placeholder', ...located.locate(p), path: p, label: labelAt(applicantSchema, p), message: `${PLACEHOLDER}：请换成实际内容（标明“可删除”的可选项可整行删除）` });
  }
  const atPlaceholder = (path: readonly (string | number)[] | undefined) => path !== undefined && placeholders.some((p) => p.length <= path.length && p.every((k, i) => String(k) === String(path[i])));
  // Without zod's compiled fast path: it writes and compiles a parser per object schema on first
  // use (5 ms of a 100 ms validate), and checks one applicant no faster than the plain one.
  const parsed = applicantSchema.safeParse(located.data, { jitless: true });
  if (!parsed.success) {
    diagnostics.push(...issuesToDiagnostics(applicantSchema, parsed.error.issues, located).filter((d) => !atPlaceholder(d.path)));
  }

  // The round and category are checked even when other fields failed, so one run shows all.
  const raw = located.data as Record<string, unknown>;
  const programId = options.programFile ?? (typeof raw.program === 'string' ? raw.program.trim() : undefined);
  if (!programId) return fail();
  // The round's rules are the office's, not the applicant's: a data file names a shipped round by
  // id, never a rules file of its own (which could keep the official id and drop a condition).
  if (!options.programFile && /[\\/]|\.ya?ml$/i.test(programId)) {
    diagnostics.push({
      severity: 'error',
      code: 'program.file-in-data',
      ...located.locate(['program']),
      path: ['program'],
      label: '申报批次',
      message: `申报数据文件只能填写内置申报批次的代码（${listPrograms().join('、')}），不能指定批次规则文件；新的批次文件由审核部门通过程序接口提供`,
      received: JSON.stringify(programId),
    });
    return fail();
  }
  let program: Program;
  try {
    program = await loadProgram(programId);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const unknown = err.diagnostics.some((d) => d.code === 'program.unknown');
    diagnostics.push(
      unknown
        ? { severity: 'error', code: 'program.unknown', ...located.locate(['program']), path: ['program'], label: '申报批次', message: `未知的申报批次；可用的批次：${listPrograms().join('、')}`, received: JSON.stringify(programId) }
        : { severity: 'error', code: 'program.invalid', ...located.locate(['program']), path: ['program'], label: '申报批次', message: `申报批次文件有误：${err.diagnostics.map((d) => `${d.file ?? ''}${d.line ? `:${d.line}:${d.col}` : ''} ${d.message}`).join('；')}` },
    );
    return fail();
  }
  const catKey = typeof raw.category === 'string' ? raw.category : undefined;
  const category = catKey ? findCategory(program, catKey) : undefined;
  if (catKey && !category) {
    diagnostics.push({
      severity: 'error',
      code: 'category.unknown',
      ...located.locate(['category']),
      path: ['category'],
      label: '申报类别',
      message: `本批次（${program.id}）没有这个申报类别；可用：${program.categories.map((c) => `${c.id}（${c.short_name}）`).join('、')}`,
      received: JSON.stringify(catKey),
    });
  }
  if (!parsed.success || !category) return fail();

  const catalogue = await loadCatalogue();
  for (const f of checkRules(parsed.data, program, category, catalogue)) {
    if (!atPlaceholder(f.path)) diagnostics.push({ ...located.locate(f.path ?? []), ...f });
  }
  if (hasErrors(diagnostics)) return fail();
  return {
    ok: true,
    file: located.file,
    applicant: parsed.data,
    program,
    category,
    catalogue,
    located,
    diagnostics: sortDiagnostics(unechoed(diagnostics, located)),
  };
}

/** Errors first, then by file and position: the order a user fixes them in. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      byCodeUnits(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0),
  );
}

/** Where the data still holds the starter's 待填写. */
function placeholderPaths(raw: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof raw === 'string' && raw.trim() === PLACEHOLDER) out.push(path);
  else if (Array.isArray(raw)) raw.forEach((v, i) => placeholderPaths(v, [...path, i], out));
  else if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) placeholderPaths(v, [...path, k], out);
  return out;
}

/**
 * An included file is named, with the key and line at fault, but its values are not repeated:
 * whatever an include points at, its content does not travel into messages and logs.
 */
function unechoed(ds: Diagnostic[], located: LocatedData): Diagnostic[] {
  return ds.map((d) => (d.received !== undefined && d.file !== undefined && d.file !== located.file && located.files.includes(d.file) ? { ...d, received: undefined } : d));
}
