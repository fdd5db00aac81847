import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/common/diagnostics.js';
import { evaluate } from '../../src/evaluate/index.js';
import { loadYamlFile } from '../../src/load/index.js';
import { findCategory, loadCatalogue, loadProgram } from '../../src/program/load.js';
import type { Catalogue } from '../../src/program/indicators.js';
import type { Program } from '../../src/program/schema.js';
import type { Applicant } from '../../src/schema/applicant.js';
import { checkRules } from '../../src/schema/rules.js';
import { validateFile, validateLocated, type ValidApplicant } from '../../src/schema/validate.js';

/**
 * "A round is only data": a synthetic round (test/fixtures/rounds/synthetic.yaml: another year,
 * another office, another category, kinds and thresholds) is loaded from a path and an applicant
 * is validated and checked against it, with no code that knows about it.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUND = path.resolve(here, '../fixtures/rounds/synthetic.yaml');
const APPLICANT = path.resolve(here, '../fixtures/rounds/synthetic-applicant.yaml');

let program: Program;
let catalogue: Catalogue;
let valid: ValidApplicant;

beforeAll(async () => {
  program = await loadProgram(ROUND);
  catalogue = await loadCatalogue();
  const r = await validateFile(APPLICANT, { programFile: ROUND });
  if (!r.ok) throw new Error(`synthetic applicant is invalid:\n${r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n')}`);
  valid = r;
});

const clone = (): Applicant => structuredClone(valid.applicant);
const check = (a: Applicant) => evaluate(a, program, valid.category, catalogue);

describe('the synthetic round file', () => {
  it('loads by path with everything the notice sets', () => {
    expect(program.id).toBe('synthetic-2030');
    expect(program.year).toBe(2030);
    expect(program.deadline).toBe('2030-03-31');
    expect(program.submission).toMatchObject({ paper_copies: 3, electronic: false });
    expect(program.categories.map((c) => c.id)).toEqual(['test-park']);
    expect(program.categories[0]!.conditions.map((c) => c.check.type)).toEqual(['kind', 'ratio', 'rank', 'declared']);
    expect(program.materials.map((m) => m.id)).toEqual(['letter', 'plan']);
    expect(program.materials.every((m) => m.author === 'applicant')).toBe(true);
  });

  it('is found by a relative path too (resolved against the working directory)', async () => {
    const rel = path.relative(process.cwd(), ROUND);
    expect((await loadProgram(rel)).id).toBe('synthetic-2030');
  });

  it('finds its category by short name', () => {
    expect(findCategory(program, '测试园区')?.id).toBe('test-park');
    expect(findCategory(program, '测试市知识产权强国建设试点园区')?.id).toBe('test-park');
    expect(findCategory(program, 'pilot-park')).toBeUndefined();
  });

  it('is refused when it refers to an indicator the catalogue does not have', async () => {
    const broken = readFileSync(ROUND, 'utf8').replace('indicator: performance_rank', 'indicator: assessment_rank');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-round-')), 'broken-round.yaml');
    writeFileSync(file, broken);
    const err = await loadProgram(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const d = (err as UserError).diagnostics[0]!;
    expect(d.code).toBe('program.indicator');
    expect(d.message).toContain('条件 syn-ranking 引用了指标目录中没有的指标 assessment_rank');
    expect(d.line).toBeGreaterThan(1);
  });

  it('is refused when a category names an undefined applicant kind', async () => {
    const broken = readFileSync(ROUND, 'utf8').replace('kinds: [science_city]\n    conditions:', 'kinds: [science_park]\n    conditions:');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-round-')), 'broken-kind.yaml');
    writeFileSync(file, broken);
    const err = (await loadProgram(file).catch((e: unknown) => e)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.diagnostics.map((d) => d.message)).toContain('类别 test-park 引用了未定义的申报主体类型 science_park');
  });
});

describe('validating against the synthetic round', () => {
  it('the applicant is valid, with no warnings', () => {
    expect(valid.program.id).toBe('synthetic-2030');
    expect(valid.category.id).toBe('test-park');
    expect(valid.diagnostics).toEqual([]);
    expect(valid.applicant.conditions['syn-mechanism']!.statement).toEqual(['科学城成立由管委会主任任组长的知识产权工作领导小组，2029年印发知识产权专项规划。']);
  });

  it('without programFile, the unknown round id is reported at program:', async () => {
    const r = await validateFile(APPLICANT);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'program.unknown')!;
    expect(d).toMatchObject({ path: ['program'], label: '申报批次', line: 3, col: 10, received: '"synthetic-2030"' });
    expect(d.message).toContain('2022-shanghai');
  });

  it('a path to a rules file in program: is refused: the round is the office\'s, not the applicant\'s', async () => {
    const text = readFileSync(APPLICANT, 'utf8').replace(/^program: .*$/m, `program: ${JSON.stringify(ROUND)}`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-syn-')), 'applicant.yaml');
    writeFileSync(file, text);
    const r = await validateFile(file);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'program.file-in-data')!;
    expect(d).toMatchObject({ path: ['program'], label: '申报批次', line: 3, col: 10 });
    expect(d.message).toContain('只能填写内置申报批次的代码（2022-national、2022-shanghai）');
    // the office's own round file, passed by the caller, is accepted
    expect((await validateFile(file, { programFile: ROUND })).ok).toBe(true);
  });

  it('applies the round year, deadline, kinds and conditions in the rules', () => {
    const a = clone();
    a.applicant.kind = 'county_government';
    a.letter.date = '2030-04-02';
    a.letter.number = '测科管〔2030〕3号';
    delete a.indicators['2027'];
    a.conditions['sh-pilot-park-funds'] = { met: true, statement: ['x'], evidence: [] };
    const byCode = new Map(checkRules(a, program, valid.category, catalogue).map((f) => [f.code, f.message]));
    expect(byCode.get('rule.kind-category')).toBe('“测试园区”只接受以下申报主体：科学城管理委员会；本单位为 县人民政府');
    expect(byCode.get('rule.after-deadline')).toBe('成文日期晚于本批次的报送截止日期 2030年3月31日');
    expect(byCode.get('rule.indicator-year')).toBe('缺少 2027 年的指标：本批次（2030 年）需要 2027、2028、2029 连续三年的数据');
    expect(byCode.get('rule.condition-unknown')).toContain('本类别需自述的条件：syn-mechanism');
  });

  it('reports an unknown category with the round own categories', async () => {
    const located = await loadYamlFile(APPLICANT);
    (located.data as any).category = '试点园区';
    const r = await validateLocated(located, { programFile: ROUND });
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'category.unknown')!;
    expect(d.message).toBe('本批次（synthetic-2030）没有这个申报类别；可用：test-park（测试园区）');
    expect(d.line).toBe(4);
  });
});

describe('checking against the synthetic round', () => {
  it('meets every condition, with the round thresholds and texts', () => {
    const e = check(valid.applicant);
    expect(e.programId).toBe('synthetic-2030');
    expect(e.categoryId).toBe('test-park');
    expect(e.results.map((r) => [r.id, r.status])).toEqual([
      ['syn-subject', 'met'],
      ['syn-funds', 'met'],
      ['syn-ranking', 'met'],
      ['syn-mechanism', 'met'],
    ]);
    expect(e.counts).toEqual({ met: 4, unmet: 0, pending: 0, review: 0, priority: 0, not_applicable: 0 });
    expect(e.eligible).toBe(true);

    const [subject, funds, ranking, mechanism] = e.results;
    expect(subject!.statement).toEqual(['申报主体为测试市科学城管理委员会（科学城管理委员会）。']);
    // years: 2 → 2028 and 2029 (2027's 0.09% is not checked)
    expect(funds!.reason).toBe('2028年120.00万元÷110,000.00万元=0.109%；2029年150.00万元÷120,000.00万元=0.125%，不低于0.1%');
    expect(funds!.statement).toEqual(['2029年知识产权工作经费占比0.125%（要求不低于0.1%）。']);
    expect(ranking!.reason).toBe('知识产权工作绩效考核排名：2027年第3名、2028年第2名、2029年第1名，连续三年位居前3名');
    expect(ranking!.statement).toEqual(['绩效考核2027年第3名、2028年第2名、2029年第1名。']);
    expect(mechanism!.reason).toContain('证明材料2份');
    expect(mechanism!.text).toBe('建立知识产权工作领导小组并制定专项规划。');
  });

  it('is unmet under the round thresholds (0.1%, top 3 over three years)', () => {
    const a = clone();
    a.indicators['2028']!.ip_funds = 100; // 100 / 110000 = 0.091% < 0.1%
    a.indicators['2027']!.performance_rank = 4;
    const e = check(a);
    const by = Object.fromEntries(e.results.map((r) => [r.id, r]));
    expect(by['syn-funds']!.status).toBe('unmet');
    expect(by['syn-funds']!.reason).toContain('2028年低于0.1%');
    expect(by['syn-ranking']!.status).toBe('unmet');
    expect(by['syn-ranking']!.reason).toContain('要求连续三年位居前3名，2027年未达到');
    expect(e.eligible).toBe(false);
  });

  it('is pending where the round needs data or evidence the applicant lacks', () => {
    const a = clone();
    delete a.indicators['2027']!.performance_rank;
    a.conditions['syn-mechanism']!.evidence.pop(); // min_evidence: 2
    const e = check(a);
    const by = Object.fromEntries(e.results.map((r) => [r.id, r]));
    expect(by['syn-ranking']!.status).toBe('pending');
    expect(by['syn-ranking']!.reason).toContain('未填写2027年');
    expect(by['syn-mechanism']!.status).toBe('pending');
    expect(by['syn-mechanism']!.reason).toContain('至少2份');
    expect(e.counts.pending).toBe(2);
  });

  it('is unmet for a kind the round defines but the condition excludes', () => {
    const a = clone();
    a.applicant.kind = 'county_government';
    const r = check(a).results[0]!;
    expect(r.status).toBe('unmet');
    expect(r.reason).toBe('申报主体为县人民政府，本条件要求：科学城管理委员会');
  });
});
