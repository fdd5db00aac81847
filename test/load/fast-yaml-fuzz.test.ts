/**
 * The fast YAML path against the yaml package on generated and mutated files (a differential
 * fuzz, fixed seeds so a failure reproduces): whatever the fast path takes, yaml must read to the
 * same data without a diagnostic (src/load/yaml.ts). Inputs: real applicant files and fixtures
 * with lines deleted, duplicated, swapped, re-indented, split, joined and salted with YAML's
 * indicators, odd whitespace and control characters, values and keys swapped for tricky
 * scalars; and small generated documents in block and flow style.
 */
// @ts-nocheck -- a generator: loose by design, typed only where it meets the code under test.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastParse, fullParse } from '../../src/load/yaml.js';

const ROOT = path.resolve(__dirname, '..', '..');

function fuzz(SEED: number, N: number) {
  let st = SEED >>> 0;
  const rnd = () => { st = (st + 0x6D2B79F5) >>> 0; let t = st; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const ri = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[ri(a.length)];

  const files = [];
  const walk = (d: string): void => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/\.ya?ml$/.test(e.name)) files.push(fs.readFileSync(p, 'utf8')); } };
  walk(path.join(ROOT, 'examples')); walk(path.join(ROOT, 'test', 'fixtures'));
  const fileLines = files.map((f) => f.split('\n'));

  const CHARS = [':', '-', '#', '|', '>', "'", '"', '[', ']', '{', '}', ',', '?', '&', '*', '!', '%', '@', '`', '\t', '\r', '\u3000', '\u00a0', '\ufeff', '\u2028', '\u2029', '\u0085', '\x00', '\x01', '\x07', '\x0b', '\x0c', '\x1b', '\x7f', '\x9f', ' ', '  ', '\n', ': ', '- ', ' #', '\\', '\ud800', '\udc00', '😀', '：', '\r\n', '~', '.', '...', '---', '\ufffe', '<<'];
  const SCALARS = ['0x1F', '0o17', '1_000', '.5', '1.', '-0', '+0', '-0.0', '+.inf', '-.Inf', '.NaN', '.nan', '.NAN', 'NaN', '~', 'Null', 'NULL', 'null', 'nULL', 'yes', 'No', 'on', 'True', 'TRUE', 'tRUE', 'false', '2022-02-15', '2022-02-15T10:00:00Z', '12:30', '12:30:45', '1:20', '0b101', '+0x1F', '0X1F', '0o8', '0x', '0o', '1e3', '1E-3', '+.5e3', '.5e3', '1.e3', '-1.5e+3', '1e', 'e3', '00', '007', '08', '09.5', '12345678901234567890', '0x123456789abcdef0123', '1e400', '-1e400', '4.9e-324', '1e-400', '+12', '-', '+', '.', '..', '-.', '+.', '0.', '=', '<<', '"quoted\\ttab"', '"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\/\\ \\0\\a\\e"', "'it''s'", '"a\\\n  b"', "'a\n  b'", '"a\n\n  b"', '""', "''", '"\\"', '|\n  x\n', '|-\n  x\n\n', '|+\n  x\n\n', '>\n  a\n  b\n\n  c\n', '>-\n  a\n   b\n  c\n', '|2\n   x\n  y\n', '>2-\n    x\n', '|1\n  x\n', '| # c\n  x\n', '|#c\n  x', '|\n\n  x\n', '|\n  \n  x\n', '|\n   \n  x\n', '|+\n\n', '|\n', '>\n', '[]', '{}', '[a, b, ]', '[a, , b]', '{a, b: }', '{a: 1, }', '[a: 1]', '[: 1]', '{: 1}', '{? a}', '[? a : b]', '{"a":1}', '{"a":b}', "{'a':b}", '[a\n  b]', '{a: [1, {b: 2}]}', 'a b\n  c', 'a\n\n  b', 'a #b', 'a#b', 'a: b', 'a:b', ':a', '-a', '- a', '?a', '? a', '%a', '@a', '`a', '!a', '! a', '!!str 1', '!!int 0x1F', '&a x', '*a', '\u3000x', 'x\u3000', '\u00a0', 'x\u2028y', 'x\u0085y', '\ufeffx', 'x\t', '"\t"', '\'\t\'', '0x1f', '-0x1', '0o-1', '+0o17', '1_0', '1,000', '1.0.0', '.inf', 'Infinity', '-Infinity', '-.inf', '+.INF', '.Inf', '0e0', '-0e0', '-0.', '-.0', '0.0e-0'];
  const KEYS = ['a', 'b', '0', '1', '-0', '0x1F', '1.0', '1e2', '.5', 'true', 'True', 'false', 'null', '~', 'Null', '', '"a"', "'a'", '"null"', '"~"', '" "', '.inf', '.nan', '-.inf', '[a]', '[a, b]', '{}', '[]', '{a: 1}', '"a\\nb"', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '<<', '=', 'a b', 'a#b', 'a:b', '-a', '"a":b', '中文', '申报单位', '\u3000', '12:30', '2022-02-15', '0o17', '1_000', '"1"', 'x'.repeat(1030), '"' + 'y'.repeat(1030) + '"', '?', '-', '--', '---x', '...x', 'NaN'];

  function mutateLines(lines) {
    const L = lines.slice();
    const k = 1 + ri(4);
    for (let m = 0; m < k; m++) {
      const i = ri(L.length || 1);
      const line = L[i] ?? '';
      switch (ri(16)) {
        case 0: L.splice(i, 1); break;
        case 1: L.splice(i, 0, line); break;
        case 2: { const j = ri(L.length || 1); [L[i], L[j]] = [L[j] ?? '', line]; break; }
        case 3: L[i] = ' '.repeat(ri(4)) + line; break;
        case 4: L[i] = line.replace(/^ {1,3}/, ''); break;
        case 5: { const p = ri(line.length + 1); L[i] = line.slice(0, p) + pick(CHARS) + line.slice(p); break; }
        case 6: { const p = ri(line.length + 1); L[i] = line.slice(0, p) + line.slice(p + 1 + ri(3)); break; }
        case 7: { const p = ri(line.length + 1); L.splice(i, 1, line.slice(0, p), ' '.repeat(ri(6)) + line.slice(p)); break; }
        case 8: if (i + 1 < L.length) L.splice(i, 2, line + pick([' ', '', '\r', ' # ']) + L[i + 1].trimStart()); break;
        case 9: { const m2 = /^(\s*(?:- )?[^:#]*:)( .*)?$/.exec(line); if (m2) { const v = pick(SCALARS); const ind = /^\s*/.exec(line)[0].length + 2; L[i] = m2[1] + ' ' + v.replace(/\n/g, '\n' + ' '.repeat(ind - 2)); } else L[i] = line + ': ' + pick(SCALARS); break; }
        case 10: { const m2 = /^(\s*(?:- )?)([^:#]*)(:.*)$/.exec(line); if (m2) L[i] = m2[1] + pick(KEYS) + m2[3]; break; }
        case 11: L.splice(i, 0, pick(['---', '...', '--- ', '--- # c', '# c', '', ' ', '%YAML 1.2', '--- |', '---\n---', '... # x'])); break;
        case 12: L[i] = line + pick([' # c', '#c', ' ', '\r', '\t', ':', ' :', ' -', ',', ']', '}', ' \\']); break;
        case 13: L[i] = line.replace(/[ ]/, pick(['\u3000', '\u00a0', '\t', '  ', ''])); break;
        case 14: L[i] = line.replace(/^(\s*)/, '$1' + pick(['- ', '-', '? ', ': ', '# ', '[', '{', '"', "'", '|', '>', '\ufeff'])); break;
        case 15: { const ind = /^\s*/.exec(line)[0]; let nest = ''; const d = 1 + ri(40); for (let q = 0; q < d; q++) nest += ind + ' '.repeat(2 * q) + 'k' + q + ':\n'; L.splice(i, 0, nest + ind + ' '.repeat(2 * d) + 'v: ' + pick(SCALARS)); break; }
      }
    }
    return L.join('\n');
  }

  function genValue(depth, ind) {
    const r = ri(10);
    if (depth > 3 || r < 5) return ' ' + pick(SCALARS).replace(/\n/g, '\n' + ' '.repeat(ind + 2));
    if (r < 7) { let s = ''; const n = 1 + ri(3); for (let q = 0; q < n; q++) s += '\n' + ' '.repeat(ind + pick([0, 2, 2, 1, 3])) + pick(KEYS) + ':' + genValue(depth + 1, ind + 2); return s; }
    if (r < 9) { let s = ''; const n = 1 + ri(3); const sInd = ind + pick([0, 2, 2, 1]); for (let q = 0; q < n; q++) s += '\n' + ' '.repeat(sInd) + '-' + genValue(depth + 1, sInd + 2); return s; }
    return ' ' + genFlow(depth);
  }
  function genFlow(depth) {
    if (depth > 3 || rnd() < 0.4) return pick(SCALARS.filter((s) => !s.includes('\n')).concat(['a', 'b c', '"x"', '1']));
    const seq = rnd() < 0.5; const n = ri(4); const parts = [];
    for (let q = 0; q < n; q++) {
      if (seq) parts.push(rnd() < 0.2 ? pick(KEYS) + ': ' + genFlow(depth + 1) : genFlow(depth + 1));
      else parts.push(rnd() < 0.15 ? pick(KEYS) : pick(KEYS) + pick([': ', ':', ' : ', ':\n ']) + genFlow(depth + 1));
    }
    const sep = () => pick([', ', ',', ' ,', ',\n  ', '\n, ', ' , ']);
    let s = parts.join(sep()); if (rnd() < 0.2) s += ','; if (rnd() < 0.1) s = ' ' + s + ' ';
    return seq ? '[' + s + ']' : '{' + s + '}';
  }
  function genDoc() {
    let s = pick(['', '', '', '---\n', '--- \n', '\ufeff', '# c\n', '--- # c\n']);
    const n = 1 + ri(4);
    for (let q = 0; q < n; q++) s += pick(KEYS) + pick([':', ':', ' :']) + genValue(0, 0) + '\n';
    if (rnd() < 0.1) s += pick(['...\n', '...', '# end', '\n\n', ' ']);
    if (rnd() < 0.3) s = mutateLines(s.split('\n'));
    if (rnd() < 0.1) s = s.replace(/\n/g, pick(['\r\n', '\r']));
    return s;
  }
  function genCase() {
    const r = rnd();
    if (r < 0.45) return genDoc();
    const lines = pick(fileLines);
    if (r < 0.5) return mutateLines(lines);               // whole file
    const a = ri(lines.length), len = 2 + ri(30);
    let chunk = lines.slice(a, a + len);
    const ind = Math.min(...chunk.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length), 99);
    if (ind < 99 && rnd() < 0.8) chunk = chunk.map((l) => l.slice(Math.min(ind, /^ */.exec(l)[0].length)));
    return mutateLines(chunk);
  }

  function eq(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => eq(x, b[i]));
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && eq(a[k], b[k]));
  }
  const enc = (v) => JSON.stringify(v, (k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x));


  const failures: { text: string; fast: string; full: string; diagnostics: string[] }[] = [];
  let taken = 0;
  for (let n = 0; n < N; n++) {
    const text = genCase();
    const fast = fastParse(text);
    if (fast === undefined) continue;
    taken++;
    const full = fullParse(text, 'x.yaml');
    if (full.diagnostics.length || !eq(fast, full.data)) {
      failures.push({ text, fast: enc(fast), full: enc(full.data), diagnostics: full.diagnostics.map((d) => `${d.code} ${d.message}`) });
      if (failures.length >= 5) break;
    }
  }
  return { taken, failures };
}

describe('the fast YAML path under a differential fuzz', () => {
  it.each([1, 2, 3])('seed %i: 10,000 inputs, every one the fast path takes read alike by yaml', (seed) => {
    const { taken, failures } = fuzz(seed, 10_000);
    expect(failures).toEqual([]);
    // The fuzz exercises the fast path, not only the filter in front of it.
    expect(taken).toBeGreaterThan(500);
  });
});
