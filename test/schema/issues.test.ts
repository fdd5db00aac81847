import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/common/diagnostics.js';
import { applicantSchema } from '../../src/schema/applicant.js';
import { labelAt, suggest } from '../../src/schema/issues.js';
import { validateFile } from '../../src/schema/validate.js';

/** zod issues → located Chinese diagnostics: labels, suggestions, positions. */

describe('labelAt', () => {
  it.each([
    [['letter', 'number'], '发文字号'],
    [['letter', 'date'], '成文日期'],
    [['letter'], '申报函'],
    [['applicant', 'short_name'], '简称'],
    [['contact', 'mobile'], '手机'],
    [['plan', 'tasks', 0, 'lead'], '牵头单位'],
    [['plan', 'tasks', 3, 'deadline'], '完成时限'],
    [['plan', 'tasks', 0, 'partners'], '配合单位'],
    [['plan', 'period', 'start'], '起始年'],
    [['plan', 'targets', 1, 'baseline'], '基期值'],
    [['plan', 'principles', 0, 'text'], '内容'],
    [['conditions', 'sh-demo-district-policy', 'evidence', 0, 'date'], '印发日期'],
    [['conditions', 'sh-demo-district-policy', 'statement'], '符合情况说明'],
    [['report', 'overview'], '基本情况'],
    [['report', 'summary', 0, 'sections', 1, 'sections', 0, 'title'], '标题'],
    [['report', 'summary', 2, 'paragraphs'], '正文段落'],
    [['indicators', '2021'], '当年指标'],
    [[], '申报单位数据'],
  ] as const)('%j → %s', (p, label) => {
    expect(labelAt(applicantSchema, p)).toBe(label);
  });

  it('returns undefined for a path the schema does not have', () => {
    expect(labelAt(applicantSchema, ['letter', 'nubmer'])).toBeUndefined();
    expect(labelAt(applicantSchema, ['nope', 'deeper'])).toBeUndefined();
  });
});

describe('suggest', () => {
  const applicantKeys = ['name', 'short_name', 'kind', 'place', 'former_titles'];
  const rootKeys = Object.keys((applicantSchema as any)._zod.def.shape);

  it('finds the key behind a typo', () => {
    expect(suggest('shortname', applicantKeys)).toBe('short_name');
    expect(suggest('Short_Name', applicantKeys)).toBe('short_name');
    expect(suggest('catagory', rootKeys)).toBe('category');
    expect(suggest('indicator', rootKeys)).toBe('indicators');
    expect(suggest('former_title', applicantKeys)).toBe('former_titles');
  });

  it('ignores a full-width colon glued to the key', () => {
    expect(suggest('kind：district_government', applicantKeys)).toBe('kind');
  });

  it('suggests nothing for an unrelated word', () => {
    expect(suggest('address', applicantKeys)).toBeUndefined();
    expect(suggest('x', ['kind'])).toBeUndefined();
  });
});

describe('diagnostics from a file', () => {
  const write = (text: string) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-issues-')), 'applicant.yaml');
    writeFileSync(file, text);
    return file;
  };
  const example = () => readFileSync(new URL('../../examples/xuhui-demo-district.yaml', import.meta.url), 'utf8');

  it('names the suggested key and its label for a typo, at the key', async () => {
    const text = example().replace('  short_name: 徐汇区', '  shortname: 徐汇区');
    const r = await validateFile(write(text));
    expect(r.ok).toBe(false);
    const unknown = r.diagnostics.find((d) => d.code === 'schema.unknown-key')!;
    expect(unknown.message).toContain('未知字段 shortname，是否应为 short_name（简称）');
    const line = text.split('\n').findIndex((l) => l.startsWith('  shortname:')) + 1;
    expect(unknown).toMatchObject({ line, col: 3, path: ['applicant', 'shortname'] });
    const missing = r.diagnostics.find((d) => d.code === 'schema.missing')!;
    expect(missing).toMatchObject({ path: ['applicant', 'short_name'], label: '简称', message: '缺少必填字段' });
  });

  it('formats a wrong value as file:line:col  path（label）  message（received）', async () => {
    const text = example().replace('徐府〔2022〕8号', '徐府[2022]8号');
    const r = await validateFile(write(text));
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.path?.join('.') === 'letter.number')!;
    const line = text.split('\n').findIndex((l) => l.includes('徐府[2022]8号')) + 1;
    const shown = formatDiagnostic(d);
    expect(shown).toMatch(new RegExp(`applicant\\.yaml:${line}:11  letter\\.number（发文字号）  发文字号应为`));
    expect(shown).toContain('（实际为 "徐府[2022]8号"）');
  });

  it('reports every problem at once', async () => {
    const text = example()
      .replace('徐府〔2022〕8号', '徐府〔2022〕第8号')
      .replace('date: 2022-02-15', 'date: 2022-02-30')
      .replace('mobile: "13800138001"', 'mobile: "1380013800"')
      .replace('    start: 2022', '    start: 二〇二二');
    const r = await validateFile(write(text));
    expect(r.ok).toBe(false);
    const paths = r.diagnostics.map((d) => d.path?.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['letter.number', 'letter.date', 'contact.mobile', 'plan.period.start']));
  });

  it('shows the Chinese message for a bad record key (year / indicator code)', async () => {
    const text = example().replace('  "2019":', '  "19":').replace('    invention_patents: 23140', '    InventionPatents: 23140');
    const r = await validateFile(write(text));
    expect(r.ok).toBe(false);
    const year = r.diagnostics.find((d) => d.path?.join('.') === 'indicators.19')!;
    const code = r.diagnostics.find((d) => d.path?.join('.') === 'indicators.2021.InventionPatents')!;
    expect(year.message).toContain('年份应为四位数字');
    expect(code.message).toContain('指标代码应为小写英文');
    expect(year.message).not.toContain('Invalid key');
  });
});
