import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDocuments, renderTemplate, shippedTemplatesDir, MISSING_VALUE } from '../../src/docx/render.js';
import { buildViewModels } from '../../src/model/build.js';
import { fixtureApplicant, fixtureInput } from '../fixtures/docx/fixture.js';
import { docText, partText, setPart } from './helpers.js';

const letterTemplate = () => readFileSync(join(shippedTemplatesDir(), '2022-shanghai', 'letter.docx'));

describe('renderDocuments', () => {
  const national = renderDocuments(fixtureInput('2022-national'));
  const byId = Object.fromEntries(national.files.map((f) => [f.materialId, f]));

  it('renders every document of the round without diagnostics', () => {
    expect(national.diagnostics).toEqual([]);
    expect(national.files.map((f) => f.fileName)).toEqual([
      '00-推荐函.docx',
      '01-申报函.docx',
      '02-创建工作报告.docx',
      '03-三年期试点工作方案.docx',
      '04-基本工作状况表.docx',
      '05-联系人回执.docx',
    ]);
  });

  it('puts the applicant facts into the letter', () => {
    const t = docText(byId.letter!.bytes);
    for (const s of ['徐府〔2022〕8号', '关于申报国家知识产权强市建设试点城区的函', '上海市知识产权局：', '附件：1.', '徐汇区国家知识产权强市建设试点城区三年期试点工作方案', '上海市徐汇区人民政府', '2022年2月15日', '王晓明', '021-64872222', '示例数据']) {
      expect(t).toContain(s);
    }
    expect(t).toMatch(/\u2014 +PAGE +1 \u2014/);
    expect(t).not.toMatch(/undefined|\{|\}/);
  });

  it('puts conditions, evidence, narrative and indicators into the report', () => {
    const t = docText(byId.report!.bytes);
    for (const s of [
      '一、基本情况',
      '二、申报条件符合情况',
      '（一）申报主体',
      '符合情况：符合。',
      '徐府发〔2021〕12号',
      '2021年6月30日',
      '《徐汇区知识产权“十四五”规划》',
      '三、近三年知识产权工作总结',
      '（一）知识产权创造质量稳步提升',
      '1.高价值专利培育',
      '（1）人工智能领域',
      '发明专利授权量',
      '3,120',
      '4,012',
      '15.0%',
      '2019年',
    ]) {
      expect(t).toContain(s);
    }
  });

  it('puts targets and the task breakdown into the plan', () => {
    const t = docText(byId.plan!.bytes);
    for (const s of ['三年期试点工作方案', '（2022—2024年）', '（一）指导思想', '1.坚持质量优先', '基期值（2021年）', '5,000', '区科委、区经委', '2024年底', '任务分解表']) {
      expect(t).toContain(s);
    }
  });

  it('fills the national forms', () => {
    expect(docText(byId['status-form']!.bytes)).toContain('54.76平方公里');
    // The receipt names the provincial office's liaison: a blank form, never the applicant's contact.
    expect(docText(byId['contact-receipt']!.bytes)).toContain('填报单位（盖章）');
    expect(docText(byId['contact-receipt']!.bytes)).not.toContain('wangxm@example.cn');
    expect(docText(byId.recommendation!.bytes)).toContain('上海市徐汇区人民政府');
  });

  it('is deterministic: same input, same bytes', () => {
    const again = renderDocuments(fixtureInput('2022-national'));
    expect(again.files.map((f) => f.bytes.equals(byId[f.materialId]!.bytes))).toEqual(again.files.map(() => true));
  });

  it('renders only the requested materials and rejects unknown ones', () => {
    const r = renderDocuments({ ...fixtureInput('2022-shanghai'), only: ['plan', 'nope'] });
    expect(r.files.map((f) => f.materialId)).toEqual(['plan']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['docx.unknown-material']);
  });

  it('uses a customised template from --templates over the shipped one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-tpl-'));
    writeFileSync(join(dir, 'letter.docx'), setPart(letterTemplate(), 'word/document.xml', (x) => x.replace('{closing}', '此致敬礼{closing}')));
    const r = renderDocuments({ ...fixtureInput('2022-shanghai'), templatesDir: dir });
    expect(r.diagnostics).toEqual([]);
    expect(docText(r.files[0]!.bytes)).toContain('此致敬礼特此函告。');
    expect(r.files).toHaveLength(3);
  });
});

describe('renderTemplate', () => {
  const model = () => buildViewModels(fixtureInput('2022-shanghai')).models.letter;

  it('renders tags split over several runs (as Word, WPS and LibreOffice save them)', () => {
    const split = setPart(letterTemplate(), 'word/document.xml', (x) =>
      x
        .replace('{number}', '{num</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">be</w:t></w:r><w:r><w:t xml:space="preserve">r}')
        .replace('{#body}', '{</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>#bo</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>dy}'),
    );
    const r = renderTemplate(split, model(), 'letter.docx');
    expect(r.diagnostics).toEqual([]);
    const t = partText(r.bytes!);
    expect(t).toContain('徐府〔2022〕8号');
    expect(t).toContain('对照申报条件');
  });

  it('places values literally, never as template syntax or XML', () => {
    const m = { ...model(), recipient: '{signer}{{x}}<w:p>&amp; A&B' };
    const r = renderTemplate(letterTemplate(), m, 'letter.docx');
    expect(r.diagnostics).toEqual([]);
    expect(partText(r.bytes!)).toContain('{signer}{{x}}<w:p>&amp; A&B：');
  });

  it('strips XML-invalid control characters with a warning', () => {
    const m = { ...model(), signer: '上海市\u0001徐汇区\u000b人民政府' };
    const r = renderTemplate(letterTemplate(), m, 'letter.docx');
    expect(partText(r.bytes!)).toContain('上海市徐汇区人民政府');
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'docx.control-char', path: ['signer'] }]);
  });

  it('shows a missing value as an explicit blank and warns, never "undefined"', () => {
    const m = model();
    delete m.number;
    const r = renderTemplate(letterTemplate(), m, 'letter.docx');
    const t = partText(r.bytes!);
    expect(t).toContain(MISSING_VALUE);
    expect(t).not.toContain('undefined');
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'docx.missing-value', received: 'number' }]);
  });

  it('reports every template error at once, naming the file and the tag', () => {
    const broken = setPart(letterTemplate(), 'word/document.xml', (x) =>
      x.replace('{number}', '{number').replace('{closing}', '{#closing}').replace('{date}', '{date | }'),
    );
    const r = renderTemplate(broken, model(), 'my-letter.docx');
    expect(r.bytes).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(3);
    for (const d of r.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.file).toBe('my-letter.docx');
      expect(d.message).toContain('my-letter.docx');
    }
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/closing/);
  });

  it('offers the number filters to customised templates', () => {
    const t = setPart(letterTemplate(), 'word/document.xml', (x) =>
      x.replace('{closing}', '{n | wan}/{a | amount}/{p | percent}/{cur | growth:prev}/{k | cn}/{d | date}'),
    );
    const r = renderTemplate(t, { ...model(), n: 123456, a: 12500, p: 0.0625, cur: 112.5, prev: 100, k: 12, d: '2022-02-15' }, 'x.docx');
    expect(r.diagnostics).toEqual([]);
    expect(partText(r.bytes!)).toContain('12.35万/1.25亿元/0.06%/12.5%/十二/2022年2月15日');
  });

  it('marks sample data only for sample applicants', () => {
    const a = fixtureApplicant();
    a.sample = false;
    const r = renderDocuments({ ...fixtureInput('2022-shanghai', a), only: ['letter'] });
    expect(docText(r.files[0]!.bytes)).not.toContain('示例数据');
  });
});
