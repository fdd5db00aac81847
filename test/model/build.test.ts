import { describe, it, expect } from 'vitest';
import { buildViewModels } from '../../src/model/build.js';
import { DOC_FIELDS, DOC_IDS, viewModelFields } from '../../src/model/fields.js';
import { checkShape } from './shape.js';
import { fixtureApplicant, fixtureInput } from '../fixtures/docx/fixture.js';

describe('buildViewModels', () => {
  const { models, diagnostics } = buildViewModels(fixtureInput('2022-shanghai'));

  it('produces exactly the described fields for every document', () => {
    for (const id of DOC_IDS) {
      // The deepest section level has no `sections` (the template nests three levels).
      const problems = checkShape(models[id], DOC_FIELDS[id], id).filter((p) => !/sections\[\d+\]\.sections\[\d+\]\.sections missing/.test(p));
      expect(problems, id).toEqual([]);
    }
    expect(viewModelFields('letter')).toBe(DOC_FIELDS.letter);
    expect(viewModelFields('nope')).toBeUndefined();
    expect(diagnostics).toEqual([]);
  });

  it('renders the round wording and the letter', () => {
    const l = models.letter;
    expect(l.title).toBe('关于申报国家知识产权强市建设试点城区的函');
    expect(l.date).toBe('2022年2月15日');
    expect(l.recipient).toBe('上海市知识产权局');
    expect((l.body as string[])[0]).toContain('徐汇区对照申报条件');
    // GB/T 9704 7.3.4: the 附件说明 names the attachments by their own titles, word for word.
    expect(l.attachments).toEqual([
      { first: true, last: false, number: '1.', name: '上海市徐汇区人民政府申报国家知识产权强市建设试点城区创建工作报告' },
      { first: false, last: true, number: '2.', name: '徐汇区国家知识产权强市建设试点城区三年期试点工作方案' },
    ]);
    expect((models.report.title as string).replace(/\n/g, '')).toBe('上海市徐汇区人民政府申报国家知识产权强市建设试点城区创建工作报告');
    expect((models.plan.title as string).replace(/\n/g, '')).toBe('徐汇区国家知识产权强市建设试点城区三年期试点工作方案');
    expect([models.report.attachment_label, models.plan.attachment_label, l.attachment_label]).toEqual(['附件1', '附件2', undefined]);
    // 所在单位 (contact.unit) goes in the letter, with the position: every accepted field shows somewhere
    expect(l.note).toBe('（联系人：王晓明，徐汇区市场监督管理局科长；联系电话：021-64872222，13812345678）');
    expect(l.sample_note).toContain('示例数据');
  });

  it('numbers sections in the model, not the template', () => {
    const r = models.report as { summary: { heading: string; sections: { heading: string; sections: { heading: string }[] }[] }[] };
    expect(r.summary[0]!.heading).toBe('（一）知识产权创造质量稳步提升');
    expect(r.summary[0]!.sections[0]!.heading).toBe('1.高价值专利培育');
    expect(r.summary[0]!.sections[0]!.sections[0]!.heading).toBe('（1）人工智能领域');
    expect(r.summary[1]!.heading).toBe('（二）知识产权保护体系不断完善');
    expect(models.report.indicators_heading).toBe('（三）主要指标情况');
    expect(models.report.conditions_heading).toBe('二、申报条件符合情况');
  });

  it('computes indicator tables with growth and derived values', () => {
    const rows = models.report.indicators as Record<string, string>[];
    const granted = rows.find((r) => r.name === '发明专利授权量')!;
    expect(granted).toMatchObject({ v1: '3,120', v2: '3,488', v3: '4,012', g3: '15.0%' });
    const ratio = rows.find((r) => r.name!.startsWith('知识产权工作经费占'))!;
    expect(ratio.v1).toBe('0.06');
    expect(ratio.v3).toBe('0.067');
    expect(models.report.y1).toBe('2019年');
  });

  it('takes the plan baseline from the year before the period', () => {
    const t = (models.plan.targets as Record<string, string>[])[0]!;
    expect(t).toMatchObject({ name: '发明专利授权量', baseline: '4,012', v1: '4,300', v3: '5,000' });
    expect(models.plan.baseline_label).toBe('基期值（2021年）');
    const tasks = models.plan.tasks as Record<string, string>[];
    expect(tasks[0]).toMatchObject({ heading: '（一）实施高价值专利培育工程', partners: '区科委、区经委', deadline: '2024年底' });
    expect(tasks[1]!.partners).toBe('—');
  });

  it('leaves the sample note empty for real data', () => {
    const a = fixtureApplicant();
    a.sample = false;
    const { models: m } = buildViewModels(fixtureInput('2022-shanghai', a));
    expect(m.letter.sample_note).toBe('');
  });

  it('reports a round text that cannot render as a warning', () => {
    const input = fixtureInput('2022-shanghai');
    input.program = { ...input.program, texts: { ...input.program.texts, letter_title: '关于{{nope}}的函' } };
    const { models: m, diagnostics: d } = buildViewModels(input);
    expect(m.letter.title).toBe('关于的函');
    expect(d.map((x) => x.code)).toContain('model.text');
  });
});
