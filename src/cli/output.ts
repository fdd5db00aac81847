import { formatDiagnostic, type Diagnostic } from '../common/diagnostics.js';

/** Where the CLI writes; injectable so tests can run commands in-process. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTTY: Boolean(process.stdout.isTTY),
};

export function printDiagnostics(io: Io, ds: readonly Diagnostic[]): void {
  for (const d of ds) io.err(formatDiagnostic(d));
}

export function summarizeCounts(ds: readonly Diagnostic[]): string {
  const e = ds.filter((d) => d.severity === 'error').length;
  const w = ds.length - e;
  return [e ? `${e} 个错误` : '', w ? `${w} 个警告` : ''].filter(Boolean).join('，');
}

export function json(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
