import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument, visit, type Pair, type Scalar } from 'yaml';
import { BAD, colOf, expectNoCrash, GOOD, hasBuild, lineOf, ROOT, run, shown, spawnCli } from './helpers.js';

/**
 * The CLI contract of DESIGN.md and issue 2: exit codes 0/1/2, Chinese messages, `--json`
 * carrying the same facts as the text, and the init → fill → validate path a new user takes.
 */

interface RoundCategory {
  id: string;
  short_name: string;
  scope: string;
  conditions: { id: string; check: { type: string } }[];
}
const roundOf = (id: string) => parse(readFileSync(resolve(ROOT, `data/programs/${id}.yaml`), 'utf8')) as { categories: RoundCategory[] };
/** The category of an example, from the round file its `program` names. */
const categoryOf = (key: string, program = '2022-shanghai'): RoundCategory => {
  const c = roundOf(program).categories.find((x) => x.id === key || x.short_name === key);
  if (!c) throw new Error(`category ${key} not in data/programs/${program}.yaml`);
  return c;
};

const examples = readdirSync(resolve(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `examples/${f}`);
const MINHANG = 'examples/minhang-pilot-district.yaml';

const LABELS = ['符合', '不符合', '待补充', '待人工确认', '具备优先条件', '不涉及'];
const STATUS_OF_LABEL: Record<string, string> = { 符合: 'met', 不符合: 'unmet', 待补充: 'pending', 待人工确认: 'review', 具备优先条件: 'priority', 不涉及: 'not_applicable' };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'shenbao-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('validate', () => {
  it('finds the four Shanghai examples', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'examples/caohejing-pilot-park.yaml',
        'examples/minhang-pilot-district.yaml',
        'examples/xuhui-demo-district.yaml',
        'examples/zhangjiang-demo-park.yaml',
      ]),
    );
  });

  it.each(examples)('%s is valid (exit 0)', async (file) => {
    const r = await run('validate', file);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`✓ ${file}：有效`);
  });

  it('takes several files at once and exits with the worst code', async () => {
    const good = resolve(GOOD, 'minimal.yaml');
    const bad = resolve(BAD, 'wrong-type.yaml');
    expect((await run('validate', ...examples)).code).toBe(0);
    const mixed = await run('validate', good, bad);
    expect(mixed.code).toBe(1);
    expect(mixed.out).toContain(`✓ ${shown(good)}：有效`);
    expect(mixed.out).toContain(`✗ ${shown(bad)}：无效`);
    const withMissing = await run('validate', good, bad, 'no-such-file.yaml');
    expect(withMissing.code).toBe(2);
    expect(withMissing.out).toContain(`✓ ${shown(good)}：有效`);
    expect(withMissing.err).toContain('no-such-file.yaml  文件不存在');
  });

  it('--json reports every file with the same diagnostics', async () => {
    const bad = resolve(BAD, 'letter-year-mismatch.yaml');
    const r = await run('validate', '--json', resolve(GOOD, 'minimal.yaml'), bad);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.files.map((f: { valid: boolean }) => f.valid)).toEqual([true, false]);
    expect(j.files[1].diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'rule.letter-year', file: shown(bad), path: ['letter', 'number'], label: '发文字号' }),
    ]);
  });
});

describe('unreadable paths and usage errors exit 2 with a Chinese message', () => {
  it.each([
    ['a missing file', () => join(tmp, '不存在.yaml'), '文件不存在'],
    ['a directory', () => resolve(ROOT, 'examples'), '这是一个文件夹，不是文件'],
    ['a path through a file', () => resolve(ROOT, 'package.json/x.yaml'), '路径中的某一级不是文件夹'],
  ])('validate and check on %s', async (_what, path, message) => {
    for (const cmd of ['validate', 'check']) {
      const r = await run(cmd, path());
      expectNoCrash(r, expect);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${shown(path())}  ${message}`);
    }
    const j = await run('validate', '--json', path());
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out).files[0]).toEqual({ file: path(), valid: false, diagnostics: [expect.objectContaining({ code: 'io.read', message })] });
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission', async () => {
    const f = join(tmp, 'locked.yaml');
    writeFileSync(f, readFileSync(resolve(GOOD, 'minimal.yaml')));
    chmodSync(f, 0o000);
    const r = await run('validate', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain('没有读取权限');
  });

  it.each([
    [['frobnicate'], '未知命令 frobnicate'],
    [['validate', '--frob', 'x.yaml'], '未知选项 --frob'],
    [['check', '--stict', MINHANG], '未知选项 --stict'],
    [['validate'], '缺少参数 FILE'],
    [['init', join('tmp', 'x.yaml')], '缺少必需的选项'],
    [['init', 'x.yaml', '--program'], '选项 --program <ROUND> 缺少取值'],
    [['check', MINHANG, 'extra.yaml'], '参数过多'],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('no command prints the Chinese usage and exits 2; --help and --version exit 0', async () => {
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.out).toContain('用法：');
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('命令：');
    for (const cmd of ['init', 'validate', 'check', 'schema']) expect(help.out).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    const version = await run('--version');
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('check', () => {
  const head = (file: string) => parse(readFileSync(resolve(ROOT, file), 'utf8')) as { category: string; program: string };

  it.each(examples)('%s: every condition of its category, with status and reason; --json the same', async (file) => {
    const cat = categoryOf(head(file).category, head(file).program);
    const r = await run('check', file);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    const textStatus: Record<string, string> = {};
    for (const c of cat.conditions) {
      const re = new RegExp(`\\[(${LABELS.join('|')})\\][^\\n]*（${escape(c.id)}）$`);
      const i = lines.findIndex((l) => re.test(l));
      expect(i, `${c.id} missing from:\n${r.out}`).toBeGreaterThanOrEqual(0);
      textStatus[c.id] = re.exec(lines[i]!)![1]!;
      expect(lines[i + 1]!.trim(), `${c.id} has no reason`).not.toBe('');
    }
    // Nothing printed for conditions of other categories.
    const printed = [...r.out.matchAll(/（((?:sh|nat)-[a-z-]+)）$/gm)].map((m) => m[1]);
    expect(printed).toEqual(cat.conditions.map((c) => c.id));

    const j = await run('check', '--json', file);
    expect(j.code).toBe(0);
    const data = JSON.parse(j.out) as { category: { id: string }; results: { id: string; status: string; status_label: string; reason: string }[] };
    expect(data.category.id).toBe(cat.id);
    expect(data.results.map((x) => x.id)).toEqual(cat.conditions.map((c) => c.id));
    for (const x of data.results) {
      expect(x.status_label).toBe(textStatus[x.id]);
      expect(x.status).toBe(STATUS_OF_LABEL[textStatus[x.id]!]);
      expect(x.reason).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('minhang-pilot-district.yaml: the ranking (位居全市前列) awaits a person, with the ranks shown', async () => {
    const r = await run('check', MINHANG);
    expect(r.out).toMatch(/\[待人工确认\][^\n]*（sh-pilot-district-ranking）\n\s+[^\n]*2020年第4名、2021年第7名/);
    const j = JSON.parse((await run('check', '--json', MINHANG)).out);
    expect(j.results.find((x: { id: string }) => x.id === 'sh-pilot-district-ranking')).toMatchObject({ status: 'review', status_label: '待人工确认' });
    expect(j.counts.unmet).toBe(0);
    expect(j.counts.review).toBe(1);
    expect(j.eligible).toBe(false);
  });

  it('--strict exits 1 unless every condition is 符合 (minhang: 待人工确认; a missing statement: 待补充), 0 on the other examples', async () => {
    const strict = await run('check', '--strict', MINHANG);
    expectNoCrash(strict, expect);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('待人工确认 1 项');
    expect((await run('check', '--strict', '--json', MINHANG)).code).toBe(1);
    const doc = parseDocument(readFileSync(resolve(ROOT, 'examples/xuhui-demo-district.yaml'), 'utf8'));
    doc.deleteIn(['conditions', 'sh-demo-district-policy']);
    const pendingFile = join(tmp, 'xuhui-pending.yaml');
    writeFileSync(pendingFile, doc.toString());
    const pending = await run('check', '--strict', pendingFile);
    expect(pending.out).toContain('待补充 1 项');
    expect(pending.code).toBe(1);
    expect((await run('check', pendingFile)).code).toBe(0);
    for (const file of examples.filter((f) => f !== MINHANG)) {
      const r = await run('check', '--strict', file);
      expect(r.code, `${file}\n${r.out}`).toBe(0);
    }
  });

  it('a warning (letter after the deadline) is shown by check but does not fail it', async () => {
    const r = await run('check', resolve(BAD, 'letter-after-deadline.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('警告：成文日期晚于本批次的报送截止日期');
  });
});

describe('schema', () => {
  it('prints a JSON Schema with Chinese titles', async () => {
    const r = await run('schema');
    expectNoCrash(r, expect);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.$schema).toMatch(/json-schema\.org/);
    expect(s.type).toBe('object');
    expect(s.properties.applicant.title).toMatch(/^[\u4e00-\u9fff]/);
    expect(s.properties.applicant.title).toBe('申报单位');
    expect(s.properties.applicant.properties.name.title).toBe('申报单位全称');
    expect(s.properties.letter.properties.number.title).toBe('发文字号');
  });

  it('--out writes the same schema to a file', async () => {
    const f = join(tmp, 'applicant.schema.json');
    const r = await run('schema', '--out', f);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual(JSON.parse((await run('schema')).out));
  });
});

/** Fills every 待填写 of a starter as a user would, keeping its comments. */
function fillStarter(text: string, year: number): string {
  const doc = parseDocument(text);
  const byKey: Record<string, string | number> = {
    name: '示例单位',
    short_name: '示例区',
    place: '示例区',
    unit: '示例区市场监督管理局',
    position: '科长',
    phone: '021-64872222',
    number: `示府〔${year}〕8号`,
    signer: '示例区人民政府',
    date: `${year}-02-10`,
    recipient: '江苏省知识产权局',
    area_km2: 100,
    gdp_100m: 1000,
    ip_staff: 10,
    ip_office: '示例区知识产权局',
    performance_rank: 2,
  };
  const numeric = new Set(catalogueIds());
  visit(doc, {
    Pair(_key, pair: Pair) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = pair.value as Scalar | null;
      if (!isScalar(v) || v.value !== '待填写') return;
      v.value = byKey[k] ?? (numeric.has(k) || /^\d{4}$/.test(k) ? 1000 : `示例${k}内容。`);
    },
    Seq(_key, seq) {
      seq.items.forEach((item, i) => {
        if (isScalar(item) && item.value === '待填写') seq.items[i] = doc.createNode('电子信息');
      });
    },
  });
  // Evidence dates predate the letter.
  visit(doc, {
    Map(_key, map) {
      if (isMap(map) && map.has('title') && map.has('date') && !map.has('statement')) map.set('date', `${year - 1}-06-30`);
    },
  });
  return String(doc);
}

function catalogueIds(): string[] {
  return (parse(readFileSync(resolve(ROOT, 'data/indicators.yaml'), 'utf8')) as { indicators: { id: string }[] }).indicators.map((i) => i.id);
}

describe('init', () => {
  const every = (['2022-shanghai', '2022-national'] as const).flatMap((round) => roundOf(round).categories.map((c) => [`${round} ${c.id}`, round, c] as const));

  it.each(every)('%s: the starter is complete, flags only its 待填写 placeholders, and is valid once they are filled', async (_name, round, cat) => {
    const f = join(tmp, `${round}-${cat.id}.yaml`);
    const made = await run('init', f, '--program', round, '--category', cat.id);
    expectNoCrash(made, expect);
    expect(made.code, made.err).toBe(0);
    const text = readFileSync(f, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*applicant\.schema\.json$/);
    // Every declared condition of the category has a place to fill.
    for (const c of cat.conditions.filter((x) => x.check.type === 'declared')) expect(text).toContain(`  ${c.id}:\n`);
    // Hints in the category's terms; no 0 that would pass for a value.
    if (cat.scope.includes('园区')) {
      expect(text).toContain('如 上海张江高新技术产业开发区管理委员会');
      expect(text).not.toMatch(/^\s+population:/m);
    } else expect(text).not.toContain('管理委员会');
    expect(text).not.toMatch(/: 0\b/);
    // National: the office it applies to and the status form's profile are asked for.
    expect(text.includes('  recipient: 待填写')).toBe(round === '2022-national');
    expect(text.includes('profile:')).toBe(round === '2022-national');

    const r = await run('validate', '--json', f);
    expect(r.code).toBe(1);
    const ds = (JSON.parse(r.out) as { files: { diagnostics: { severity: string; code: string; line: number; message: string }[] }[] }).files[0]!.diagnostics;
    // Nothing but the placeholders: no invalid 0, no type error behind a placeholder.
    expect(ds.filter((d) => d.code !== 'rule.placeholder'), JSON.stringify(ds.filter((d) => d.code !== 'rule.placeholder'))).toEqual([]);
    for (const d of ds) expect(d.message).toMatch(/^待填写：/);
    const reported = new Set(ds.map((d) => d.line));
    text.split('\n').forEach((l, i) => {
      if (/^[^#]*:\s*(\[)?待填写/.test(l) && !l.includes('{')) expect(reported, `line ${i + 1} not reported: ${l}`).toContain(i + 1);
    });

    // Refuses to overwrite, leaving the file as it was.
    writeFileSync(f, `${text}# 用户已编辑\n`);
    const again = await run('init', f, '--program', round, '--category', cat.id);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`${f}  文件已存在，未覆盖（如需覆盖请加 --force）`);
    expect(readFileSync(f, 'utf8')).toBe(`${text}# 用户已编辑\n`);
    expect((await run('init', f, '--program', round, '--category', cat.short_name, '--force')).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(text);

    // Filled in: valid without a warning, and check judges every condition of the category.
    writeFileSync(f, fillStarter(text, 2022));
    const filled = await run('validate', f);
    expect(filled.code, filled.err).toBe(0);
    expect(filled.err).toBe('');
    const check = JSON.parse((await run('check', '--json', f)).out);
    expect(check.results.map((x: { id: string }) => x.id)).toEqual(cat.conditions.map((c) => c.id));
    for (const c of cat.conditions.filter((x) => x.check.type === 'declared')) {
      expect(check.results.find((x: { id: string }) => x.id === c.id).status).toBe('met');
    }
  });

  it('an unknown round or category is a usage error (exit 2), nothing written', async () => {
    const f = join(tmp, 'never.yaml');
    const badRound = await run('init', f, '--program', '2099-mars', '--category', 'pilot-park');
    expect(badRound.code).toBe(2);
    expect(badRound.err).toContain('未知的申报批次 2099-mars；可用的批次：');
    const badCat = await run('init', f, '--program', '2022-shanghai', '--category', '示范县');
    expect(badCat.code).toBe(2);
    expect(badCat.err).toContain('批次 2022-shanghai 没有申报类别 示范县；可用：demo-district（示范城区）');
    expect(() => readFileSync(f)).toThrow();
  });

  it('creates missing folders on the way', async () => {
    const f = join(tmp, 'no', 'such', 'dir', 'x.yaml');
    const r = await run('init', f, '--program', '2022-shanghai', '--category', 'pilot-park');
    expectNoCrash(r, expect);
    expect(r.code).toBe(0);
    expect(readFileSync(f, 'utf8')).toContain('category: pilot-park');
  });

  it('a path through a file is an I/O error (exit 2)', async () => {
    const r = await run('init', resolve(ROOT, 'package.json', 'x.yaml'), '--program', '2022-shanghai', '--category', 'pilot-park');
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toContain('无法写入：');
  });
});

/** The real binary: exit codes reach the shell, and no stack trace reaches stderr. */
describe('bin/shenbao.js (spawned)', () => {
  beforeAll(() => {
    if (!hasBuild) throw new Error('dist/ missing: run `npm run build` (npm test does it) before these tests');
    mkdirSync(join(tmp, 'spawn'), { recursive: true });
    // Binary garbage, written here rather than committed.
    writeFileSync(join(tmp, 'spawn', 'garbage.yaml'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256)));
  });

  const cases: [string, () => string[], number, string | RegExp][] = [
    ['validate an example', () => ['validate', ...examples], 0, /✓ examples\/xuhui-demo-district\.yaml：有效/],
    ['a YAML syntax error', () => ['validate', 'test/fixtures/bad/syntax-unclosed-bracket.yaml'], 1, /^test\/fixtures\/bad\/syntax-unclosed-bracket\.yaml:\d+:\d+  .*没有闭合/m],
    ['a missing required field', () => ['validate', 'test/fixtures/bad/missing-letter-number.yaml'], 1, 'letter.number（发文字号）  缺少必填字段'],
    ['an alias bomb', () => ['validate', 'test/fixtures/bad/alias-bomb.yaml'], 1, '别名炸弹'],
    ['a !!js/function tag', () => ['validate', 'test/fixtures/bad/js-function-tag.yaml'], 1, '（!!js/function），请删除该标签'],
    ['binary garbage', () => ['validate', join(tmp, 'spawn', 'garbage.yaml')], 1, '不是文本文件（含有二进制数据）'],
    ['an empty file', () => ['validate', 'test/fixtures/bad/empty.yaml'], 1, '文件为空'],
    ['a nonexistent file', () => ['validate', 'nope/不存在.yaml'], 2, 'nope/不存在.yaml  文件不存在'],
    ['a directory', () => ['check', 'examples'], 2, 'examples  这是一个文件夹，不是文件'],
    ['an unknown command', () => ['frobnicate'], 2, '未知命令 frobnicate'],
    ['an unknown option', () => ['validate', '--frob', MINHANG], 2, '未知选项 --frob'],
    ['check --strict with a condition awaiting a person', () => ['check', '--strict', MINHANG], 1, /\[待人工确认\].*sh-pilot-district-ranking/],
    ['init over an existing file', () => ['init', join(tmp, 'spawn', 'garbage.yaml'), '--program', '2022-shanghai', '--category', 'pilot-district'], 2, '文件已存在，未覆盖'],
  ];

  it.concurrent.each(cases)('%s', async (_what, args, code, message) => {
    const r = await spawnCli(args());
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(code);
    const all = r.out + r.err;
    if (typeof message === 'string') expect(all).toContain(message);
    else expect(all).toMatch(message);
    if (code === 2 || (code === 1 && args()[0] === 'validate')) expect(r.err).toMatch(/[\u4e00-\u9fff]/);
  });

  it('schema prints valid JSON on stdout', async () => {
    const r = await spawnCli(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).properties.applicant.title).toBe('申报单位');
  });

  it('validate --json keeps stdout machine-readable for a broken file', async () => {
    const r = await spawnCli(['validate', '--json', 'test/fixtures/bad/wrong-type.yaml']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.files[0].diagnostics[0]).toMatchObject({ file: 'test/fixtures/bad/wrong-type.yaml', message: '应为数字，实际为文本' });
  });
});
