import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyOps } from '../../src/edit/yaml-edit.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';

/**
 * Over every example: setting a value changes that value's lines and nothing else, and the
 * result reads back as exactly the data the edit asked for.
 */
type Seg = string | number;

function leaves(v: unknown, p: Seg[] = [], out: [Seg[], unknown][] = []): [Seg[], unknown][] {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...p, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...p, k], out);
  else out.push([p, v]);
  return out;
}

function setIn(data: unknown, p: Seg[], value: unknown): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  let o: Record<string, unknown> = copy;
  for (const seg of p.slice(0, -1)) o = o[String(seg)] as Record<string, unknown>;
  o[String(p[p.length - 1])] = value;
  return copy;
}

const examples = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml'));

describe.each(examples)('%s', (name) => {
  const text = readFileSync(path.join(EXAMPLES_DIR, name), 'utf8');
  const data = parse(text, { version: '1.2', schema: 'core' }) as unknown;
  // Every third leaf keeps the test quick; the leaves cover plain, quoted and block scalars, numbers and dates.
  const sample = leaves(data).filter((_, i) => i % 3 === 0);

  it('each value set alone: only its own lines change, the data is exactly the edit', () => {
    const a = text.split('\n');
    for (const [p, old] of sample) {
      const value = typeof old === 'number' ? old + 1 : typeof old === 'string' ? (old.includes('\n') ? `${old.trimEnd()}\n\n新增段落。\n` : `${old}改`) : old;
      const out = applyOps(text, [{ op: 'set', path: p, value }]);
      expect(parse(out, { version: '1.2', schema: 'core' }), JSON.stringify(p)).toEqual(setIn(data, p, value));
      // Unchanged lines before and after the value's lines: the edit is a splice, not a rewrite.
      const b = out.split('\n');
      let head = 0;
      while (head < a.length && a[head] === b[head]) head++;
      let tail = 0;
      while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
      const oldLines = typeof old === 'string' ? old.split('\n').length + 1 : 1;
      expect(a.length - head - tail, `${JSON.stringify(p)} changed ${a.length - head - tail} lines`).toBeLessThanOrEqual(oldLines);
    }
  });
});

function deleteIn(data: unknown, p: Seg[]): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  let o: Record<string, unknown> | unknown[] = copy;
  for (const seg of p.slice(0, -1)) o = (o as Record<string, unknown>)[String(seg)] as Record<string, unknown>;
  const last = p[p.length - 1]!;
  if (Array.isArray(o)) o.splice(Number(last), 1);
  else delete o[String(last)];
  return copy;
}

function allPaths(v: unknown, p: Seg[] = [], out: Seg[][] = []): Seg[][] {
  if (p.length) out.push(p);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...p, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPaths(x, [...p, k], out);
  return out;
}

describe.each(examples)('%s: deleting', (name) => {
  const text = readFileSync(path.join(EXAMPLES_DIR, name), 'utf8');
  const data = parse(text, { version: '1.2', schema: 'core' }) as unknown;

  it('any key or item: the data is exactly the deletion, the other lines (aligned comments too) stay', () => {
    const aligned = (t: string) => t.split('\n').filter((l) => / {2,}#/.test(l)).length;
    for (const p of allPaths(data).filter((_, i) => i % 4 === 1)) {
      const out = applyOps(text, [{ op: 'delete', path: p }]);
      expect(parse(out, { version: '1.2', schema: 'core' }), JSON.stringify(p)).toEqual(deleteIn(data, p));
      // A rewrite of the file would collapse every aligned comment; a splice loses only the deleted lines' own.
      const removed = text.split('\n').length - out.split('\n').length;
      expect(aligned(text) - aligned(out), JSON.stringify(p)).toBeLessThanOrEqual(Math.max(removed, 0));
    }
  });
});

describe('a whole mapping or list set at once', () => {
  const text = readFileSync(path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), 'utf8');
  const data = parse(text) as { indicators: Record<string, Record<string, number>>; applicant: { former_titles: string[] } };

  it('a year of indicators with one figure changed: one line changes, the aligned comments stay', () => {
    const year = { ...data.indicators['2019']!, ip_funds: 3151 };
    const out = applyOps(text, [{ op: 'set', path: ['indicators', '2019'], value: year }]);
    const a = text.split('\n');
    const b = out.split('\n');
    expect(b.length).toBe(a.length);
    expect(a.flatMap((l, i) => (l === b[i] ? [] : [[l, b[i]]]))).toEqual([['    ip_funds: 3150                    # 知识产权工作经费（万元）', '    ip_funds: 3151                    # 知识产权工作经费（万元）']]);
  });

  it('a list grown by one and shrunk again: only the item lines come and go', () => {
    const titles = data.applicant.former_titles;
    const grown = applyOps(text, [{ op: 'set', path: ['applicant', 'former_titles'], value: [...titles, '新的称号'] }]);
    expect(grown).toBe(text.replace(`    - ${titles.at(-1)}\n`, `    - ${titles.at(-1)}\n    - 新的称号\n`));
    expect(applyOps(grown, [{ op: 'set', path: ['applicant', 'former_titles'], value: titles }])).toBe(text);
  });
});

describe('flow mappings', () => {
  it('a new year in `values: { … }` is added inside the braces, the line otherwise as it was', () => {
    const text = readFileSync(path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), 'utf8');
    const line = text.split('\n').find((l) => /values: \{ "2022": \d+, "2023": \d+, "2024": \d+ \}$/.test(l))!;
    const out = applyOps(text, [{ op: 'set', path: ['plan', 'targets', 0, 'values', '2025'], value: 1 }]);
    const data = parse(out) as { plan: { targets: { values: Record<string, number> }[] } };
    expect(data.plan.targets[0]!.values['2025']).toBe(1);
    const changed = out.split('\n').filter((l, i) => l !== text.split('\n')[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.startsWith(line.slice(0, -2))).toBe(true);
    expect(changed[0]!.endsWith(', "2025": 1 }')).toBe(true);
  });
});

describe('a year or a list just added', () => {
  const text = readFileSync(path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), 'utf8');

  it('`2022: {}` then its first figure: a block like the other years, nothing else touched', () => {
    const added = applyOps(text, [{ op: 'set', path: ['indicators', '2022'], value: {} }]);
    const filled = applyOps(added, [{ op: 'set', path: ['indicators', '2022', 'ip_funds'], value: 4500 }]);
    expect((parse(filled) as { indicators: Record<string, unknown> }).indicators['2022']).toEqual({ ip_funds: 4500 });
    const extra = filled.split('\n').filter((l) => !text.split('\n').includes(l));
    // The year is quoted as the file's other years are.
    expect(extra).toEqual(['  "2022":', '    ip_funds: 4500']);
    expect(filled.split('\n').length).toBe(text.split('\n').length + 2);
  });

  it('an item inserted into `[]` becomes a block list under its key', () => {
    const empty = text.replace(/( {2}former_titles:)\n(?: {4}- .*\n)+/, '$1 []\n');
    const out = applyOps(empty, [{ op: 'insert', path: ['applicant', 'former_titles'], index: 0, value: '原国家知识产权示范城区' }]);
    expect(out).toBe(text);
  });
});

describe('the last entry deleted', () => {
  it('a list emptied keeps its key as `[]`, and the rest of the file as it was', () => {
    const text = readFileSync(path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), 'utf8');
    const data = parse(text) as { applicant: { former_titles: string[] } };
    let out = text;
    for (let i = data.applicant.former_titles.length - 1; i >= 0; i--) out = applyOps(out, [{ op: 'delete', path: ['applicant', 'former_titles', i] }]);
    expect((parse(out) as typeof data).applicant.former_titles).toEqual([]);
    expect(out).toBe(text.replace(/( {2}former_titles:)\n(?: {4}- .*\n)+/, '$1 []\n'));
  });
});
