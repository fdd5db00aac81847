/**
 * Errors are data (as in zod and yaml): every stage returns Diagnostics and only the CLI
 * formats them, so the library API and `--json` see the same facts the terminal shows.
 */
export type Severity = 'error' | 'warning';

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
}

export type DataPath = ReadonlyArray<string | number>;

export interface Diagnostic {
  severity: Severity;
  /** Stable machine code, e.g. "yaml.syntax", "schema.missing", "rule.letter-year". */
  code: string;
  /** Chinese, complete sentence without the position prefix. */
  message: string;
  file?: string;
  line?: number;
  col?: number;
  path?: DataPath;
  /** Chinese label of the field at `path`, e.g. 发文字号. */
  label?: string;
  /** The offending value, shortened for display. */
  received?: string;
}

/** A failure the user caused or can fix; carries diagnostics, never shown with a stack. */
export class UserError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    /** 1 = invalid data, 2 = usage or I/O (CLI contract). */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'UserError';
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Dotted path as users see it: plan.targets[2].values.2023 */
export function formatPath(path: DataPath | undefined): string {
  if (!path || path.length === 0) return '(根)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Shorten a value for a message; long prose would drown the line. */
export function showValue(value: unknown, max = 40): string {
  let s: string;
  if (value === undefined) s = '空';
  else if (value === null) s = 'null';
  else if (typeof value === 'string') s = JSON.stringify(value);
  else if (typeof value === 'object') s = Array.isArray(value) ? `列表（${value.length} 项）` : '映射';
  else s = String(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `file:line:col  path（label）  message（received）` — the one format of the CLI contract. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? (d.line ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file) : '';
  const field = d.path && d.path.length > 0 ? `${formatPath(d.path)}${d.label ? `（${d.label}）` : ''}` : '';
  const tag = d.severity === 'warning' ? '警告：' : '';
  const got = d.received !== undefined ? `（实际为 ${d.received}）` : '';
  return [where, field, `${tag}${d.message}${got}`].filter(Boolean).join('  ');
}
