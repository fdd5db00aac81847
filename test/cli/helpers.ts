import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { Diagnostic } from '../../src/common/diagnostics.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BAD = resolve(ROOT, 'test/fixtures/bad');
export const GOOD = resolve(ROOT, 'test/fixtures/good');

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** The CLI in-process, with an Io that collects what it writes (fast: no node start-up). */
export async function run(...argv: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => out.push(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => err.push(t.endsWith('\n') ? t : `${t}\n`),
    isTTY: false,
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** `validate --json` for one file: its diagnostics as data. */
export async function diagnosticsOf(file: string): Promise<{ code: number; valid: boolean; diagnostics: Diagnostic[] }> {
  const r = await run('validate', '--json', file);
  const report = JSON.parse(r.out) as { files: { file: string; valid: boolean; diagnostics: Diagnostic[] }[] };
  return { code: r.code, valid: report.files[0]!.valid, diagnostics: report.files[0]!.diagnostics };
}

const BIN = resolve(ROOT, 'bin/shenbao.js');
export const hasBuild = existsSync(resolve(ROOT, 'dist/cli/main.js'));

/** The real binary, as users run it (needs `npm run build`; `npm test` builds first). */
export function spawnCli(args: string[], cwd = ROOT): Promise<RunResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, SHENBAO_DEBUG: '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, out: stdout, err: stderr });
    });
  });
}

/** How the CLI shows a path: relative to the working directory when inside it. */
export function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

/**
 * 1-based line of the single line of `text` that contains `needle`. Tests locate the offending
 * line by its content, so editing a fixture above it does not break the expected position.
 */
export function lineOf(text: string, needle: string): number {
  const lines = text.split(/\r?\n/);
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`fixture: expected exactly one line containing ${JSON.stringify(needle)}, found ${hits.length}`);
  return hits[0]!;
}

/** 1-based column where `needle` starts on line `line` of `text` (columns count UTF-16 units, as the yaml package does). */
export function colOf(text: string, line: number, needle: string): number {
  const l = text.split(/\r?\n/)[line - 1]!;
  const i = l.indexOf(needle);
  if (i < 0) throw new Error(`fixture: ${JSON.stringify(needle)} not on line ${line}`);
  return i + 1;
}

export function readFixture(abs: string): string {
  return readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
}

/** What must never reach a user: a JS stack frame, a JS error name, the internal-error banner. */
export function expectNoCrash(r: RunResult, expectFn: (v: unknown) => any): void {
  for (const stream of [r.err, r.out]) {
    expectFn(stream).not.toContain('    at ');
    expectFn(stream).not.toContain('Error:');
    expectFn(stream).not.toContain('内部错误');
  }
  expectFn(r.code).not.toBe(70);
}
