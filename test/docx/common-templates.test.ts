import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { commonTemplatesDir, lintCommonTemplates } from '../../src/docx/lint.js';
import { renderTemplate } from '../../src/docx/render.js';
import { STATUS_LABEL } from '../../src/evaluate/types.js';
import { buildChecklistModel, buildCoverModel, buildSummaryModel } from '../../src/model/package.js';
import { COMMON_TEMPLATES, buildCommonTemplates } from '../../tools/common-templates.js';
import { loadExamples, summaryInput, type EvaluatedExample } from '../fixtures/examples.js';
import { partText, setPart } from './helpers.js';

const template = (name: string) => readFileSync(join(commonTemplatesDir(), `${name}.docx`));

function render(name: string, model: Record<string, unknown>): Buffer {
  const r = renderTemplate(template(name), model, `${name}.docx`);
  expect(r.diagnostics).toEqual([]);
  return r.bytes!;
}

const xml = (bytes: Buffer, part = 'word/document.xml') => new PizZip(bytes).file(part)?.asText();

let examples: EvaluatedExample[];
beforeAll(async () => {
  examples = await loadExamples();
});

const PARTS = [
  { number: '1', name: '申报函', page: 3 },
  { number: '2', name: '创建工作报告', page: 5 },
  { number: '3', name: '三年期试点工作方案', page: 19 },
];

describe('templates/common', () => {
  it('are exactly what tools/build-templates.ts generates (run `npm run templates` after editing it)', () => {
    const built = buildCommonTemplates();
    expect(Object.keys(built)).toEqual(COMMON_TEMPLATES);
    expect(COMMON_TEMPLATES).toEqual(['cover.docx', 'checklist.docx', 'summary.docx']);
    for (const [name, bytes] of Object.entries(built)) expect(readFileSync(join(commonTemplatesDir(), name)).equals(bytes), name).toBe(true);
  });

  it('pass lint', () => {
    expect(lintCommonTemplates()).toEqual([]);
  });

  it('lint names a misspelt tag in a customised copy and tolerates missing ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-common-lint-'));
    writeFileSync(join(dir, 'cover.docx'), setPart(template('cover'), 'word/document.xml', (x) => x.replace('{page}', '{pages}')));
    const d = lintCommonTemplates(dir);
    expect(d.filter((x) => x.severity === 'error').map((x) => [x.code, x.received])).toEqual([['lint.unknown-tag', 'pages']]);
    expect(d.filter((x) => x.code === 'lint.template-missing').map((x) => x.severity)).toEqual(['warning', 'warning']);
    expect(lintCommonTemplates(join(dir, 'nope'))[0]!.code).toBe('lint.dir');
  });

  it('keep the GB/T 9704 page: footer-less front matter, landscape summary', () => {
    const cover = template('cover');
    expect(xml(cover)).not.toContain('footerReference');
    expect(new PizZip(cover).file('word/footer1.xml')).toBeNull();
    expect(xml(cover, '[Content_Types].xml')).not.toContain('footer');
    const summary = xml(template('summary'))!;
    expect(summary).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    expect(summary).toContain('<w:pgMar w:top="1587" w:right="2098" w:bottom="1474" w:left="1984"');
    expect(summary).toContain('footerReference');
    for (const name of ['checklist', 'summary']) {
      expect(xml(template(name))).toContain('<w:tblHeader/>');
      expect(xml(template(name), 'word/footer2.xml')).toContain('PageNumberEven');
    }
    expect(xml(template('checklist'))).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
  });
});

describe('rendering the common templates with the examples', () => {
  it('cover: the applicant, the category, the date, and each material with its page', () => {
    const x = examples.find((e) => e.applicant.applicant.short_name === '闵行区')!;
    const bytes = render('cover', buildCoverModel({ ...x, parts: PARTS }));
    const text = partText(bytes);
    expect(text).toContain('申报单位：上海市闵行区人民政府');
    expect(text).toContain(`申报类别：${x.category.name}`);
    expect(text).toContain('2022年2月14日');
    expect(text).toContain('目　录');
    const lines = text.split('\n');
    for (const p of PARTS) expect(lines).toContain(`${p.number}　${p.name} ${p.page}`);
    // Two pages: the contents title starts the second.
    expect(xml(bytes)!.match(/TocTitle/g)).toHaveLength(1);
  });

  it('checklist: every condition with its status label', () => {
    for (const x of examples) {
      const bytes = render('checklist', buildChecklistModel({ ...x, warnings: ['字体方正小标宋简体未找到，已替代'] }));
      const text = partText(bytes);
      expect(text).toContain('内部自查用，不随申报材料报送');
      expect(text).toContain(x.applicant.applicant.name);
      // One table row per condition: title, then (a few cells on) its status label.
      const table = xml(bytes)!.split('</w:tbl>')[0]!;
      const rows = table.split('<w:tr>').slice(2).map((r) => r.replace(/<[^>]+>/g, ''));
      expect(rows).toHaveLength(x.evaluation.results.length);
      x.evaluation.results.forEach((r, i) => {
        expect(rows[i]).toContain(r.title);
        expect(rows[i]).toContain(STATUS_LABEL[r.status]);
      });
      const c = x.evaluation.counts;
      expect(text).toContain(`自查结果：符合${c.met}项，不符合${c.unmet}项，待补充${c.pending}项，待人工确认${c.review}项，具备优先条件${c.priority}项。`);
      expect(text).toContain('1.字体方正小标宋简体未找到，已替代');
      expect(text).not.toContain('提示信息：无');
    }
    const quiet = partText(render('checklist', buildChecklistModel({ ...examples[0]!, warnings: [] })));
    expect(quiet).toContain('提示信息：无。');
  });

  it('summary: each category with its quota, each applicant, each condition', () => {
    const input = summaryInput(examples);
    const bytes = render('summary', buildSummaryModel(input));
    const text = partText(bytes);
    for (const c of input.categories) expect(text).toContain(`${c.category.short_name}（推荐名额${c.category.quota}个，申报${c.applicants.length}家）`);
    for (const x of examples) {
      expect(text).toContain(x.applicant.applicant.name);
      for (const r of x.evaluation.results) expect(text).toContain(r.reason);
    }
    expect(text).toContain('一、示范城区（推荐名额2个，申报1家）');
    expect(text).toContain('有效发明专利拥有量（件）');
    expect(text).toContain('合计：提交数据文件5个；4个类别，申报5家');
    expect(partText(bytes, 'word/header1.xml')).toContain('示例数据');
  });

  it('summary: a category without applicants prints no empty tables', () => {
    const input = summaryInput(examples);
    const first = input.categories[0]!;
    const bytes = render('summary', buildSummaryModel({ program: input.program, categories: [{ category: first.category, applicants: [] }] }));
    expect(partText(bytes)).toContain('本类别无申报单位');
    expect(xml(bytes)).not.toContain('<w:tbl>');
  });

  it('gives the same bytes twice', () => {
    const x = examples[0]!;
    const input = summaryInput(examples);
    for (const [name, model] of [
      ['cover', () => buildCoverModel({ ...x, parts: PARTS })],
      ['checklist', () => buildChecklistModel({ ...x, warnings: ['w'] })],
      ['summary', () => buildSummaryModel(input)],
    ] as const) {
      expect(render(name, model()).equals(render(name, model())), name).toBe(true);
    }
  });
});
