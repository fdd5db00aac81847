import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, type Finding, type FindingKind } from '../../src/evaluate/index.js';
import { validateFile } from '../../src/schema/validate.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';

/**
 * Planted inconsistencies: each variant is an example file with one figure, one growth claim,
 * one target or one date changed. The finding must be there, of the right kind, at the line and
 * column where the changed number was typed.
 */
interface Variant {
  name: string;
  example: string;
  /** Text of the example, unique in it, and what replaces it. */
  find: string;
  replace: string;
  kind: FindingKind;
  /** Where in `replace` the finding must point (its first occurrence); default the first digit. */
  at?: string;
}

const V = (name: string, example: string, find: string, replace: string, kind: FindingKind, at?: string): Variant => ({ name, example, find, replace, kind, at });
const XH = 'xuhui-demo-district.yaml';
const MH = 'minhang-pilot-district.yaml';
const SZ = 'suzhou-demo-city.yaml';
const ZJ = 'zhangjiang-demo-park.yaml';
const CHJ = 'caohejing-pilot-park.yaml';

const PLANTED: Variant[] = [
  // figures in prose against the table
  V('stock figure', XH, '全区有效发明专利23140件，每万', '全区有效发明专利23410件，每万', 'figure', '23410'),
  V('derived per-10k figure', XH, '每万人口发明专利拥有量207.5件，是', '每万人口发明专利拥有量270.5件，是', 'figure', '270.5'),
  V('万件 against 件', XH, '15.96万件，马德里国际注册商标248件。', '16.96万件，马德里国际注册商标248件。', 'figure', '16.96'),
  V('三年累计 in 亿元 against a sum in 万元', XH, '三年累计实现知识产权质押融资20.56亿元，专利转让许可6037次', '三年累计实现知识产权质押融资21.56亿元，专利转让许可6037次', 'figure', '21.56'),
  V('second figure of a sentence (累计 flow)', XH, '专利转让许可6037次，知识产权对', '专利转让许可6307次，知识产权对', 'figure', '6307'),
  V('由…提高到… base figure', XH, '由158.5件提高到207.5件', '由185.5件提高到207.5件', 'figure', '185.5'),
  V('万元 for a sum stated in 亿元 elsewhere', XH, '三年累计实现知识产权质押融资20.56亿元，专利转让许可6037次', '三年累计实现知识产权质押融资215600万元，专利转让许可6037次', 'figure', '215600'),
  V('由…提高到… end figure', XH, '由158.5件提高到207.5件', '由158.5件提高到217.5件', 'figure', '217.5'),
  V('分别 list, second year', XH, '分别安排3150万元、3580万元、4060万元', '分别安排3150万元、3850万元、4060万元', 'figure', '3850'),
  V('a name wrapped over two lines of the block', XH, '截至2021年底，全区有效发明专利23140件，每万', '截至2021年底，全区有效发明\n      专利23410件，每万', 'figure', '23410'),
  V('thousands separator', XH, '全区有效发明专利23140件，较2019年', '全区有效发明专利23,410件，较2019年', 'figure', '23,410'),
  V('以上 above the table', XH, '马德里国际注册商标248件，较2019年', '马德里国际注册商标300件以上，较2019年', 'figure', '300'),
  V('a range that misses', XH, '2021年全区知识产权服务机构达到227家', '2021年全区知识产权服务机构达到230—240家', 'figure', '230'),
  V('Chinese numeral count', XH, '2021年全区知识产权服务机构达到227家', '2021年全区知识产权服务机构达到二百七十二家', 'figure', '二百七十二'),
  V('plan prose against the target', XH, '质押融资额达到16亿元', '质押融资额达到18亿元', 'figure', '18'),
  V('stock figure (闵行)', MH, '每万人口发明专利拥有量69.5件', '每万人口发明专利拥有量96.5件', 'figure', '96.5'),
  V('累计 sum (闵行)', MH, '质押融资15.73亿元，专利转让许可4440次。', '质押融资17.53亿元，专利转让许可4440次。', 'figure', '17.53'),
  V('year clause carries the subject (闵行)', MH, '2021年达到7.09亿元', '2021年达到7.90亿元', 'figure', '7.90'),
  V('a city calls itself 全市 (苏州)', SZ, '全市有效发明专利95600件，每万人口', '全市有效发明专利96500件，每万人口', 'figure', '96500'),
  V('high-value patents (张江)', ZJ, '有效发明专利71450件，高价值发明专利34620件', '有效发明专利71450件，高价值发明专利36420件', 'figure', '36420'),
  V('累计 transfers (张江)', ZJ, '三年累计实现专利转让许可17160次', '三年累计实现专利转让许可17610次', 'figure', '17610'),
  V('plan prose target in 亿元 (张江)', ZJ, '质押融资额达到46亿元', '质押融资额达到64亿元', 'figure', '64'),
  V('专项经费 alias, 分别 list (张江)', ZJ, '1520万元、1660万元、1850万元', '1520万元、1660万元、1580万元', 'figure', '1580'),
  V('累计 funds (漕河泾)', CHJ, '三年累计安排知识产权工作经费1405万元', '三年累计安排知识产权工作经费1450万元', 'figure', '1450'),
  V('新增 is a change of the level', XH, '全区有效发明专利23140件，较2019年增长34.1%', '全区新增有效发明专利3920件', 'figure', '3920'),
  V('a share in every year (均…以上)', XH, '均在0.15%以上', '均在0.16%以上', 'figure', '0.16'),
  V('shares listed with 分别 (漕河泾)', CHJ, '0.080%、0.083%、0.086%', '0.080%、0.093%、0.086%', 'figure', '0.093'),
  V('a share 由…提高到… (苏州)', SZ, '由0.214%提高到0.246%', '由0.214%提高到0.264%', 'figure', '0.264'),
  // growth claims
  V('较2019年增长', XH, '较2019年增长34.1%', '较2019年增长43.1%', 'growth', '43.1'),
  V('two decimals', XH, '较2019年增长34.1%', '较2019年增长34.17%', 'growth', '34.17'),
  V('三年增长 (simple)', XH, '三年增长46.5%', '三年增长56.5%', 'growth', '56.5'),
  V('年均增长 (compound)', XH, '年均增长13.5%', '年均增长15.3%', 'growth', '15.3'),
  V('翻一番 that is not', XH, '较2019年增长34.1%', '较2019年翻一番', 'growth', '较'),
  V('是…的N倍', XH, '是2019年的2.3倍', '是2019年的3.2倍', 'growth', '3.2'),
  V('较…增加N家', XH, '较2019年增加41家', '较2019年增加14家', 'growth', '14'),
  V('较…增长 (闵行 transfers)', MH, '较2019年增长51.3%', '较2019年增长53.1%', 'growth', '53.1'),
  V('较…增长 (闵行 Madrid)', MH, '马德里国际注册商标112件，较2019年增长51.4%', '马德里国际注册商标112件，较2019年增长41.5%', 'growth', '41.5'),
  V('较…提高N件 (苏州 per-10k)', SZ, '较2019年提高19.48件', '较2019年提高14.98件', 'growth', '14.98'),
  V('是…的N倍 (苏州)', SZ, '是2019年的1.9倍', '是2019年的2.9倍', 'growth', '2.9'),
  V('较…增加N家 (苏州)', SZ, '较2019年增加135家', '较2019年增加153家', 'growth', '153'),
  V('较…增长 (漕河泾 patents)', CHJ, '有效发明专利13090件，较2019年增长34.1%', '有效发明专利13090件，较2019年增长31.4%', 'growth', '31.4'),
  V('同比增长 on the year before', XH, '2021年达到587件，较2019年增长34.6%', '2021年达到587件，同比增长34.6%', 'growth', '34.6'),
  V('YYYY年增长 on the year before', MH, '较2019年增长51.3%', '2021年增长15.3%', 'growth', '15.3'),
  // the plan's targets
  V('target below the baseline', XH, '{ "2022": 26500,', '{ "2022": 21500,', 'target', '21500'),
  V('target falling year on year', XH, '"2023": 185000', '"2023": 170000', 'target', '170000'),
  V('target far above the trend', XH, '{ "2022": 620, "2023": 660, "2024": 700 }', '{ "2022": 620, "2023": 660, "2024": 2700 }', 'target', '2700'),
  V('target below the baseline (闵行)', MH, '{ "2022": 21500,', '{ "2022": 17500,', 'target', '17500'),
  // dates
  V('evidence 文号 year differs from its date', XH, 'number: 徐府发〔2021〕15号', 'number: 徐府发〔2020〕15号', 'date', '徐府发'),
  V('evidence older than the window', XH, 'date: 2020-06-02', 'date: 2017-06-02', 'date', '2017'),
  V('近三年 naming another year', ZJ, '近三年来，园区以', '近三年（2018年至2020年）来，园区以', 'date', '2018'),
];

const dir = mkdtempSync(join(tmpdir(), 'shenbao-consistency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function findingsOf(file: string): Promise<Finding[]> {
  const v = await validateFile(file);
  if (!v.ok) throw new Error(v.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
  return evaluate(v.applicant, v.program, v.category, v.catalogue, v.located).findings;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

describe('the unchanged examples give no finding', () => {
  const all = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort();
  it('covers every example', () => expect(all).toEqual(expect.arrayContaining([XH, MH, SZ, ZJ, CHJ])));
  for (const example of all) {
    it(example, async () => {
      expect((await findingsOf(join(EXAMPLES_DIR, example))).map((f) => f.message)).toEqual([]);
    });
  }
});

describe('planted inconsistencies are found where they were typed', () => {
  it('the corpus has at least 30 variants, each a single change', () => {
    expect(PLANTED.length).toBeGreaterThanOrEqual(30);
  });
  PLANTED.forEach((v, i) => {
    it(`${v.name} (${v.example})`, async () => {
      const original = readFileSync(join(EXAMPLES_DIR, v.example), 'utf8');
      const start = original.indexOf(v.find);
      expect(start, 'find text is in the example').toBeGreaterThanOrEqual(0);
      expect(original.indexOf(v.find, start + 1), 'find text is unique').toBe(-1);
      const text = original.slice(0, start) + v.replace + original.slice(start + v.find.length);
      const file = join(dir, `${i}-${v.example}`);
      writeFileSync(file, text);
      const offset = start + v.replace.indexOf(v.at ?? v.replace.match(/\d/)![0]);
      const findings = (await findingsOf(file)).filter((f) => f.kind === v.kind);
      expect(findings.map((f) => ({ line: f.line, col: f.col })), findings.map((f) => f.message).join('\n')).toContainEqual(lineCol(text, offset));
    });
  });
});

/** The same facts written the other ways districts write them: none of these is a finding. */
const EQUIVALENT: [string, string, string][] = [
  [XH, '2021年全区知识产权服务机构达到227家', '2021年全区知识产权服务机构达到二百二十七家'],
  [XH, '全区有效发明专利23140件，较2019年', '全区有效发明专利23,140件，较2019年'],
  [XH, '马德里国际注册商标248件，较2019年', '马德里国际注册商标200件以上，较2019年'],
  [XH, '2021年全区知识产权服务机构达到227家', '2021年全区知识产权服务机构达到220—230家'],
  [XH, '三年累计实现知识产权质押融资20.56亿元，专利转让许可6037次', '三年累计实现知识产权质押融资205600万元，专利转让许可6037次'],
  [XH, '较2019年增长34.1%', '较2019年增长34.07%'],
  [XH, '是2019年的2.3倍', '较2019年翻一番'],
  [XH, '质押融资额达到16亿元', '质押融资额达到160000万元'],
  [XH, '全区有效发明专利23140件，较2019年增长34.1%', '全区新增有效发明专利3290件'],
  [XH, '2021年达到587件，较2019年增长34.6%', '2021年达到587件，同比增长14.6%'],
  [XH, '是全市平均水平的3倍以上', '而全市每万人口发明专利拥有量为68.9件'],
];

describe('prose as districts write it is understood', () => {
  EQUIVALENT.forEach(([example, find, replace], i) => {
    it(`${replace} (${example})`, async () => {
      const original = readFileSync(join(EXAMPLES_DIR, example), 'utf8');
      expect(original.split(find)).toHaveLength(2);
      const file = join(dir, `same-${i}-${example}`);
      writeFileSync(file, original.replace(find, replace));
      expect((await findingsOf(file)).map((f) => f.message)).toEqual([]);
    });
  });
});
