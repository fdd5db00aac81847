import { partText } from '../docx/helpers.js';
/**
 * Shared by the hostile-input suite (issue 6): strict checks that a DOCX opens, file-tree
 * snapshots to prove nothing escaped the output folder, and fixture plumbing.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser, onWarningStopParsing } from '@xmldom/xmldom';
import PizZip from 'pizzip';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HOSTILE = resolve(ROOT, 'test/fixtures/hostile');
export const MINIMAL_FILE = resolve(ROOT, 'test/fixtures/good/minimal.yaml');
export const MINIMAL = readFileSync(MINIMAL_FILE, 'utf8');

const temps: string[] = [];

/** A fresh temporary folder, removed by removeTemps() (kept when SHENBAO_KEEP_TMP is set, to look at a failure). */
export function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `shenbao-hostile-${prefix}-`));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  if (process.env.SHENBAO_KEEP_TMP) return;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The one-line overview of minimal.yaml: the prose the value tests replace. */
export const OVERVIEW_LINE = '  overview: 徐汇区位于上海市中心城区西南部，面积54.76平方公里。';

/** minimal.yaml with `line` (exact, whole line) replaced; fails loudly if the fixture drifted. */
export function replaceLine(text: string, line: string, replacement: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(line);
  if (i < 0 || lines.indexOf(line, i + 1) >= 0) throw new Error(`fixture: expected exactly one line ${JSON.stringify(line)}`);
  lines[i] = replacement;
  return lines.join('\n');
}

/** A YAML double-quoted scalar holding any string (JSON escapes are valid YAML escapes). */
export const yamlQuoted = (s: string): string => JSON.stringify(s);

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

// ── DOCX: does it open? ──────────────────────────────────────────────────────

/** XML 1.0 Char production, as code points (after UTF-8 decoding). */
function xmlCharOk(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Parses one XML part as Word would: bytes must be valid UTF-8, every character and character
 * reference an XML 1.0 Char, and the markup well-formed (xmldom stops on any warning). Throws
 * with the part's name and the reason.
 */
export function strictXml(bytes: Uint8Array, where: string): void {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${where}: not valid UTF-8`);
  }
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!xmlCharOk(cp)) throw new Error(`${where}: character U+${cp.toString(16).toUpperCase()} is not allowed in XML 1.0`);
  }
  for (const m of text.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const cp = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    if (!xmlCharOk(cp)) throw new Error(`${where}: character reference ${m[0]} is not allowed in XML 1.0`);
  }
  try {
    new DOMParser({
      onError: (level, message) => {
        // U+FFFD is an XML Char like any other (text pasted from a badly decoded file has it); xmldom only suspects it.
        if (level === 'warning' && /replacement character/i.test(message)) return;
        onWarningStopParsing();
      },
    }).parseFromString(text.replace(/^\uFEFF/, ''), 'application/xml');
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/**
 * A DOCX that Word opens: a zip, with [Content_Types].xml, _rels/.rels and the main document
 * part it points to, and every XML part strictly well-formed. Returns the part names.
 */
export function assertDocxOpens(bytes: Uint8Array, name = 'document.docx'): string[] {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch (e) {
    throw new Error(`${name}: not a zip (${(e as Error).message})`);
  }
  const parts = Object.keys(zip.files).filter((p) => !zip.files[p]!.dir);
  for (const required of ['[Content_Types].xml', '_rels/.rels']) {
    if (!parts.includes(required)) throw new Error(`${name}: missing ${required}`);
  }
  const rels = zip.file('_rels/.rels')!.asText();
  const main = /Type="[^"]*\/officeDocument"[^>]*Target="\/?([^"]+)"|Target="\/?([^"]+)"[^>]*Type="[^"]*\/officeDocument"/.exec(rels);
  const mainPart = main?.[1] ?? main?.[2];
  if (!mainPart || !parts.includes(mainPart)) throw new Error(`${name}: main document part ${mainPart ?? '(none)'} missing`);
  for (const p of parts) {
    if (/\.(xml|rels)$/i.test(p)) strictXml(zip.file(p)!.asUint8Array(), `${name}:${p}`);
  }
  return parts;
}

/** Visible text of a DOCX (body, headers, footers), paragraphs on their own lines, entities decoded. */
export function docxText(bytes: Uint8Array): string {
  const zip = new PizZip(bytes);
  const parts = Object.keys(zip.files).filter((p) => /^word\/(document\d*|header\d+|footer\d+)\.xml$/.test(p)).sort();
  return parts.map((p) => partText(Buffer.from(bytes), p)).join('\n');
}

// ── PDF ──────────────────────────────────────────────────────────────────────

export const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** pdftotext's reading of a PDF (poppler's font warnings on stderr are ignored). */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
}

/** Text without any white space: line breaks in a PDF fall anywhere in CJK prose. */
export const squash = (s: string): string => s.replace(/\s+/g, '');

// ── File trees ───────────────────────────────────────────────────────────────

/** Every path under dir (files, folders and links), absolute, sorted; links are not followed. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      out.push(p);
      if (lstatSync(p).isDirectory()) visit(p);
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** relative path → sha256 (files) or "dir"/"link": compare two of these to see what changed. */
export function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of walk(dir)) {
    const st = lstatSync(p);
    m.set(relative(dir, p), st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : sha256(readFileSync(p)));
  }
  return m;
}

export const isInside = (child: string, parent: string): boolean => {
  const rel = relative(resolve(parent), resolve(child));
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/');
};

/** Leftovers of an interrupted atomic write (writeFileAtomic, writePackageFolder). */
export const tempLeftovers = (dir: string): string[] => walk(dir).filter((p) => /(^|[\\/])\.[^\\/]*\.tmp(\.old)?$/.test(p));

// ── CLI in-process ───────────────────────────────────────────────────────────

export { run, spawnCli, hasBuild, expectNoCrash, type RunResult } from '../cli/helpers.js';
import type { RunResult } from '../cli/helpers.js';

// ── CLI under a memory cap and a time limit ──────────────────────────────────

export interface BoundedResult extends RunResult {
  /** The signal that ended the process (SIGKILL from a kill point or the timeout), if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/**
 * The built CLI in a child node with a 512 MB heap and a time limit: a case that loops, hangs
 * or balloons ends as a failed assertion, never as a stuck or swapping test run.
 */
export function spawnBounded(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<BoundedResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--max-old-space-size=512', resolve(ROOT, 'bin/shenbao.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, SHENBAO_DEBUG: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? -1, out, err, signal, timedOut });
    });
  });
}
