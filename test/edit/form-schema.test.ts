/**
 * The editor's form is generated from the published JSON Schema (src/edit/ui/editor/schema.ts):
 * every value of every example must find its schema node and a shape the form can draw, long
 * text must be recognised as paragraphs, and choices must carry their Chinese names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { publishedJsonSchema } from '../../src/schema/json-schema.js';
import { emptyValue, schemaAt, shapeOf, type JsonSchema } from '../../src/edit/ui/editor/schema.js';

const root = (await publishedJsonSchema()) as JsonSchema;
const shape = (p: (string | number)[]) => shapeOf(root, schemaAt(root, p)!);
const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml'));

/** Every leaf of the data with its path (a prose list counts as one leaf). */
function leaves(v: unknown, p: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') && p.length && shape(p).kind === 'prose' ? [p] : v.flatMap((x, i) => leaves(x, [...p, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...p, k]));
  return [p];
}

describe('the form generated from the applicant schema', () => {
  it.each(examples)('has a field for every value of %s', (name) => {
    const data = parse(readFileSync(path.join('examples', name), 'utf8')) as unknown;
    const missing = leaves(data).filter((p) => !schemaAt(root, p));
    expect(missing).toEqual([]);
    for (const p of leaves(data)) expect(['string', 'number', 'boolean', 'enum', 'prose']).toContain(shape(p).kind);
  });

  it('draws long text as paragraphs and short text as a line', () => {
    for (const p of [['report', 'overview'], ['report', 'summary', 0, 'paragraphs'], ['report', 'summary', 0, 'sections', 1, 'paragraphs'], ['conditions', 'sh-demo-district-leadership', 'statement'], ['plan', 'guiding_ideas'], ['plan', 'tasks', 2, 'content']]) {
      expect(shape(p).kind, p.join('.')).toBe('prose');
    }
    for (const p of [['letter', 'number'], ['report', 'summary', 0, 'title'], ['contact', 'mobile'], ['plan', 'tasks', 0, 'deadline']]) {
      expect(shape(p).kind, p.join('.')).toBe('string');
    }
    expect(shape(['indicators', '2021', 'population'])).toEqual({ kind: 'number', integer: false });
    expect(shape(['plan', 'period', 'start'])).toEqual({ kind: 'number', integer: true });
    expect(shape(['indicators']).kind).toBe('map');
    expect(shape(['report', 'summary']).kind).toBe('list');
  });

  it('offers choices by their Chinese names, without the aliases as separate choices', () => {
    const kind = shape(['applicant', 'kind']);
    expect(kind.kind === 'enum' && kind.options).toContainEqual({ value: 'district_government', label: '区人民政府（district_government）' });
    const category = shape(['category']);
    if (category.kind !== 'enum') throw new Error('category is not a choice');
    expect(category.options.map((o) => o.value)).toEqual(['demo-city', 'demo-county', 'demo-park', 'pilot-city', 'pilot-county', 'pilot-park', 'demo-district', 'pilot-district']);
    expect(category.options.find((o) => o.value === 'pilot-park')?.label).toBe('试点园区（pilot-park）');
  });

  it('starts a new section or evidence entry with its required fields, empty', () => {
    expect(emptyValue(root, schemaAt(root, ['report', 'summary', 0])!)).toEqual({ title: '' });
    expect(emptyValue(root, schemaAt(root, ['conditions', 'x', 'evidence', 0])!)).toEqual({ title: '', date: '' });
    expect(emptyValue(root, schemaAt(root, ['conditions', 'x'])!)).toEqual({ statement: '' });
  });
});

describe('a data path in words', () => {
  it('names each step by its Chinese title, list items by number and map keys by their names', async () => {
    const { describePath } = await import('../../src/edit/ui/editor/schema.js');
    expect(describePath(root, ['letter', 'number'])).toBe('申报函 › 发文字号');
    expect(describePath(root, ['report', 'summary', 1, 'sections', 0, 'paragraphs'])).toBe('创建工作报告 › 近三年知识产权工作总结 第 2 项 › 下级标题 第 1 项 › 正文段落');
    expect(describePath(root, ['conditions', 'sh-demo-district-strength', 'statement'], (k) => (k === 'sh-demo-district-strength' ? '综合实力' : undefined))).toBe('申报条件符合情况 › 综合实力 › 符合情况说明');
    expect(describePath(root, ['indicators', '2021', 'population'], (k) => ({ '2021': '2021年', population: '常住人口' })[k])).toBe('近三年指标 › 2021年 › 常住人口');
  });
});

describe('long text in a text box', () => {
  it('shows a block as its paragraphs and gives it back as a block, final newline and all', async () => {
    const { proseText, proseValue } = await import('../../src/edit/ui/editor/prose.js');
    const data = parse(readFileSync('examples/xuhui-demo-district.yaml', 'utf8')) as { report: { overview: string } };
    const block = data.report.overview;
    expect(block.endsWith('\n')).toBe(true);
    const text = proseText(block);
    expect(text.split('\n\n')).toHaveLength(3);
    expect(proseValue(text, block)).toBe(block);
    expect(proseValue(`${text}\n\n第四段。`, block)).toBe(`${block}\n第四段。\n`);
  });

  it('keeps a list of paragraphs a list, a blank line starting the next one', async () => {
    const { proseText, proseValue } = await import('../../src/edit/ui/editor/prose.js');
    const list = ['第一段。', '第二段。'];
    expect(proseText(list)).toBe('第一段。\n\n第二段。');
    expect(proseValue('第一段。\n\n第二段。\n  \n第三段。\n', list)).toEqual(['第一段。', '第二段。', '第三段。']);
    expect(proseValue('只有一行', 'only one line without newline')).toBe('只有一行');
  });
});
