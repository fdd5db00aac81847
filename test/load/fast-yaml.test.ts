/**
 * The loader reads plain YAML with js-yaml (fast on a cold start) and everything else, and every
 * position, with the `yaml` package (src/load/yaml.ts). The two must never read one file apart:
 * whatever the fast path accepts, `yaml` reads to the same data without a diagnostic.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastParse, fullParse } from '../../src/load/yaml.js';
import { loadYamlFile, parseYaml } from '../../src/load/index.js';

const ROOT = path.resolve(__dirname, '..', '..');
const repoYaml = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

/** The fast path's data, and `yaml`'s, for one text; the fast path may decline (undefined). */
function both(text: string) {
  const full = fullParse(text, 'x.yaml');
  return { fast: fastParse(text), full: full.data, diagnostics: full.diagnostics };
}

/** `yaml` reads what the fast path read, to the very same values, without a diagnostic. */
function expectAgree(text: string): void {
  const { fast, full, diagnostics } = both(text);
  if (fast === undefined) return;
  expect(diagnostics, text).toEqual([]);
  expect(fast, text).toEqual(full);
  // toEqual treats -0 and 0, and NaN, loosely: the numbers must be the very same values.
  const exact = (v: unknown) => JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x));
  expect(exact(fast), text).toBe(exact(full));
}

/** The fast path takes this text (so the agreement above is tested, not skipped), and agrees. */
function expectTaken(text: string): void {
  expect(fastParse(text), `the fast path declined ${JSON.stringify(text)}`).toBeDefined();
  expectAgree(text);
}

describe('the fast YAML path', () => {
  it('reads every example through the fast path (the speed is real) to the data `yaml` reads', () => {
    const examples = repoYaml.filter((f) => f.startsWith('examples/'));
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const f of examples) {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      expect(fastParse(text), f).toBeDefined();
      expectAgree(text);
    }
  });

  it('agrees with `yaml` on every YAML file of the repository it accepts, good and bad', () => {
    expect(repoYaml.length).toBeGreaterThan(50);
    let taken = 0;
    for (const f of repoYaml) {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      if (fastParse(text) !== undefined) taken++;
      expectAgree(text);
    }
    expect(taken).toBeGreaterThan(20);
  });

  it('resolves plain scalars as the YAML 1.2 core schema of `yaml` does, as values and as keys', () => {
    const scalars = [
      '1_000', '0b101', '+.5', '.5', '1.', '-0', '+0', '0o17', '0o19', '0x1F', '0X1F', '0123', '00', '1e3', '+1e3', '1E-3', '.5e3', '1.5e+3',
      '.inf', '-.Inf', '+.INF', '.NaN', '.nan', 'NaN', '-.nan', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false',
      'yes', 'no', 'on', 'off', 'y', 'n', '2022-02-15', '2022-02-15T10:00:00Z', '12:30', '1:20:30', '=', '<<', '0.', '-', '--', '1,000',
      '１２３', '二〇二二', '15%', '徐府〔2022〕8号', '"1"', "'true'", '"\\u4e2d\\x41\\t\\/"', "'it''s'",
    ];
    for (const s of scalars) {
      // A lone "-" reads as the start of a list to js-yaml: left to yaml.
      if (s === '-') {
        expectAgree(`a: ${s}\n`);
        expectAgree(`a:\n- ${s}\n- [${s}]\n`);
      } else {
        expectTaken(`a: ${s}\n`);
        expectTaken(`a:\n- ${s}\n- [${s}]\n`);
      }
      // A null key is "" in yaml and "null" in js-yaml: left to yaml.
      if (/^(?:~|[Nn]ull|NULL)$/.test(s)) expect(fastParse(`${s}: 1\nb: 2\n`)).toBeUndefined();
      else expectTaken(`${s}: 1\nb: 2\n`);
    }
  });

  it('reads block and flow styles, comments and line breaks as `yaml` does', () => {
    for (const t of [
      'a: |\n  一\n  二\n\n  三\nb: 1\n',
      'a: |-\n  一\n\n\nb: 1\n',
      'a: >\n  一\n  二\n\n  三\n    缩进\n  四\nb: 1\n',
      'a: >-\n  一\n  二\n',
      'a: 一行\n  续行\n\n  新段\nb: 1\n',
      'a: "跨\n  行\n\n  引号"\n',
      "a: '单\n  引号'\n",
      'a: [1, "二", 三, {b: 4}]\nc: {d: 5, e: }\n',
      'a:\n- 1\n- - 2\n  - 3\n- b: 4\n  c: 5\n',
      '# 注释\na: 1 # 行尾注释\nc: 真#也不是\n',
      'a: 1\r\nb: |\r\n  一\r\n  二\r\n',
      '---\na: 1\n...\n',
      'a: [1, 2,]\n',
      'a: \u00a0x\n',
      '\ufeffa: 1\n',
      'a:   \n',
      'a: R&D，5*2，注意!\n',
    ]) {
      expectTaken(t);
    }
    // Taken or not, never read apart.
    for (const t of ['c: {d: [5], e: }\n', 'a: |+\n  一\n\n\nb: 1\n', 'a: |2\n    两格缩进\n  一\n', 'b: "#不是注释"\n', 'a: b: c\n', '---\na: 1\n---\nb: 2\n', 'a: 1\n  b: 2\n', 'a:\n  - b\n  c: d\n', 'a: "\\q"\n', 'a: { b: 1, b: 2 }\n', 'a: x\u0007y\n', 'a: b\u3000: c\n']) {
      expectAgree(t);
    }
  });

  it('leaves to `yaml` the files whose messages it owns: aliases, tags, tabs, duplicate and reserved keys', () => {
    for (const t of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: !!js/function "f"\n',
      'a:\n\tb: 1\n',
      'a: 1\na: 2\n',
      '__proto__: 1\n',
      'b:\n  constructor: 1\n',
      '~: 1\n',
      'null: 1\n',
      '? a\n: 1\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: 1\nb: [\n',
      '- 1\n- 2\n',
      '只有一行\n',
      '',
      // Accepted by js-yaml, refused or read otherwise by yaml (found in review):
      'a: "x"#c\n',
      'a: [x]# no\n',
      'a: {x: 1}#\n',
      `${'k'.repeat(1100)}: 1\n`,
      '--- a: 1\n',
      'a: !\n',
      '[a, b]: 1\n',
      '{a: 1}: 2\n',
      'a: 1\rb: 2\r',
      '{"a":&x [1, 2], "b":*x}\n',
      'a: 注意 & 事项\n',
      // Found by the differential fuzz (see the test below):
      'a:\n- -\n- y\n',
      'a:\n  -\n- b\n',
      'a: |1\n  \n',
      'k: |+\n  x\n \n',
      'b: "x\\\n\n y"\n',
      '{[a]}\n',
      '{{}}\n',
      '---x: 1\n',
      '\ufeff---x: 1\n',
      '---#\na:\n',
      '\n\ufeffconstructor: 1\n',
      '0: |\n  \n #\n',
    ]) {
      expect(fastParse(t), JSON.stringify(t)).toBeUndefined();
    }
  });

  it('refuses an alias bomb written with JSON-style keys as the yaml package does, at once', () => {
    // Anchors glued to a key's colon: nine levels of nine aliases, under 1 KB. js-yaml shares
    // the aliased objects, and any walk that follows them once per use never ends.
    const levels = ['"l0":&l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`"l${i}":&l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    const text = `{${levels.join(', ')}}\n`;
    expect(text.length).toBeLessThan(1024);
    expect(fastParse(text)).toBeUndefined();
    expect(parseYaml(text, 'bomb.yaml').diagnostics.map((d) => d.code)).toContain('yaml.alias-bomb');
  });

  it('still places a finding in a file the fast path read: the line and column of the value, and of a character inside it', async () => {
    const located = await loadYamlFile(path.join(ROOT, 'examples', 'xuhui-demo-district.yaml'));
    const text = readFileSync(path.join(ROOT, 'examples', 'xuhui-demo-district.yaml'), 'utf8').split('\n');
    const line = text.findIndex((l) => /^\s+short_name:/.test(l)) + 1;
    const pos = located.locate(['applicant', 'short_name']);
    expect(pos.line).toBe(line);
    expect(text[line - 1]!.slice(pos.col! - 1)).toBe(String((located.data as { applicant: { short_name: string } }).applicant.short_name));
    expect(located.locateKey(['applicant', 'short_name'])).toMatchObject({ line, col: text[line - 1]!.indexOf('short_name') + 1 });
  });
});
