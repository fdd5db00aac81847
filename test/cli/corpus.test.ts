import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/common/diagnostics.js';
import { formatPath } from '../../src/common/diagnostics.js';
import { BAD, colOf, diagnosticsOf, expectNoCrash, GOOD, lineOf, readFixture, run, shown } from './helpers.js';

/**
 * The broken-input corpus (issue 6, and the "Done when" of issue 2): each fixture in
 * test/fixtures/bad/ is test/fixtures/good/minimal.yaml with ONE thing broken. For each, the
 * exit code, the Chinese message a user relies on, where it points (line found by searching the
 * fixture for the offending text, not hard-coded), the field's path and Chinese label, and that
 * nothing JavaScript leaks out.
 */

interface Expected {
  /** Exact Chinese substring of the message. */
  message: string;
  severity?: 'error' | 'warning';
  /** Text of the offending line; several = any of them (e.g. a key or the first line of its value). */
  line?: string | string[];
  /** Text on that line where the column points. */
  col?: string;
  /** The diagnostic carries no position (the file as a whole is wrong). */
  noPosition?: true;
  path?: string;
  label?: string;
  received?: string;
  /** The diagnostic names another file than the fixture (relative to test/fixtures/). */
  file?: string;
}

interface Case {
  fixture: string;
  why: string;
  code: 0 | 1 | 2;
  expect: Expected[];
  /** Substrings no diagnostic may contain (misleading messages seen before). */
  not?: string[];
}

/** Where contact.phone is in the main file of the include conflict (the message cites it). */
function conflictAt(): string {
  const text = readFixture(resolve(BAD, 'include/conflict.yaml'));
  const line = lineOf(text, 'phone: 021-64872222');
  return `${line}:${colOf(text, line, '021')}`;
}

const cases: Case[] = [
  // ── YAML syntax ────────────────────────────────────────────────────────────
  {
    fixture: 'syntax-unclosed-bracket.yaml',
    why: 'flow map without its closing }',
    code: 1,
    // The yaml parser only notices on the next line.
    expect: [{ message: '花括号“{ }”没有闭合', line: ['values: { "2022": 26500, "2023": 30000, "2024": 33800', '  tasks:'] }],
  },
  {
    fixture: 'syntax-unclosed-square-bracket.yaml',
    why: 'flow list without its closing ]',
    code: 1,
    expect: [{ message: '方括号“[ ]”或花括号“{ }”没有闭合', line: ['former_titles: [原国家知识产权示范城区', 'contact:'] }],
  },
  {
    fixture: 'bad-indent.yaml',
    why: 'a key one space left of its siblings',
    code: 1,
    expect: [{ message: '缩进不正确（同一层级的字段应左对齐', line: ' short_name: 徐汇区', col: ' short_name' }],
  },
  {
    fixture: 'over-indent.yaml',
    why: 'a key one space right of its siblings reads as the continuation of the line above',
    code: 1,
    expect: [{ message: '字段写法不正确（可能缺少冒号，或冒号后缺少空格）', line: ['  name: 上海市徐汇区人民政府', '   short_name: 徐汇区'] }],
  },
  {
    fixture: 'tab-indent.yaml',
    why: 'a tab used to indent',
    code: 1,
    expect: [{ message: '不能用制表符（Tab）缩进，请改用空格', line: '\tshort_name: 徐汇区', col: '\t' }],
  },
  {
    fixture: 'duplicate-key.yaml',
    why: 'the same key twice in one mapping',
    code: 1,
    expect: [{ message: '字段名重复：同一层级的每个字段只能出现一次', line: 'place: 徐汇区滨江', col: 'place' }],
  },
  {
    fixture: 'fullwidth-colon.yaml',
    why: 'a Chinese IME typed the colon full-width',
    code: 1,
    expect: [{ message: '字段 short_name 后面用了全角冒号“：”，应改为半角冒号“:”并加一个空格', line: 'short_name：徐汇区', col: '：' }],
  },
  {
    fixture: 'colon-no-space.yaml',
    why: 'no space after the colon',
    code: 1,
    expect: [{ message: '字段 short_name 的冒号后缺少空格，应写成“short_name: 值”', line: 'short_name:徐汇区', col: ':' }],
  },
  // ── Shape and types ────────────────────────────────────────────────────────
  {
    fixture: 'wrong-type.yaml',
    why: 'population: "很多"',
    code: 1,
    expect: [{ message: '应为数字，实际为文本', line: 'population: "很多"', col: '"很多"', path: 'indicators.2021.population', received: '"很多"' }],
  },
  {
    fixture: 'negative-number.yaml',
    why: 'a negative amount',
    code: 1,
    expect: [{ message: '不能为负数', line: 'ip_funds: -4060', col: '-4060', path: 'indicators.2021.ip_funds', received: '-4060' }],
  },
  {
    fixture: 'missing-letter-number.yaml',
    why: 'letter.number left out',
    code: 1,
    // A missing key has no position of its own: the diagnostic points into its parent mapping.
    expect: [{ message: '缺少必填字段', path: 'letter.number', label: '发文字号', line: ['letter:', 'date: 2022-02-15'] }],
  },
  {
    fixture: 'unknown-key-typo.yaml',
    why: 'shortname instead of short_name',
    code: 1,
    expect: [
      { message: '未知字段 shortname，是否应为 short_name（简称）', line: 'shortname: 徐汇区', col: 'shortname', path: 'applicant.shortname' },
      { message: '缺少必填字段', path: 'applicant.short_name', label: '简称' },
    ],
  },
  {
    fixture: 'empty.yaml',
    why: 'a zero-byte file',
    code: 1,
    expect: [{ message: '文件为空：没有任何申报数据（可用 shenbao init 生成带注释的模板）' }],
  },
  {
    fixture: 'whitespace-only.yaml',
    why: 'spaces, tabs and blank lines only',
    code: 1,
    expect: [{ message: '文件为空：没有任何申报数据' }],
  },
  {
    fixture: 'root-list.yaml',
    why: 'a list at the root',
    code: 1,
    expect: [{ message: '文件根部应为“字段: 值”的映射，实际为列表' }],
  },
  // ── Hostile YAML ───────────────────────────────────────────────────────────
  {
    fixture: 'alias-bomb.yaml',
    why: 'billion laughs: 9^9 expansions',
    code: 1,
    expect: [{ message: '引用（*别名）展开次数超过 200 次上限，可能是恶意构造的文件（“别名炸弹”），已拒绝读取' }],
  },
  {
    fixture: 'js-function-tag.yaml',
    why: '!!js/function must never become code',
    code: 1,
    expect: [{ message: '不支持的标签：申报数据只能使用普通的文本、数字、列表和映射（!!js/function），请删除该标签', line: 'name: !!js/function', col: '!!js/function' }],
  },
  {
    fixture: 'custom-tag.yaml',
    why: 'a custom !foo tag',
    code: 1,
    expect: [{ message: '不支持的标签：申报数据只能使用普通的文本、数字、列表和映射（!foo），请删除该标签', line: 'short_name: !foo', col: '!foo' }],
  },
  // ── Round and category ─────────────────────────────────────────────────────
  {
    fixture: 'unknown-program.yaml',
    why: 'program: 2099-mars',
    code: 1,
    expect: [{ message: '未知的申报批次；可用的批次：', line: 'program: 2099-mars', col: '2099-mars', path: 'program', label: '申报批次', received: '"2099-mars"' }],
  },
  {
    fixture: 'unknown-category.yaml',
    why: 'a category the round does not have',
    code: 1,
    expect: [{ message: '本批次（2022-shanghai）没有这个申报类别；可用：demo-district（示范城区）', line: 'category: 示范县', col: '示范县', path: 'category', label: '申报类别', received: '"示范县"' }],
  },
  {
    fixture: 'kind-not-admitted.yaml',
    why: 'a district government applying as 试点园区',
    code: 1,
    expect: [{ message: '“试点园区”只接受以下申报主体：国家高新区管理机构、国家级经开区管理机构、其他国家级园区管理主体；本单位为 区人民政府', line: 'kind: district_government', col: 'district_government', path: 'applicant.kind', label: '申报主体类型' }],
  },
  {
    fixture: 'condition-unknown.yaml',
    why: 'a condition id of another category',
    code: 1,
    expect: [{ message: '“示范城区”没有代码为 sh-demo-park-policy 的申报条件', line: ['sh-demo-park-policy:', '资助政策经公平竞争审查'], path: 'conditions.sh-demo-park-policy' }],
  },
  // ── 申报函 ─────────────────────────────────────────────────────────────────
  ...(
    [
      ['letter-number-brackets.yaml', '徐府[2022]8号', 'square brackets instead of 〔〕'],
      ['letter-number-di.yaml', '徐府〔2022〕第8号', '第 before the serial number'],
      ['letter-number-leading-zero.yaml', '徐府〔2022〕08号', 'a leading zero (虚位)'],
    ] as const
  ).map(([fixture, value, why]): Case => ({
    fixture,
    why,
    code: 1,
    expect: [{ message: '发文字号应为 机关代字〔年份〕序号号，如 徐府〔2022〕8号（六角括号〔〕，序号不加“第”、不编虚位）', line: `number: ${value}`, col: value, path: 'letter.number', label: '发文字号', received: JSON.stringify(value) }],
  })),
  {
    fixture: 'letter-year-mismatch.yaml',
    why: '〔2021〕 in a letter dated 2022',
    code: 1,
    expect: [{ message: '发文字号中的年份 2021 与成文日期 2022年2月15日 的年份不一致', line: 'number: 徐府〔2021〕8号', col: '徐府', path: 'letter.number', label: '发文字号' }],
  },
  {
    fixture: 'letter-after-deadline.yaml',
    why: 'dated after the deadline: a warning, the file stays valid',
    code: 0,
    expect: [{ severity: 'warning', message: '成文日期晚于本批次的报送截止日期 2022年2月18日', line: 'date: 2022-02-25', col: '2022-02-25', path: 'letter.date', label: '成文日期' }],
  },
  {
    fixture: 'invalid-date.yaml',
    why: '2022-02-30 does not exist',
    code: 1,
    expect: [{ message: '不是有效的日历日期', line: 'date: 2022-02-30', col: '2022-02-30', path: 'letter.date', label: '成文日期', received: '"2022-02-30"' }],
    not: ['格式 YYYY-MM-DD'],
  },
  // ── Indicators ─────────────────────────────────────────────────────────────
  {
    fixture: 'indicators-missing-year.yaml',
    why: 'no 2019 figures',
    code: 1,
    expect: [{ message: '缺少 2019 年的指标：本批次（2022 年）需要 2019、2020、2021 连续三年的数据', line: ['indicators:', '"2020":'], path: 'indicators', label: '近三年指标' }],
  },
  {
    fixture: 'derived-indicator.yaml',
    why: 'a computed indicator typed by hand',
    code: 1,
    expect: [{ message: '每万人口发明专利拥有量由其他指标计算得出，请删除此项，填写其来源指标', line: 'invention_patents_per_10k: 207.5', col: '207.5', path: 'indicators.2021.invention_patents_per_10k', label: '每万人口发明专利拥有量' }],
  },
  {
    fixture: 'unknown-indicator.yaml',
    why: 'an indicator id not in the catalogue',
    code: 1,
    expect: [{ message: '指标目录中没有 patent_total；可用的指标见 data/indicators.yaml', line: 'patent_total: 30000', col: '30000', path: 'indicators.2021.patent_total' }],
  },
  // ── Plan ───────────────────────────────────────────────────────────────────
  {
    fixture: 'target-outside-period.yaml',
    why: 'a target for 2025 in a 2022—2024 plan',
    code: 1,
    expect: [
      { message: '目标年份 2025 不在方案期限 2022—2024 年内', line: '"2025": 33800', col: '33800', path: 'plan.targets[0].values.2025', label: '各年度目标值' },
      { severity: 'warning', message: '缺少 2024 年的目标值', line: '"2025": 33800', path: 'plan.targets[0].values' },
    ],
  },
  {
    fixture: 'task-deadline-outside.yaml',
    why: 'a task due after the plan ends',
    code: 1,
    expect: [{ message: '完成时限 2026-06 不在方案期限 2022—2024 年内', line: 'deadline: "2026-06"', col: '"2026-06"', path: 'plan.tasks[0].deadline', label: '完成时限' }],
  },
  {
    fixture: 'plan-period-4y.yaml',
    why: 'a four-year plan',
    code: 1,
    expect: [{ message: '三年期方案应覆盖连续三年，现为 2022—2025 年', line: ['period:', 'start: 2022'], path: 'plan.period', label: '方案期限' }],
  },
  // ── Report ─────────────────────────────────────────────────────────────────
  {
    fixture: 'section-numbered.yaml',
    why: 'a title typed with its own 一、',
    code: 1,
    expect: [{ message: '标题不要自带编号（一、（一）1.（1）由工具自动添加）', line: 'title: 一、健全工作体系', col: '一、', path: 'report.summary[0].title', label: '标题', received: '"一、健全工作体系"' }],
  },
  {
    fixture: 'section-too-deep.yaml',
    // The summary sits under the report's 一、: its sections are （一）, 1., （1）, and a fourth is the document's fifth level.
    why: 'a fifth heading level',
    code: 1,
    expect: [{ message: '标题层级超过 4 级（一、（一）1.（1））：工作总结的各节从（一）起', line: 'title: 第五级标题', col: 'title', path: 'report.summary[0].sections[0].sections[0].sections[0]', label: '章节' }],
  },
  // ── Split applicants ───────────────────────────────────────────────────────
  {
    fixture: 'include/missing.yaml',
    why: 'include of a file that does not exist',
    code: 1,
    expect: [{ message: '引用的文件 test/fixtures/bad/include/parts/not-there.yaml 文件不存在', line: '- parts/not-there.yaml', col: 'parts/' }],
  },
  {
    fixture: 'include/cycle-a.yaml',
    why: 'a includes b includes a',
    code: 1,
    expect: [{ message: '重复引用了文件 test/fixtures/bad/include/cycle-a.yaml（include 不能循环或重复）', file: 'bad/include/cycle-b.yaml', line: '- cycle-a.yaml', col: 'cycle-a.yaml' }],
  },
  {
    fixture: 'include/conflict.yaml',
    why: 'contact.phone in the main file and in an included file',
    code: 1,
    expect: [{ message: `字段在多个文件中重复出现（另见 test/fixtures/bad/include/conflict.yaml:${conflictAt()}）`, file: 'bad/include/parts/contact.yaml', path: 'contact.phone' }],
  },
];

/** Asserts one expected diagnostic against `validate --json` and the formatted text of `validate`. */
function expectDiagnostic(ds: Diagnostic[], stderr: string, e: Expected, fixtureAbs: string): void {
  const fileAbs = e.file ? resolve(BAD, '..', e.file) : fixtureAbs;
  const fileShown = shown(fileAbs);
  const candidates = ds.filter((d) => d.message.includes(e.message) && (e.severity ?? 'error') === d.severity);
  expect(candidates, `no ${e.severity ?? 'error'} containing ${e.message} in ${JSON.stringify(ds, null, 1)}`).not.toHaveLength(0);
  const d = candidates[0]!;
  expect(d.file).toBe(fileShown);
  if (e.path !== undefined) expect(formatPath(d.path)).toBe(e.path);
  if (e.label !== undefined) expect(d.label).toBe(e.label);
  if (e.received !== undefined) expect(d.received).toBe(e.received);
  if (e.noPosition) expect(d.line).toBeUndefined();
  if (e.line !== undefined) {
    const text = readFixture(fileAbs);
    const wanted = (Array.isArray(e.line) ? e.line : [e.line]).map((n) => lineOf(text, n));
    expect(wanted, `${fileShown}: diagnostic at line ${d.line}, expected one of ${wanted.join(', ')}`).toContain(d.line);
    if (e.col !== undefined) expect(d.col).toBe(colOf(text, d.line!, e.col));
  }
  // The same fact as the terminal shows it: file:line:col  path（label）  message（实际为 …）
  const where = d.line ? `${fileShown}:${d.line}:${d.col}` : fileShown;
  const field = d.path && d.path.length ? `${formatPath(d.path)}${d.label ? `（${d.label}）` : ''}  ` : '';
  const tag = d.severity === 'warning' ? '警告：' : '';
  const printed = stderr.split('\n').find((l) => l.startsWith(`${where}  ${field}${tag}`) && l.includes(e.message));
  expect(printed, `stderr has no line "${where}  ${field}${tag}…${e.message}…":\n${stderr}`).toBeDefined();
  if (d.received !== undefined) expect(printed).toContain(`（实际为 ${d.received}）`);
}

describe('broken applicant files (test/fixtures/bad)', () => {
  it.each(cases.map((c) => [c.fixture, c] as const))('%s', async (_name, c) => {
    const abs = resolve(BAD, c.fixture);
    const text = await run('validate', abs);
    expectNoCrash(text, expect);
    expect(text.code, text.err).toBe(c.code);
    expect(text.out).toContain(c.code === 0 ? `✓ ${shown(abs)}：有效` : `✗ ${shown(abs)}：无效`);

    const json = await diagnosticsOf(abs);
    expect(json.code).toBe(c.code);
    expect(json.valid).toBe(c.code === 0);
    for (const e of c.expect) expectDiagnostic(json.diagnostics, text.err, e, abs);
    for (const n of c.not ?? []) for (const d of json.diagnostics) expect(d.message).not.toContain(n);
    // Every diagnostic is Chinese and names a file.
    for (const d of json.diagnostics) {
      expect(d.message).toMatch(/[\u4e00-\u9fff]/);
      expect(d.file).toBeTruthy();
    }
  });

  it('check refuses a broken file with the same diagnostics and exit 1', async () => {
    const abs = resolve(BAD, 'missing-letter-number.yaml');
    const r = await run('check', abs);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toContain('letter.number（发文字号）  缺少必填字段');
    expect(r.out).not.toContain('[符合]');
  });

  it('every fixture in the corpus has a case', async () => {
    const { readdirSync } = await import('node:fs');
    const listed = new Set(cases.map((c) => c.fixture));
    const onDisk = readdirSync(BAD, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => f.split('\\').join('/'));
    const uncovered = onDisk.filter((f) => !listed.has(f) && !['include/cycle-b.yaml', 'include/parts/contact.yaml'].includes(f));
    expect(uncovered).toEqual([]);
  });
});

/** Encodings and sizes: generated from minimal.yaml into a temp folder (no binary files committed but the GBK one). */
describe('encodings, binary data and size', () => {
  let dir: string;
  const minimal = readFileSync(resolve(GOOD, 'minimal.yaml'), 'utf8');
  const write = (name: string, bytes: Buffer | string) => {
    const f = join(dir, name);
    writeFileSync(f, bytes);
    return f;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shenbao-corpus-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a GBK file (old Windows Notepad, WPS) is accepted with a warning', async () => {
    const abs = resolve(GOOD, 'gbk.yaml');
    // Guard: the committed file really is GBK, not UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(abs))).toThrow();
    const r = await run('validate', abs);
    expectNoCrash(r, expect);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${shown(abs)}  警告：文件不是 UTF-8 编码，已按 GBK（GB18030）解码读取；建议在编辑器中另存为 UTF-8`);
    // Decoded right: the Chinese values survive.
    const check = await run('check', '--json', abs);
    expect(JSON.parse(check.out).applicant).toBe('上海市徐汇区人民政府');
  });

  it('UTF-8 with BOM and CRLF line ends is valid', async () => {
    const f = write('bom-crlf.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(minimal.replace(/\n/g, '\r\n'))]));
    const r = await run('validate', f);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
  });

  it('BOM and CRLF do not shift line or column of a diagnostic', async () => {
    const broken = minimal.replace('    population: 111.5', '    population: "很多"');
    const f = write('bom-crlf-bad.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(broken.replace(/\n/g, '\r\n'))]));
    const { code, diagnostics } = await diagnosticsOf(f);
    expect(code).toBe(1);
    const line = lineOf(broken, 'population: "很多"');
    expect(diagnostics).toEqual([expect.objectContaining({ line, col: colOf(broken, line, '"很多"'), message: '应为数字，实际为文本' })]);
  });

  it('UTF-16 LE and BE with BOM are valid', async () => {
    const le = write('utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(minimal, 'utf16le')]));
    const be = write('utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(minimal, 'utf16le').swap16()]));
    const r = await run('validate', le, be);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
  });

  it('a file that is neither UTF-8 nor GBK is refused, saying so', async () => {
    // Windows-1252 text; 0xFF (ÿ) can start no GB18030 character.
    const f = write('latin1.yaml', Buffer.from('# Zürich\nprogram: 2022-shanghai\ncategory: demo-district\napplicant:\n  name: Ÿvonne ÿ\n', 'latin1'));
    const r = await run('validate', f);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${shown(f)}  文件编码无法识别：既不是 UTF-8，也不是 GBK；请在编辑器中另存为 UTF-8 编码`);
  });

  it('binary garbage (a PNG) is refused as not text', async () => {
    let seed = 20220218;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff));
    const f = write('photo.yaml', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), noise]));
    const r = await run('validate', f);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${shown(f)}  不是文本文件（含有二进制数据）；请提供 UTF-8 编码的 YAML 文本文件`);
    expect(r.out).toContain('✗');
  });

  it('a 10 MB file is refused before it is parsed', async () => {
    const f = write('huge.yaml', `${minimal}# ${'很长的注释'.repeat(700_000)}\n`);
    const t0 = Date.now();
    const r = await run('validate', f);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/文件过大（10\.\d\d MB），超过 4 MB 上限/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('valid variants in test/fixtures/good', () => {
  it('minimal.yaml is valid without a single warning (the base of the corpus)', async () => {
    const r = await run('validate', resolve(GOOD, 'minimal.yaml'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
  });

  it('an applicant split over several files with include: is valid and merges mappings', async () => {
    const abs = resolve(GOOD, 'split/applicant.yaml');
    const r = await run('validate', abs);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const split = JSON.parse((await run('check', '--json', abs)).out);
    const whole = JSON.parse((await run('check', '--json', resolve(GOOD, 'minimal.yaml'))).out);
    expect(split.results).toEqual(whole.results);
  });

  it('positions inside an included file name that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shenbao-split-'));
    try {
      const parts = ['applicant.yaml', 'parts/conditions.yaml', 'parts/indicators.yaml', 'parts/report-and-plan.yaml'];
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, 'parts'));
      for (const p of parts) writeFileSync(join(dir, p), readFileSync(resolve(GOOD, 'split', p)));
      const ind = join(dir, 'parts/indicators.yaml');
      const text = readFileSync(ind, 'utf8').replace('    population: 111.5', '    population: "很多"');
      writeFileSync(ind, text);
      const { code, diagnostics } = await diagnosticsOf(join(dir, 'applicant.yaml'));
      expect(code).toBe(1);
      const line = lineOf(text, 'population: "很多"');
      expect(diagnostics).toEqual([expect.objectContaining({ file: shown(ind), line, col: colOf(text, line, '"很多"'), message: '应为数字，实际为文本' })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
