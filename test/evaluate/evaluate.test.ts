import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/common/diagnostics.js';
import { derive, evaluate, indicatorById, indicatorSeries, reportingYears, STATUS_LABEL, type ConditionResult } from '../../src/evaluate/index.js';
import type { Category, Condition } from '../../src/program/schema.js';
import type { Applicant } from '../../src/schema/applicant.js';
import { EXAMPLES, example, shanghai, type ExampleName, type Round } from '../schema/example.js';

/**
 * The condition check: every check type (kind, ratio, rank, declared, former_title) with each
 * outcome it can give, the derived indicators it relies on, and the four bundled examples.
 */

let round: Round;
beforeAll(async () => {
  round = await shanghai();
});

const CATEGORY: Record<ExampleName, string> = {
  'xuhui-demo-district': 'demo-district',
  'minhang-pilot-district': 'pilot-district',
  'zhangjiang-demo-park': 'demo-park',
  'caohejing-pilot-park': 'pilot-park',
};

function run(a: Applicant, category: string | Category) {
  const cat = typeof category === 'string' ? round.category(category) : category;
  return evaluate(a, round.program, cat, round.catalogue);
}

function result(a: Applicant, category: string | Category, id: string): ConditionResult {
  const r = run(a, category).results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}`);
  return r;
}

/** A copy of a Shanghai category with one condition replaced. */
function withCondition(categoryId: string, id: string, patch: (c: Condition) => Condition): Category {
  const cat = structuredClone(round.category(categoryId));
  cat.conditions = cat.conditions.map((c) => (c.id === id ? patch(c) : c));
  return cat;
}

describe('kind', () => {
  it('is met when the applicant kind is admitted, naming the kind and the applicant', () => {
    const r = result(example('xuhui-demo-district'), 'demo-district', 'sh-demo-district-subject');
    expect(r.status).toBe('met');
    expect(r.check).toBe('kind');
    expect(r.reason).toBe('申报主体为区人民政府（上海市徐汇区人民政府）');
    expect(r.figures).toEqual({ kind_name: '区人民政府', applicant_name: '上海市徐汇区人民政府' });
    expect(r.statement).toEqual(['申报主体为上海市徐汇区人民政府，系直辖市的区人民政府，符合申报主体要求。']);
  });

  it('is unmet for another kind, naming what the condition requires', () => {
    const a = example('caohejing-pilot-park');
    a.applicant.kind = 'district_government';
    const r = result(a, 'pilot-park', 'sh-pilot-park-subject');
    expect(r.status).toBe('unmet');
    expect(r.reason).toBe('申报主体为区人民政府，本条件要求：国家高新区管理机构、国家级经开区管理机构、其他国家级园区管理主体');
  });

  it('accepts each admitted park kind', () => {
    for (const kind of ['high_tech_zone', 'economic_zone', 'national_park']) {
      const a = example('caohejing-pilot-park');
      a.applicant.kind = kind;
      expect(result(a, 'pilot-park', 'sh-pilot-park-subject').status, kind).toBe('met');
    }
  });
});

describe('ratio (知识产权经费 ≥ 0.05% of the general budget)', () => {
  const FUNDS = 'sh-demo-park-funds';
  const park = (funds: number | undefined, budget: number | undefined, year = '2021') => {
    const a = example('zhangjiang-demo-park');
    const v = a.indicators[year]!;
    if (funds === undefined) delete v.ip_funds;
    else v.ip_funds = funds;
    if (budget === undefined) delete v.general_budget;
    else v.general_budget = budget;
    return a;
  };

  it('is met above the threshold, with formatted figures', () => {
    const r = result(example('zhangjiang-demo-park'), 'demo-park', FUNDS);
    expect(r.status).toBe('met');
    expect(r.check).toBe('ratio');
    expect(r.figures).toEqual({
      year: '2021',
      numerator: '1,850.00',
      denominator: '2,600,000.00',
      percent: '0.071%',
      min_percent: '0.05%',
      numerator_name: '知识产权工作经费',
      denominator_name: '一般预算支出',
    });
    expect(r.reason).toBe('2021年1,850.00万元÷2,600,000.00万元=0.071%，不低于0.05%');
  });

  it('renders the round statement with the formatted percent', () => {
    const r = result(example('zhangjiang-demo-park'), 'demo-park', FUNDS);
    expect(r.statement).toHaveLength(1);
    expect(r.statement[0]).toBe('2021年，园区年度知识产权专项经费1,850.00万元，占园区财政一般预算支出2,600,000.00万元的0.071%，不低于0.05%。');
  });

  it('is unmet below 0.05%, naming the year', () => {
    const r = result(park(1000, 2600000), 'demo-park', FUNDS);
    expect(r.status).toBe('unmet');
    expect(r.figures.percent).toBe('0.038%');
    expect(r.reason).toBe('2021年1,000.00万元÷2,600,000.00万元=0.038%，2021年低于0.05%');
  });

  it('counts exactly 0.05% as met', () => {
    const r = result(park(1300, 2600000), 'demo-park', FUNDS);
    expect(r.status).toBe('met');
    expect(r.figures.percent).toBe('0.050%');
  });

  it('counts exactly 0.05% as met when the division is inexact in binary (300.03 ÷ 600,060)', () => {
    // 300.03 / 600060 * 100 evaluates to 0.04999999999999999 in IEEE doubles.
    const r = result(park(300.03, 600060), 'demo-park', FUNDS);
    expect(r.figures.percent).toBe('0.050%');
    expect(r.status).toBe('met');
  });

  it('is pending when a figure is missing, naming the indicator and year', () => {
    const noFunds = result(park(undefined, 2600000), 'demo-park', FUNDS);
    expect(noFunds.status).toBe('pending');
    expect(noFunds.reason).toBe('未填写2021年知识产权工作经费，无法计算占比是否不低于0.05%');
    // the reason reaches the checklist and the office's summary: no field ids there
    expect(noFunds.reason).not.toMatch(/[A-Za-z_]/);
    expect(noFunds.figures).toEqual({ min_percent: '0.05%' });
    expect(noFunds.statement).toEqual([]);

    const noBudget = result(park(1850, undefined), 'demo-park', FUNDS);
    expect(noBudget.status).toBe('pending');
    expect(noBudget.reason).toContain('未填写2021年一般预算支出');
  });

  it('takes 0 funds as a value: unmet, not missing data', () => {
    const r = result(park(0, 2600000), 'demo-park', FUNDS);
    expect(r.status).toBe('unmet');
    expect(r.reason).toContain('2021年0.00万元÷2,600,000.00万元=0.000%');
    expect(r.reason).not.toContain('未填写');
  });

  it('is pending, not a division by zero, when the budget is 0', () => {
    const r = result(park(1850, 0), 'demo-park', FUNDS);
    expect(r.status).toBe('pending');
    expect(r.reason).toBe('2021年一般预算支出为0，无法计算占比是否不低于0.05%');
  });

  it('only looks at the last year when years: 1', () => {
    const a = example('zhangjiang-demo-park');
    a.indicators['2019']!.ip_funds = 1; // far below, but not the year checked
    expect(result(a, 'demo-park', FUNDS).status).toBe('met');
  });

  it('checks every year when years: 3, listing each failing year', () => {
    const cat = withCondition('demo-park', FUNDS, (c) => ({ ...c, check: { ...(c.check as any), years: 3 } }));
    const a = example('zhangjiang-demo-park');
    a.indicators['2019']!.ip_funds = 1000; // 1000 / 2410000 = 0.041%
    a.indicators['2020']!.ip_funds = 1000; // 1000 / 2480000 = 0.040%
    const r = result(a, cat, FUNDS);
    expect(r.status).toBe('unmet');
    expect(r.reason).toContain('2019年1,000.00万元÷2,410,000.00万元=0.041%；2020年');
    expect(r.reason).toContain('2019年、2020年低于0.05%');
    expect(r.figures.year).toBe('2021'); // the figures are the last year's

    delete a.indicators['2019']!.general_budget;
    expect(result(a, cat, FUNDS).status).toBe('pending');
  });
});

describe('rank (绩效考核连续两年位居全市前列)', () => {
  const RANKING = 'sh-pilot-district-ranking';
  const district = (r2020: number | undefined, r2021: number | undefined) => {
    const a = example('minhang-pilot-district');
    const set = (y: string, v: number | undefined) => {
      if (v === undefined) delete a.indicators[y]!.performance_rank;
      else a.indicators[y]!.performance_rank = v;
    };
    set('2020', r2020);
    set('2021', r2021);
    return a;
  };

  it('awaits a person: the notice says 位居全市前列 and names no rank, so the round sets none', () => {
    const check = round.category('pilot-district').conditions.find((c) => c.id === RANKING)!.check;
    expect(check).toEqual({ type: 'rank', indicator: 'performance_rank', years: 2 });
    expect(round.program.params).toEqual({});

    for (const [a, b] of [
      [1, 1],
      [4, 7],
      [30, 40],
    ] as const) {
      const r = result(district(a, b), 'pilot-district', RANKING);
      expect(r.status).toBe('review');
      expect(r.reason).toBe(`知识产权工作绩效考核排名2020年第${a}名、2021年第${b}名；通知要求“知识产权工作绩效考核连续两年位居全市前列”，未规定具体名次，由审核部门据此判断`);
      expect(r.figures).toEqual({ ranks: `2020年第${a}名、2021年第${b}名`, indicator_name: '知识产权工作绩效考核排名', years: '两' });
    }
  });

  it('shows the ranks in the round statement, without a verdict and without a doubled 年', () => {
    const r = result(district(4, 3), 'pilot-district', RANKING);
    expect(r.statement[0]).toBe('在全市知识产权工作绩效考核中，2020年第4名、2021年第3名。');
  });

  it('ignores the year before the two checked', () => {
    const a = district(2, 2);
    a.indicators['2019']!.performance_rank = 12;
    expect(result(a, 'pilot-district', RANKING).reason).not.toContain('2019');
  });

  it('is pending when a year is missing', () => {
    const r = result(district(undefined, 3), 'pilot-district', RANKING);
    expect(r.status).toBe('pending');
    expect(r.reason).toBe('未填写2020年知识产权工作绩效考核排名，无法判断是否符合“知识产权工作绩效考核连续两年位居全市前列”');
    expect(r.statement).toEqual([]);
  });

  it('decides automatically only where a round file states a number (max_rank)', () => {
    const cat = withCondition('pilot-district', RANKING, (c) => ({ ...c, check: { ...(c.check as any), max_rank: 3 } }));
    expect(result(district(4, 3), cat, RANKING)).toMatchObject({ status: 'unmet' });
    expect(result(district(4, 3), cat, RANKING).reason).toContain('要求连续两年位居前3名，2020年未达到');
    expect(result(district(3, 3), cat, RANKING).status).toBe('met');
  });
});

describe('declared', () => {
  const LEAD = 'sh-demo-district-leadership';

  it('is met with a statement and evidence, listing the documents', () => {
    const a = example('xuhui-demo-district');
    const r = result(a, 'demo-district', LEAD);
    expect(r.status).toBe('met');
    expect(r.check).toBe('declared');
    expect(r.reason).toMatch(/^已说明，证明材料3份：《徐汇区知识产权发展“十四五”规划》（徐府发〔2021〕15号）、/);
    expect(r.reason).not.toContain('《《');
    expect(r.figures).toEqual({ evidence_count: '3' });
    // no round statement for declared conditions: the applicant's own paragraphs
    expect(r.statement).toEqual(a.conditions[LEAD]!.statement);
    expect(r.statement).toHaveLength(2);
    expect(r.evidence).toHaveLength(3);
    expect(r.evidence[0]).toMatchObject({ number: '徐府发〔2021〕15号', date: '2021-08-20' });
  });

  it('is pending with no entry', () => {
    const a = example('xuhui-demo-district');
    delete a.conditions[LEAD];
    const r = result(a, 'demo-district', LEAD);
    expect(r.status).toBe('pending');
    expect(r.reason).toBe('尚未填写符合情况说明和证明材料');
    expect(r.statement).toEqual([]);
    expect(r.evidence).toEqual([]);
  });

  it('is pending when there is less evidence than min_evidence', () => {
    const a = example('xuhui-demo-district');
    a.conditions[LEAD]!.evidence = [];
    const r = result(a, 'demo-district', LEAD);
    expect(r.status).toBe('pending');
    expect(r.reason).toBe('已填写说明，但缺少证明材料（至少1份）');

    const strict = withCondition('demo-district', LEAD, (c) => ({ ...c, check: { type: 'declared', min_evidence: 4 } }));
    const b = example('xuhui-demo-district');
    expect(result(b, strict, LEAD).reason).toContain('至少4份');
  });

  it('is met without evidence when min_evidence is 0', () => {
    const lenient = withCondition('demo-district', LEAD, (c) => ({ ...c, check: { type: 'declared', min_evidence: 0 } }));
    const a = example('xuhui-demo-district');
    a.conditions[LEAD]!.evidence = [];
    const r = result(a, lenient, LEAD);
    expect(r.status).toBe('met');
    expect(r.reason).toBe('已说明');
  });

  it('is unmet when the applicant says met: false', () => {
    const a = example('xuhui-demo-district');
    a.conditions[LEAD]!.met = false;
    const r = result(a, 'demo-district', LEAD);
    expect(r.status).toBe('unmet');
    expect(r.reason).toBe('申报单位自评为不符合');
  });
});

describe('former_title', () => {
  it('priority: gives priority when a listed title is held', () => {
    const r = result(example('minhang-pilot-district'), 'pilot-district', 'sh-pilot-district-priority');
    expect(r.status).toBe('priority');
    expect(r.check).toBe('former_title');
    expect(r.reason).toBe('具备优先条件：原国家知识产权试点城区');
    expect(r.statement).toEqual(['申报单位系原国家知识产权试点城区，属于同等条件下优先的情形。']);
  });

  it('priority: is not applicable (never unmet) without the title', () => {
    const a = example('minhang-pilot-district');
    a.applicant.former_titles = [];
    const r = result(a, 'pilot-district', 'sh-pilot-district-priority');
    expect(r.status).toBe('not_applicable');
    expect(r.reason).toBe('未获原国家知识产权试点城区、知识产权运营重点城区称号，不影响申报资格');
    expect(r.statement).toEqual([]);
    expect(run(a, 'pilot-district').counts.not_applicable).toBe(1);
  });

  it('matches titles typed loosely (spaces, brackets, a note after the title, without 原)', () => {
    const a = example('minhang-pilot-district');
    a.applicant.former_titles = ['原国家知识产权试点城区（2013年）'];
    expect(result(a, 'pilot-district', 'sh-pilot-district-priority').status).toBe('priority');
    a.applicant.former_titles = ['国家知识产权试点城区'];
    expect(result(a, 'pilot-district', 'sh-pilot-district-priority').status).toBe('priority');
    a.applicant.former_titles = ['知识产权运营 重点城区'];
    expect(result(a, 'pilot-district', 'sh-pilot-district-priority').status).toBe('priority');
  });

  it('principle: is met when the title is held', () => {
    const r = result(example('xuhui-demo-district'), 'demo-district', 'sh-demo-district-former');
    expect(r.status).toBe('met');
    expect(r.reason).toBe('已获称号：原国家知识产权示范城区');
    expect(r.statement).toEqual(['申报单位系原国家知识产权示范城区。']);
  });

  it('principle: is pending without the title and without an explanation', () => {
    const a = example('xuhui-demo-district');
    a.applicant.former_titles = [];
    const r = result(a, 'demo-district', 'sh-demo-district-former');
    expect(r.status).toBe('pending');
    expect(r.reason).toContain('原则上应为原国家知识产权示范城市、原国家知识产权示范城区');
    expect(r.reason).toContain('请补充称号或就本条说明情况');
    expect(r.reason).not.toMatch(/[A-Za-z_]/);
  });

  it('principle: is met with an explanation instead of the title', () => {
    const a = example('xuhui-demo-district');
    a.applicant.former_titles = [];
    a.conditions['sh-demo-district-former'] = { met: true, statement: ['本区虽未获评示范城区，但2019年以来连续三年考核第一。'], evidence: [] };
    const r = result(a, 'demo-district', 'sh-demo-district-former');
    expect(r.status).toBe('met');
    expect(r.reason).toBe('未获原国家知识产权示范城市、原国家知识产权示范城区称号，已作说明');
    expect(r.statement).toContain('本区虽未获评示范城区，但2019年以来连续三年考核第一。');
  });

  it('principle met by explanation: no statement with an empty title', () => {
    const a = example('xuhui-demo-district');
    a.applicant.former_titles = [];
    a.conditions['sh-demo-district-former'] = { met: true, statement: ['本区虽未获评示范城区，但连续三年考核第一。'], evidence: [] };
    const r = result(a, 'demo-district', 'sh-demo-district-former');
    expect(r.statement).toEqual(['本区虽未获评示范城区，但连续三年考核第一。']);
  });
  it('does not accept a lesser title contained in a listed one', () => {
    const a = example('xuhui-demo-district');
    a.applicant.former_titles = ['知识产权运营重点城市'];
    expect(result(a, 'demo-district', 'sh-demo-district-priority').status).toBe('not_applicable');
  });
});

describe('statement templates', () => {
  it('are not rendered as a statement of compliance for an unmet condition', () => {
    const a = example('zhangjiang-demo-park');
    a.indicators['2021']!.ip_funds = 1000;
    const r = result(a, 'demo-park', 'sh-demo-park-funds');
    expect(r.status).toBe('unmet');
    expect(r.statement.join('')).not.toContain('不低于');
  });

  it('are rendered with the check figures for met conditions', () => {
    const r = result(example('caohejing-pilot-park'), 'pilot-park', 'sh-pilot-park-funds');
    expect(r.statement[0]).toBe('2021年，园区年度知识产权工作经费520.00万元，占园区一般预算支出603,000.00万元的0.086%，不低于0.05%。');
  });

  it('are followed by the applicant paragraphs when both exist', () => {
    const a = example('caohejing-pilot-park');
    a.conditions['sh-pilot-park-subject'] = { met: true, statement: ['园区管委会系区政府派出机构。'], evidence: [] };
    const r = result(a, 'pilot-park', 'sh-pilot-park-subject');
    expect(r.statement).toEqual(['申报主体为上海漕河泾新兴技术开发区管理委员会，属于国家级经开区管理机构，符合申报主体要求。', '园区管委会系区政府派出机构。']);
  });

  it('name a misspelt field in a Chinese error (strict rendering)', () => {
    const cat = withCondition('pilot-park', 'sh-pilot-park-funds', (c) => ({ ...c, statement: '占比{{percentage}}' }));
    let err: unknown;
    try {
      run(example('caohejing-pilot-park'), cat);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const d = (err as UserError).diagnostics[0]!;
    expect(d.code).toBe('program.text');
    expect(d.message).toContain('条件 sh-pilot-park-funds 的文字模板引用了不存在的字段 {{percentage}}');
    expect(d.message).toContain('percent');
  });

  it('are not HTML-escaped', () => {
    const cat = withCondition('pilot-park', 'sh-pilot-park-subject', (c) => ({ ...c, statement: '{{applicant_name}} & <园区>' }));
    const a = example('caohejing-pilot-park');
    a.applicant.name = '“漕河泾”开发区 & Co';
    expect(result(a, cat, 'sh-pilot-park-subject').statement[0]).toBe('“漕河泾”开发区 & Co & <园区>');
  });
});

describe('derived indicators', () => {
  const ind = (id: string) => indicatorById(round.catalogue, id)!;

  it('per 10k population divides by population in 万人', () => {
    const v = new Map<string, number | undefined>([
      ['invention_patents', 23140],
      ['population', 111.5],
    ]);
    expect(derive(ind('invention_patents_per_10k'), v)).toBeCloseTo(207.5336, 4);
  });

  it('percent is numerator / denominator × 100', () => {
    const v = new Map<string, number | undefined>([
      ['ip_funds', 1850],
      ['general_budget', 2600000],
    ]);
    expect(derive(ind('ip_funds_ratio'), v)).toBeCloseTo(0.071154, 6);
  });

  it('is undefined when an input is missing or the divisor is 0', () => {
    expect(derive(ind('invention_patents_per_10k'), new Map([['invention_patents', 100]]))).toBeUndefined();
    expect(derive(ind('invention_patents_per_10k'), new Map([['population', 10]]))).toBeUndefined();
    expect(derive(ind('invention_patents_per_10k'), new Map([['invention_patents', 100], ['population', 0]]))).toBeUndefined();
    expect(derive(ind('ip_funds_ratio'), new Map([['general_budget', 1000]]))).toBeUndefined();
    expect(derive(ind('ip_funds_ratio'), new Map([['ip_funds', 5], ['general_budget', 0]]))).toBeUndefined();
  });

  it('a zero numerator is a value, not missing', () => {
    expect(derive(ind('invention_patents_per_10k'), new Map([['invention_patents', 0], ['population', 50]]))).toBe(0);
  });

  it('a stored indicator passes through', () => {
    expect(derive(ind('trademarks'), new Map([['trademarks', 42]]))).toBe(42);
  });

  it('are computed for every year of an applicant', () => {
    const s = indicatorSeries(example('xuhui-demo-district'), round.catalogue);
    expect([...s.keys()]).toEqual([2019, 2020, 2021]);
    expect(s.get(2021)!.get('invention_patents_per_10k')).toBeCloseTo(23140 / 111.5, 9);
    expect(s.get(2019)!.get('high_value_patents_per_10k')).toBeCloseTo(7420 / 108.9, 9);
    expect(s.get(2020)!.get('ip_funds_ratio')).toBeCloseTo((3580 / 2154000) * 100, 9);

    // parks leave population out: the per-10k figures are undefined, not NaN or Infinity
    const park = indicatorSeries(example('zhangjiang-demo-park'), round.catalogue);
    expect(park.get(2021)!.has('invention_patents_per_10k')).toBe(true);
    expect(park.get(2021)!.get('invention_patents_per_10k')).toBeUndefined();
  });

  it('the reporting years are the three before the round', () => {
    expect(reportingYears(2022)).toEqual([2019, 2020, 2021]);
  });
});

describe('counts and eligibility', () => {
  it('counts every status and is eligible with nothing unmet or pending', () => {
    const e = run(example('xuhui-demo-district'), 'demo-district');
    expect(e.programId).toBe('2022-shanghai');
    expect(e.categoryId).toBe('demo-district');
    expect(e.counts).toEqual({ met: 6, unmet: 0, pending: 0, review: 0, priority: 0, not_applicable: 1 });
    expect(e.eligible).toBe(true);
    expect(e.unmet).toEqual([]);
  });

  it('is not eligible with one pending condition', () => {
    const a = example('xuhui-demo-district');
    delete a.conditions['sh-demo-district-policy'];
    const e = run(a, 'demo-district');
    expect(e.counts).toMatchObject({ met: 5, pending: 1, unmet: 0 });
    expect(e.eligible).toBe(false);
  });

  it('priority and not_applicable do not affect eligibility', () => {
    const a = example('zhangjiang-demo-park');
    expect(run(a, 'demo-park')).toMatchObject({ eligible: true, counts: { priority: 1 } });
    a.applicant.former_titles = ['原国家知识产权试点园区'];
    expect(run(a, 'demo-park')).toMatchObject({ eligible: true, counts: { priority: 0, not_applicable: 1, met: 6 } });
  });

  it('gives results in the round order, with the verbatim text', () => {
    const cat = round.category('pilot-park');
    const e = run(example('caohejing-pilot-park'), 'pilot-park');
    expect(e.results.map((r) => r.id)).toEqual(cat.conditions.map((c) => c.id));
    expect(e.results.map((r) => r.text)).toEqual(cat.conditions.map((c) => c.text));
    expect(e.results.map((r) => r.clause)).toEqual(cat.conditions.map((c) => c.clause));
  });

  it('labels statuses in Chinese', () => {
    expect(['met', 'unmet', 'pending', 'priority', 'not_applicable'].map((s) => STATUS_LABEL[s as keyof typeof STATUS_LABEL])).toEqual([
      '符合',
      '不符合',
      '待补充',
      '具备优先条件',
      '不涉及',
    ]);
  });
});

describe('the four examples', () => {
  it.each(EXAMPLES)('%s: every condition of its category is checked', (name) => {
    const e = run(example(name), CATEGORY[name]);
    expect(e.results).toHaveLength(round.category(CATEGORY[name]).conditions.length);
    for (const r of e.results) expect(r.reason, r.id).toMatch(/[\u4e00-\u9fff]/);
    expect(e.counts.pending).toBe(0);
  });

  it('minhang-pilot-district: the ranking awaits a person (2021年第7名 is not ours to judge), nothing unmet', () => {
    const e = run(example('minhang-pilot-district'), 'pilot-district');
    expect(e.results.filter((r) => r.status === 'review').map((r) => r.id)).toEqual(['sh-pilot-district-ranking']);
    expect(e.eligible).toBe(false);
    expect(e.unmet).toEqual([]);
    expect(e.counts).toEqual({ met: 4, unmet: 0, pending: 0, review: 1, priority: 1, not_applicable: 0 });
  });

  it.each(['xuhui-demo-district', 'zhangjiang-demo-park', 'caohejing-pilot-park'] as const)('%s: nothing unmet, eligible', (name) => {
    const e = run(example(name), CATEGORY[name]);
    expect(e.counts.unmet).toBe(0);
    expect(e.eligible).toBe(true);
  });
});
