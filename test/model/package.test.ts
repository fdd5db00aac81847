import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LABEL } from '../../src/evaluate/types.js';
import { COMMON_DOC_FIELDS, COMMON_DOC_IDS, viewModelFields } from '../../src/model/fields.js';
import { checkShape } from './shape.js';
import { buildChecklistModel, buildCoverModel, buildSummaryModel, summaryCsv, type SummaryInput } from '../../src/model/package.js';
import { loadExamples, summaryInput, type EvaluatedExample } from '../fixtures/examples.js';


/** RFC 4180 reader, enough to check what summaryCsv writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

let examples: EvaluatedExample[];
let input: SummaryInput;
const PARTS = [
  { number: '1', name: '申报函', page: 3 },
  { number: '2', name: '创建工作报告', page: 5 },
  { number: '3', name: '三年期示范工作方案', page: 21 },
];

beforeAll(async () => {
  examples = await loadExamples();
  input = summaryInput(examples);
});

const byShort = (s: string) => examples.find((x) => x.applicant.applicant.short_name === s)!;

describe('buildCoverModel', () => {
  it('gives the title, applicant, category, the date in Chinese and one entry per material', () => {
    const x = byShort('徐汇区');
    const m = buildCoverModel({ ...x, parts: PARTS });
    expect(checkShape(m, COMMON_DOC_FIELDS.cover, 'cover')).toEqual([]);
    // "…推荐申报" + "申报材料" must not read 申报申报.
    // Wrapped between words into two balanced lines (GB/T 9704 7.3.1).
    expect(m.title).toBe('2022年上海市国家知识产权强国建设\n试点示范城区、园区推荐申报材料');
    expect(m.applicant_name).toBe('上海市徐汇区人民政府');
    expect(m.category_name).toBe('国家知识产权强市建设示范城区');
    expect(m.date).toMatch(/^2022年2月\d{1,2}日$/);
    expect(buildCoverModel({ ...x, date: '2022-02-05', parts: PARTS }).date).toBe('2022年2月5日');
    expect(m.parts).toEqual(PARTS.map((p) => ({ ...p, page: String(p.page) })));
    expect(m.sample_note).toContain('示例数据');
    expect(buildCoverModel({ ...x, applicant: { ...x.applicant, sample: false }, parts: [] }).sample_note).toBe('');
  });
});

describe('buildChecklistModel', () => {
  it('lists every condition with its status label, counts and warnings', () => {
    for (const x of examples) {
      const m = buildChecklistModel({ ...x, warnings: ['字体替代', '章节层级过深'] });
      expect(checkShape(m, COMMON_DOC_FIELDS.checklist, x.applicant.applicant.short_name)).toEqual([]);
      const rows = m.conditions as { id: string; status: string; evidence: string[] }[];
      expect(rows.map((r) => r.id)).toEqual(x.evaluation.results.map((r) => r.id));
      rows.forEach((r, i) => expect(r.status).toBe(STATUS_LABEL[x.evaluation.results[i]!.status]));
      for (const r of rows) expect(r.evidence.length).toBeGreaterThan(0);
      expect(m.met).toBe(String(x.evaluation.counts.met));
      expect(m.warnings).toEqual([
        { number: '1.', text: '字体替代' },
        { number: '2.', text: '章节层级过深' },
      ]);
      if (x.evaluation.eligible) expect(m.conclusion).toBe('各项申报条件均已符合。');
      else expect(m.conclusion).toMatch(/^尚有(不符合|待补充|待人工确认)\d项/);
    }
    const none = buildChecklistModel({ ...examples[0]!, warnings: [] });
    expect(none.has_warnings).toBe(false);
    const evidence = (none.conditions as { evidence: string[]; has_evidence: boolean }[]).find((r) => !r.has_evidence);
    expect(evidence?.evidence).toEqual(['—']);
  });

  it('says what keeps an ineligible applicant from applying', () => {
    const x = byShort('闵行区');
    const e = { ...x.evaluation, eligible: false, counts: { ...x.evaluation.counts, unmet: 1, pending: 2 } };
    expect(buildChecklistModel({ ...x, evaluation: e, warnings: [] }).conclusion).toBe('尚有不符合1项、待补充2项、待人工确认1项，请在报送前补充或核实。');
  });
});

describe('buildSummaryModel', () => {
  it('has exactly the described fields', () => {
    const m = buildSummaryModel(input);
    expect(checkShape(m, COMMON_DOC_FIELDS.summary, 'summary')).toEqual([]);
    for (const id of COMMON_DOC_IDS) expect(viewModelFields(id)).toBe(COMMON_DOC_FIELDS[id]);
  });

  it('heads each category with its quota and the number of applicants', () => {
    const m = buildSummaryModel(input);
    const cats = m.categories as Record<string, unknown>[];
    expect(cats.map((c) => c.heading)).toEqual([
      '一、示范城区（推荐名额2个，申报1家）',
      '二、试点城区（推荐名额3个，申报1家）',
      '三、示范园区（推荐名额1个，申报1家）',
      '四、试点园区（推荐名额2个，申报2家）',
    ]);
    expect((m.title as string).replace(/\n/g, '')).toBe('2022年上海市国家知识产权强国建设试点示范城区、园区推荐申报情况汇总表');
    expect(m.total_line).toMatch(/^合计：提交数据文件5个；4个类别，申报5家/);
  });

  it('compares districts by patent density and ranking, parks by the IP budget share', () => {
    const cats = buildSummaryModel(input).categories as Record<string, unknown>[];
    const demo = cats[0]!;
    expect([demo.h1, demo.h2, demo.h4]).toEqual(['有效发明专利拥有量（件）', '每万人口高价值发明专利拥有量（件）', '知识产权工作绩效考核排名（名）']);
    const xuhui = (demo.applicants as Record<string, string>[])[0]!;
    expect(xuhui).toMatchObject({ name: '上海市徐汇区人民政府', v1: '23,140', g1: '增长16.6%', eligible: '是' });
    expect(xuhui.g4).toMatch(/^上年第\d+名$/);
    const park = cats[2]!;
    expect(park.h2).toBe('知识产权工作经费占一般预算支出比例（%）');
    expect((park.applicants as Record<string, string>[])[0]!.v2).toMatch(/^0\.\d+$/);
    // A category without a ranking says nothing about ranks in its note.
    expect(park.indicator_note).toBe('指标为2021年数值，其下为较2020年增减。');
  });

  it('lists every condition of every applicant, and flags more eligible applicants than places', () => {
    const demo = input.categories[0]!;
    const crowded: SummaryInput = { program: input.program, categories: [{ ...demo, applicants: [demo.applicants[0]!, demo.applicants[0]!, demo.applicants[0]!] }] };
    const c = (buildSummaryModel(crowded).categories as Record<string, unknown>[])[0]!;
    expect(c.heading).toBe('一、示范城区（推荐名额2个，申报3家）');
    expect(c.over_quota).toBe(true);
    expect(c.quota_line).toContain('需择优推荐');
    expect((c.conditions as unknown[]).length).toBe(3 * demo.applicants[0]!.evaluation.results.length);
    const empty = (buildSummaryModel({ program: input.program, categories: [{ category: demo.category, applicants: [] }] }).categories as Record<string, unknown>[])[0]!;
    expect(empty).toMatchObject({ has_applicants: false, heading: '一、示范城区（推荐名额2个，申报0家）' });
  });
});

describe('summaryCsv', () => {
  it('is UTF-8 with BOM and CRLF, one header and one row per applicant, statuses as columns', () => {
    const csv = summaryCsv(input);
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(csv.slice(1));
    const [header, ...body] = rows;
    expect(body).toHaveLength(examples.length);
    for (const r of body) expect(r).toHaveLength(header!.length);
    expect(header!.slice(0, 12)).toEqual(['申报类别', '序号', '申报单位', '简称', '数据文件', '符合', '不符合', '待补充', '待人工确认', '具备优先条件', '是否满足申报条件', '材料包']);
    const col = (name: string) => header!.indexOf(name);
    const xuhui = body.find((r) => r[col('简称')] === '徐汇区')!;
    expect(xuhui[col('数据文件')]).toBe('xuhui-demo-district.yaml');
    // contact.email reaches the office here (the letter prints name, position and phones)
    expect(xuhui[col('电子邮箱')]).toBe('xuhui-ip@example.com');
    expect(xuhui[col('联系人')]).toBe('王晓敏');
    expect(xuhui[col('有效发明专利拥有量（件）2021年')]).toBe('23140');
    expect(xuhui[col('有效发明专利拥有量较上年增长')]).toBe('16.6%');
    // Each applicant's condition columns hold its statuses; other categories' are empty.
    for (const x of examples) {
      const r = body.find((row) => row[col('简称')] === x.applicant.applicant.short_name)!;
      const statuses = r.slice(header!.length - input.categories.reduce((n, c) => n + c.category.conditions.length, 0)).filter(Boolean);
      expect(statuses).toEqual(x.evaluation.results.map((res) => STATUS_LABEL[res.status]));
    }
  });

  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    const demo = input.categories[0]!;
    const a = demo.applicants[0]!;
    const odd = { ...a, applicant: { ...a.applicant, applicant: { ...a.applicant.applicant, name: '某区,"测试"\n人民政府', short_name: '=SUM(A1)' } } };
    const csv = summaryCsv({ program: input.program, categories: [{ ...demo, applicants: [odd] }] });
    const rows = parseCsv(csv.slice(1));
    expect(rows).toHaveLength(2);
    expect(rows[1]![2]).toBe('某区,"测试"\n人民政府');
    expect(rows[1]![3]).toBe("'=SUM(A1)");
  });

  it('is deterministic', () => {
    expect(summaryCsv(input)).toBe(summaryCsv(input));
    expect(JSON.stringify(buildSummaryModel(input))).toBe(JSON.stringify(buildSummaryModel(input)));
  });
});
