import { beforeAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../../src/program/load.js';
import { buildViewModels } from '../../src/model/build.js';
import { breakTitle, titleWords } from '../../src/model/title.js';
import { fixtureApplicant, fixtureInput } from '../fixtures/docx/fixture.js';

/** The round's own terms, as shipped in data/programs/2022-shanghai.yaml. */
let terms: string[] = [];
beforeAll(async () => {
  terms = (await loadProgram('2022-shanghai')).title_terms;
});
const lines = (t: string) => t.split('\n');

describe('breakTitle (GB/T 9704 7.3.1)', () => {
  it('leaves a title that fits one line (20 Hanzi of 2号) alone', () => {
    expect(breakTitle('关于申报国家知识产权强市建设试点城区的函', terms)).toBe('关于申报国家知识产权强市建设试点城区的函');
  });

  it('wraps a longer one between words into balanced lines, never a line of one or two characters', () => {
    // Today Word and LibreOffice would leave "函" alone; the segmenter alone would split 示|范.
    expect(lines(breakTitle('关于申报国家级知识产权强国建设示范园区的函', terms))).toEqual(['关于申报国家级知识产权', '强国建设示范园区的函']);
    expect(lines(breakTitle('上海张江高新技术产业开发区管理委员会申报国家级知识产权强国建设示范园区创建工作报告', terms))).toEqual([
      '上海张江高新技术产业开发区',
      '管理委员会申报国家级知识产权',
      '强国建设示范园区创建工作报告',
    ]);
  });

  it('keeps the programme terms, numbers with their unit and closing marks with their word', () => {
    const words = titleWords('2022年上海市推荐试点示范城区、园区申报情况汇总表', terms);
    expect(words).toContain('2022年');
    expect(words).toContain('试点示范城区、');
    expect(words).toContain('汇总表');
    expect(words.join('')).toBe('2022年上海市推荐试点示范城区、园区申报情况汇总表');
  });

  it('uses the landscape width for a landscape title', () => {
    const t = '2022年上海市国家知识产权强国建设试点示范城区、园区推荐申报情况汇总表';
    for (const l of lines(breakTitle(t, terms, 29))) expect([...l].length).toBeLessThanOrEqual(29 + 2);
    expect(lines(breakTitle(t, terms, 29))).toHaveLength(2);
  });
});

describe('titles in the view models', () => {
  it('takes the user\'s own lines when they spell the same title, and warns and ignores them when not', () => {
    const a = fixtureApplicant();
    a.layout.titles = { report: ['上海市徐汇区人民政府申报', '国家知识产权强市建设试点城区', '创建工作报告'] };
    const own = buildViewModels(fixtureInput('2022-shanghai', a));
    expect(own.models.report.title).toBe('上海市徐汇区人民政府申报\n国家知识产权强市建设试点城区\n创建工作报告');
    expect(own.diagnostics).toEqual([]);

    a.layout.titles = { report: ['上海市徐汇区人民政府', '创建工作报告'] };
    const wrong = buildViewModels(fixtureInput('2022-shanghai', a));
    expect((wrong.models.report.title as string).replace(/\n/g, '')).toBe('上海市徐汇区人民政府申报国家知识产权强市建设试点城区创建工作报告');
    expect(wrong.diagnostics.map((d) => [d.code, d.path])).toEqual([['model.title-lines', ['layout', 'titles', 'report']]]);
    expect(wrong.diagnostics[0]!.message).toContain('与生成的标题');
  });
});
