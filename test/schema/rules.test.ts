import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogueSchema, type Catalogue } from '../../src/program/indicators.js';
import type { Applicant, Section } from '../../src/schema/applicant.js';
import { checkRules, normDate, type RuleFinding } from '../../src/schema/rules.js';
import { validateFile } from '../../src/schema/validate.js';
import { example, shanghai, type Round } from './example.js';

/**
 * One test per cross-field rule in src/schema/rules.ts. Each starts from a valid example
 * (examples/xuhui-demo-district.yaml, 示范城区), breaks exactly one thing, and checks the
 * finding's code, severity, path and the Chinese message.
 */

let round: Round;
beforeAll(async () => {
  round = await shanghai();
});

const DEMO_DISTRICT = 'demo-district';

function rules(a: Applicant, opts: { category?: string; catalogue?: Catalogue } = {}): RuleFinding[] {
  return checkRules(a, round.program, round.category(opts.category ?? DEMO_DISTRICT), opts.catalogue ?? round.catalogue);
}

/** The single finding with this code (fails if there are none or several). */
function only(findings: RuleFinding[], code: string): RuleFinding {
  const hits = findings.filter((f) => f.code === code);
  expect(hits, `findings with code ${code}: ${JSON.stringify(findings, null, 1)}`).toHaveLength(1);
  return hits[0]!;
}

const codes = (findings: RuleFinding[]) => findings.map((f) => f.code);

describe('the baseline', () => {
  it('every example passes every rule', async () => {
    expect(rules(example('xuhui-demo-district'))).toEqual([]);
    expect(rules(example('minhang-pilot-district'), { category: 'pilot-district' })).toEqual([]);
    expect(rules(example('zhangjiang-demo-park'), { category: 'demo-park' })).toEqual([]);
    expect(rules(example('caohejing-pilot-park'), { category: 'pilot-park' })).toEqual([]);
  });
});

describe('applicant kind', () => {
  it('rejects a kind the round does not define, listing the kinds it does', () => {
    const a = example();
    a.applicant.kind = 'county_government';
    const f = only(rules(a), 'rule.kind-unknown');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['applicant', 'kind']);
    expect(f.label).toBe('申报主体类型');
    expect(f.message).toContain('未知的申报主体类型 county_government');
    expect(f.message).toContain('district_government（区人民政府）');
    expect(f.message).toContain('high_tech_zone（国家高新区管理机构）');
    expect(codes(rules(a))).not.toContain('rule.kind-category');
  });

  it('rejects a known kind the category does not admit', () => {
    const a = example();
    a.applicant.kind = 'high_tech_zone';
    const f = only(rules(a), 'rule.kind-category');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['applicant', 'kind']);
    expect(f.message).toContain('“示范城区”只接受以下申报主体：区人民政府');
    expect(f.message).toContain('本单位为 国家高新区管理机构');
  });

  it('admits every park kind in a park category', () => {
    for (const kind of ['high_tech_zone', 'economic_zone', 'national_park']) {
      const a = example('caohejing-pilot-park');
      a.applicant.kind = kind;
      expect(codes(rules(a, { category: 'pilot-park' }))).toEqual([]);
    }
  });
});

describe('indicator years', () => {
  it('requires each of the three years before the round', () => {
    const a = example();
    delete a.indicators['2020'];
    const f = only(rules(a), 'rule.indicator-year');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['indicators']);
    expect(f.message).toContain('缺少 2020 年的指标');
    expect(f.message).toContain('2019、2020、2021 连续三年');
  });

  it('reports every missing year, not only the first', () => {
    const a = example();
    delete a.indicators['2019'];
    delete a.indicators['2021'];
    const msgs = rules(a).filter((f) => f.code === 'rule.indicator-year').map((f) => f.message);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('2019');
    expect(msgs[1]).toContain('2021');
  });

  it('warns (not errors) about a year outside the reporting years', () => {
    const a = example();
    a.indicators['2018'] = { invention_patents: 15000 };
    const f = only(rules(a), 'rule.indicator-extra-year');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['indicators', '2018']);
    expect(f.message).toContain('2018 年不在本批次的统计年度（2019、2020、2021）内');
  });
});

describe('indicator values', () => {
  it('rejects an indicator id the catalogue does not have', () => {
    const a = example();
    a.indicators['2021']!.invention_patent = 100;
    const f = only(rules(a), 'rule.indicator-unknown');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['indicators', '2021', 'invention_patent']);
    expect(f.message).toContain('指标目录中没有 invention_patent');
    expect(f.message).toContain('data/indicators.yaml');
    // the hint lists stored (not derived) indicators
    expect(f.message).toContain('invention_patents 有效发明专利拥有量');
    expect(f.message).not.toContain('invention_patents_per_10k');
  });

  it('rejects a derived indicator typed by hand', () => {
    const a = example();
    a.indicators['2021']!.invention_patents_per_10k = 207.5;
    const f = only(rules(a), 'rule.indicator-derived');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['indicators', '2021', 'invention_patents_per_10k']);
    expect(f.label).toBe('每万人口发明专利拥有量');
    expect(f.message).toContain('每万人口发明专利拥有量由其他指标计算得出');
    expect(f.message).toContain('请删除此项');
  });

  it('rejects a derived percent indicator typed by hand (derived wins over the range check)', () => {
    const a = example();
    a.indicators['2021']!.ip_funds_ratio = 0.18;
    expect(codes(rules(a))).toEqual(['rule.indicator-derived']);
  });

  it('keeps a stored percent indicator within 0–100 (synthetic catalogue)', () => {
    const catalogue = catalogueSchema.parse({
      indicators: [
        ...round.catalogue.indicators,
        { id: 'coverage_rate', name: '知识产权服务覆盖率', unit: '%', kind: 'percent', decimals: 1 },
      ],
    });
    const withValue = (v: number) => {
      const a = example();
      a.indicators['2021']!.coverage_rate = v;
      return rules(a, { catalogue });
    };
    const f = only(withValue(120), 'rule.percent-range');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['indicators', '2021', 'coverage_rate']);
    expect(f.label).toBe('知识产权服务覆盖率');
    expect(f.message).toContain('百分比应在 0 到 100 之间');
    // the bounds themselves are fine; a negative value is caught here too (the schema also rejects it)
    expect(withValue(0)).toEqual([]);
    expect(withValue(100)).toEqual([]);
    expect(withValue(37.5)).toEqual([]);
    expect(codes(withValue(-0.5))).toEqual(['rule.percent-range']);
    expect(codes(withValue(100.01))).toEqual(['rule.percent-range']);
  });

  it('requires a rank to be an integer from 1', () => {
    const withRank = (v: number) => {
      const a = example();
      a.indicators['2020']!.performance_rank = v;
      return rules(a);
    };
    const f = only(withRank(0), 'rule.rank');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['indicators', '2020', 'performance_rank']);
    expect(f.label).toBe('知识产权工作绩效考核排名');
    expect(f.message).toContain('名次应为从 1 开始的整数');
    expect(codes(withRank(2.5))).toEqual(['rule.rank']);
    expect(withRank(1)).toEqual([]);
    expect(withRank(16)).toEqual([]);
  });
});

describe('the application letter', () => {
  it('requires the 发文字号 year to be the letter year', () => {
    const a = example();
    a.letter.number = '徐府〔2021〕8号';
    const f = only(rules(a), 'rule.letter-year');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['letter', 'number']);
    expect(f.label).toBe('发文字号');
    expect(f.message).toContain('发文字号中的年份 2021 与成文日期 2022年2月15日 的年份不一致');
  });

  it('refuses a 署名 wider than one line, naming the field and its width (GB/T 9704 7.3.5)', () => {
    const a = example();
    a.letter.signer = '上海市徐汇区人民政府上海市徐汇区人民政府上海市徐汇区人民政府';
    const f = only(rules(a), 'rule.signer-width');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['letter', 'signer']);
    expect(f.label).toBe('发文机关署名');
    expect(f.message).toContain('发文机关署名长 30 个汉字宽，超过一行（28 字）');
    // 28 Hanzi still fit one line.
    a.letter.signer = a.letter.signer.slice(0, 28);
    expect(codes(rules(a))).not.toContain('rule.signer-width');
  });

  it('warns when the letter is dated after the deadline, not on the deadline', () => {
    const a = example();
    a.letter.date = '2022-02-19';
    const f = only(rules(a), 'rule.after-deadline');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['letter', 'date']);
    expect(f.message).toContain('成文日期晚于本批次的报送截止日期 2022年2月18日');

    a.letter.date = '2022-02-18';
    expect(rules(a)).toEqual([]);
  });

  it('compares unpadded dates correctly (2022-3-1 is after 2022-02-18)', () => {
    expect(normDate('2022-3-1')).toBe('2022-03-01');
    const a = example();
    a.letter.date = '2022-3-1';
    expect(codes(rules(a))).toEqual(['rule.after-deadline']);
    a.letter.date = '2022-2-9';
    expect(rules(a)).toEqual([]);
  });
});

describe('the three-year plan', () => {
  it('requires the period to cover three consecutive years', () => {
    const a = example();
    a.plan.period = { start: 2022, end: 2025 };
    const f = only(rules(a), 'rule.plan-period');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['plan', 'period']);
    expect(f.message).toContain('三年期方案应覆盖连续三年，现为 2022—2025 年');

    const b = example();
    b.plan.period = { start: 2022, end: 2023 };
    expect(codes(rules(b))).toContain('rule.plan-period');
  });

  it('warns when the plan starts far from the round year', () => {
    const shifted = (start: number) => {
      const a = example();
      a.plan.period = { start, end: start + 2 };
      // move targets and tasks along, with their baselines typed, so only the start differs
      for (const t of a.plan.targets) {
        t.values = { [start]: 1, [start + 1]: 2, [start + 2]: 3 };
        t.baseline = 1;
      }
      for (const t of a.plan.tasks) t.deadline = String(start + 2);
      return rules(a);
    };
    const f = only(shifted(2025), 'rule.plan-start');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['plan', 'period', 'start']);
    expect(f.message).toContain('方案起始年 2025 与申报年度 2022 相差较大');
    expect(codes(shifted(2019))).toEqual(['rule.plan-start']);
    // one year either side of the round year is normal
    expect(shifted(2021)).toEqual([]);
    expect(shifted(2022)).toEqual([]);
    expect(shifted(2023)).toEqual([]);
  });

  it('rejects a target year outside the plan period', () => {
    const a = example();
    a.plan.targets[0]!.values['2025'] = 36000;
    const f = only(rules(a), 'rule.target-year');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['plan', 'targets', 0, 'values', '2025']);
    expect(f.message).toContain('目标年份 2025 不在方案期限 2022—2024 年内');
  });

  it('warns about a plan year without a target value', () => {
    const a = example();
    delete a.plan.targets[1]!.values['2023'];
    const f = only(rules(a), 'rule.target-missing-year');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['plan', 'targets', 1, 'values']);
    expect(f.message).toContain('缺少 2023 年的目标值');
  });

  it('requires a baseline when the year before the plan starts lacks the indicator', () => {
    const a = example();
    expect(a.plan.targets[0]!.indicator).toBe('invention_patents');
    delete a.indicators['2021']!.invention_patents;
    const f = only(rules(a), 'rule.target-baseline');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['plan', 'targets', 0, 'baseline']);
    expect(f.message).toContain('缺少基期值：方案起始年前一年（2021 年）的指标中没有 invention_patents，请填写 baseline');

    a.plan.targets[0]!.baseline = 23140;
    expect(codes(rules(a))).not.toContain('rule.target-baseline');
  });

  it('does not ask for a baseline of a derived indicator', () => {
    const a = example();
    a.plan.targets.push({ indicator: 'invention_patents_per_10k', values: { '2022': 220, '2023': 235, '2024': 250 } });
    expect(rules(a)).toEqual([]);
  });

  it('rejects a target on an indicator the catalogue does not have', () => {
    const a = example();
    a.plan.targets[0]!.indicator = 'patents';
    const f = only(rules(a), 'rule.target-indicator');
    expect(f.path).toEqual(['plan', 'targets', 0, 'indicator']);
    expect(f.message).toContain('指标目录中没有 patents');
  });

  it('rejects a task deadline outside the plan period', () => {
    const a = example();
    a.plan.tasks[2]!.deadline = '2025-06';
    const f = only(rules(a), 'rule.task-deadline');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['plan', 'tasks', 2, 'deadline']);
    expect(f.message).toContain('完成时限 2025-06 不在方案期限 2022—2024 年内');

    a.plan.tasks[2]!.deadline = '2021';
    expect(codes(rules(a))).toEqual(['rule.task-deadline']);
    a.plan.tasks[2]!.deadline = '2022-01-01';
    expect(rules(a)).toEqual([]);
  });
});

describe('conditions', () => {
  it('rejects a condition id the category does not have, listing its declared conditions', () => {
    const a = example();
    a.conditions['sh-demo-park-funds'] = { met: true, statement: ['经费充足。'], evidence: [] };
    const f = only(rules(a), 'rule.condition-unknown');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['conditions', 'sh-demo-park-funds']);
    expect(f.message).toContain('“示范城区”没有代码为 sh-demo-park-funds 的申报条件');
    expect(f.message).toContain('sh-demo-district-leadership、sh-demo-district-capacity、sh-demo-district-policy、sh-demo-district-strength');
  });

  it('warns about a declared condition with no entry', () => {
    const a = example();
    delete a.conditions['sh-demo-district-policy'];
    const f = only(rules(a), 'rule.condition-missing');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['conditions']);
    expect(f.message).toContain('尚未填写申报条件 sh-demo-district-policy（政策导向）');
    expect(f.message).toContain('待补充');
  });

  it('does not ask for an entry for automatic conditions', () => {
    const a = example('zhangjiang-demo-park');
    expect(a.conditions['sh-demo-park-funds']).toBeUndefined();
    expect(rules(a, { category: 'demo-park' })).toEqual([]);
  });

  it('warns about evidence dated after the letter', () => {
    const a = example();
    a.conditions['sh-demo-district-capacity']!.evidence[1]!.date = '2022-03-01';
    const f = only(rules(a), 'rule.evidence-date');
    expect(f.severity).toBe('warning');
    expect(f.path).toEqual(['conditions', 'sh-demo-district-capacity', 'evidence', 1, 'date']);
    expect(f.message).toContain('证明材料日期晚于申报函成文日期 2022年2月15日');

    a.conditions['sh-demo-district-capacity']!.evidence[1]!.date = '2022-2-15'; // same day, unpadded
    expect(rules(a)).toEqual([]);
  });
});

describe('report sections', () => {
  const nest = (depth: number): Section => {
    let s: Section = { title: `第${depth}级`, paragraphs: ['正文。'], sections: [] };
    for (let d = depth - 1; d >= 1; d--) s = { title: `第${d}级`, paragraphs: ['正文。'], sections: [s] };
    return s;
  };

  // The summary sits under the report's 一、: its sections are （一）, 1. and （1）.
  it('accepts three levels of summary sections (（一）1.（1）, under the report\'s 一、)', () => {
    const a = example();
    a.report.summary.push(nest(3));
    expect(rules(a)).toEqual([]);
  });

  it('rejects a fourth level of summary sections (the document\'s fifth), at the section that is too deep', () => {
    const a = example();
    a.report.summary.push(nest(4));
    const i = a.report.summary.length - 1;
    const f = only(rules(a), 'rule.section-depth');
    expect(f.severity).toBe('error');
    expect(f.path).toEqual(['report', 'summary', i, 'sections', 0, 'sections', 0, 'sections', 0]);
    expect(f.message).toContain('标题层级超过 4 级');
    expect(f.message).toContain('从（一）起');
  });
});

describe('all findings at once', () => {
  it('reports every broken rule in one run', () => {
    const a = example();
    a.applicant.kind = 'high_tech_zone';
    a.letter.number = '徐府〔2021〕8号';
    a.letter.date = '2022-02-20';
    a.plan.tasks[0]!.deadline = '2026';
    delete a.indicators['2019'];
    expect(new Set(codes(rules(a)))).toEqual(
      new Set(['rule.kind-category', 'rule.indicator-year', 'rule.letter-year', 'rule.after-deadline', 'rule.task-deadline']),
    );
  });
});

describe('rule findings in validation', () => {
  it('are located at file:line:col of the offending value and fail validation', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-rules-'));
    const file = path.join(dir, 'xuhui.yaml');
    const text = readFileSync(new URL('../../examples/xuhui-demo-district.yaml', import.meta.url), 'utf8').replace('徐府〔2022〕8号', '徐府〔2021〕8号');
    writeFileSync(file, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('徐府〔2021〕8号')) + 1;
    const col = lines[line - 1]!.indexOf('徐府') + 1;

    const r = await validateFile(file);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'rule.letter-year');
    expect(d).toMatchObject({ severity: 'error', line, col, path: ['letter', 'number'], label: '发文字号' });
    expect(d!.file).toContain('xuhui.yaml');
  });

  it('keep warnings on a valid file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-rules-'));
    const file = path.join(dir, 'xuhui.yaml');
    writeFileSync(file, readFileSync(new URL('../../examples/xuhui-demo-district.yaml', import.meta.url), 'utf8').replace('date: 2022-02-15', 'date: 2022-02-20'));
    const r = await validateFile(file);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning rule.after-deadline']);
  });
});
