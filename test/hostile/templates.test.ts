/**
 * Broken customised templates (`--templates DIR`, issue 6). People edit these in Word and WPS,
 * rename files, and zip folders by hand. The contract, for render, package and batch:
 *
 * - exit 1 (the input is wrong, not the machine), a Chinese message naming the template file
 *   and, where there is one, the tag; never a stack trace;
 * - when any document fails, nothing is written: the --out folder is not created, and one that
 *   already exists keeps exactly the files it had.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoCrash, hasBuild, MINIMAL_FILE, ROOT, run, snapshot, tempLeftovers, tmp, walk, writeFile, removeTemps } from './helpers.js';

afterAll(removeTemps);

const SHIPPED = resolve(ROOT, 'templates/2022-shanghai');
const shipped = (name: string) => readFileSync(join(SHIPPED, name));

/** A shipped template with one XML part edited. */
function editPart(name: string, part: string, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(shipped(name));
  const xml = zip.file(part)!.asText();
  const edited = edit(xml);
  if (edited === xml) throw new Error(`fixture: edit of ${name}:${part} changed nothing`);
  zip.file(part, edited);
  return zip.generate({ type: 'nodebuffer' });
}

interface Case {
  why: string;
  /** Template file name in the folder → its bytes (or 'dir' for a folder with that name). */
  files: Record<string, Buffer | string | 'dir'>;
  /** Substrings of one error message (the template's path is prefixed by the test). */
  message: string[];
  /** The tag the message must name, as {tag}. */
  tag?: string;
}

const cases: Case[] = [
  {
    why: 'a text file named letter.docx',
    files: { 'letter.docx': '这不是 Word 文件，只是改了扩展名。\n' },
    message: ['不是有效的 DOCX 文件（无法作为 zip 压缩包打开'],
  },
  {
    why: 'an empty letter.docx',
    files: { 'letter.docx': Buffer.alloc(0) },
    message: ['不是有效的 DOCX 文件（无法作为 zip 压缩包打开'],
  },
  {
    why: 'a zip cut short (an interrupted copy)',
    files: { 'letter.docx': shipped('letter.docx').subarray(0, 3000) },
    message: ['不是有效的 DOCX 文件'],
  },
  {
    why: 'a zip without word/document.xml',
    files: {
      'letter.docx': (() => {
        const zip = new PizZip(shipped('letter.docx'));
        zip.remove('word/document.xml');
        return zip.generate({ type: 'nodebuffer' });
      })(),
    },
    message: ['不是有效的 DOCX 文件（缺少正文部件 word/document.xml）'],
  },
  {
    why: 'document.xml that is not well-formed XML',
    files: { 'letter.docx': editPart('letter.docx', 'word/document.xml', (x) => x.replace('</w:body>', '')) },
    message: ['不是有效的 DOCX 文件（其中的 word/document.xml 不是格式正确的 XML）'],
  },
  {
    why: 'a folder named letter.docx',
    files: { 'letter.docx': 'dir' },
    message: ['无法读取模板', '这是一个文件夹，不是文件'],
  },
  {
    why: '{#conditions} never closed',
    files: { 'report.docx': editPart('report.docx', 'word/document.xml', (x) => x.replace('{#conditions}', '{#conditions}{#conditions}')) },
    message: ['中的标签 {conditions} 有误：循环 {#conditions} 没有对应的结束标签 {/conditions}'],
    tag: 'conditions',
  },
  {
    why: '{name unclosed',
    files: { 'letter.docx': editPart('letter.docx', 'word/document.xml', (x) => x.replace('{number}', '{name')) },
    message: ['中的标签 {name} 有误：标签缺少右花括号“}”'],
    tag: 'name',
  },
  {
    why: 'a closing tag that does not match',
    files: { 'letter.docx': editPart('letter.docx', 'word/document.xml', (x) => x.replace('{/body}', '{/bdy}')) },
    message: ['有误：开始标签 {#body} 与结束标签 {/bdy} 不一致'],
  },
  {
    why: 'a broken tag in the header, not the body',
    files: { 'letter.docx': editPart('letter.docx', 'word/header1.xml', (x) => x.replace(/<w:t( [^>]*)?>/, (m) => `${m}{#oops}`)) },
    message: ['中的标签 {oops} 有误：循环 {#oops} 没有对应的结束标签 {/oops}'],
    tag: 'oops',
  },
  {
    why: 'an unknown (misspelt) tag',
    files: { 'letter.docx': editPart('letter.docx', 'word/document.xml', (x) => x.replace('{number}', '{numbre}')) },
    message: ['中的标签 {numbre} 在文档数据中找不到字段 numbre'],
    tag: 'numbre',
  },
  {
    why: 'an unknown field inside a loop',
    files: { 'plan.docx': editPart('plan.docx', 'word/document.xml', (x) => x.replace('{lead}', '{leader}')) },
    message: ['中的标签 {leader} 在文档数据中找不到字段 leader'],
    tag: 'leader',
  },
];

function templatesDir(c: Case): string {
  const dir = tmp('tpl');
  for (const [name, content] of Object.entries(c.files)) {
    if (content === 'dir') mkdirSync(join(dir, name), { recursive: true });
    else writeFile(dir, name, content);
  }
  return dir;
}

/** The error lines name the broken template by path, say what is wrong and name the tag. */
function expectTemplateError(err: string, dir: string, c: Case): void {
  const broken = Object.keys(c.files).map((n) => join(dir, n));
  const lines = err.split('\n').filter((l) => l.trim());
  expect(lines.length, err).toBeGreaterThan(0);
  const hit = lines.find((l) => c.message.every((m) => l.includes(m)));
  expect(hit, `no line with ${c.message.join(' … ')} in:\n${err}`).toBeDefined();
  expect(broken.some((b) => hit!.includes(`模板 ${b}`) || hit!.startsWith(b)), hit).toBe(true);
  if (c.tag) expect(hit).toContain(`{${c.tag}}`);
  // Chinese, and nothing from JavaScript or the libraries' English.
  expect(hit).toMatch(/[\u4e00-\u9fff]/);
  expect(err).not.toMatch(/is unclosed|is unopened|Corrupted zip|central directory|Error:|\n\s+at /);
}

describe('render --templates DIR with a broken template', () => {
  it.each(cases)('$why: exit 1, a Chinese message naming the file and tag, nothing written', async (c) => {
    const dir = templatesDir(c);
    const out = join(tmp('tpl-out'), 'out');
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', out);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(1);
    expectTemplateError(r.err, dir, c);
    expect(walk(out)).toEqual([]);
  });

  it('writes nothing when one of three documents fails, and leaves an existing folder as it was', async () => {
    const c = cases.find((x) => x.why === '{#conditions} never closed')!;
    const dir = templatesDir(c);
    const out = tmp('tpl-existing');
    writeFile(out, '01-申报函.docx', 'an earlier render');
    writeFile(out, '备注.txt', '用户自己的文件');
    const before = snapshot(out);
    // PDF too: the conversion must not start on a partial set either.
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', out, '--format', 'docx,pdf');
    expect(r.code).toBe(1);
    expect(snapshot(out)).toEqual(before);
    expect(tempLeftovers(out)).toEqual([]);
  });

  it('--json gives the same errors as data', async () => {
    const c = cases.find((x) => x.why === 'an unknown (misspelt) tag')!;
    const dir = templatesDir(c);
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', join(tmp('tpl-json'), 'o'), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { ok: boolean; diagnostics: { severity: string; code: string; file: string; received: string }[] };
    expect(j.ok).toBe(false);
    expect(j.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'lint.unknown-tag', file: join(dir, 'letter.docx'), received: 'numbre' }));
  });

  it('templates lint DIR reports every one of these templates the same way (exit 1)', async () => {
    for (const c of cases) {
      const dir = templatesDir(c);
      const r = await run('templates', 'lint', dir);
      expectNoCrash(r, expect);
      expect(r.code, c.why).toBe(1);
      expectTemplateError(r.err, dir, c);
    }
  });
});

describe('package and batch --templates DIR with a broken template', () => {
  const notZip = cases[0]!;
  const unknownTag = cases.find((x) => x.why === 'an unknown (misspelt) tag')!;

  it.each([notZip, unknownTag])('package, $why: exit 1, the message, no package folder or zip', async (c) => {
    const dir = templatesDir(c);
    const out = join(tmp('tpl-pkg'), 'out');
    const r = await run('package', MINIMAL_FILE, '--templates', dir, '--out', out);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expectTemplateError(r.err, dir, c);
    expect(walk(out)).toEqual([]);
  });

  it.skipIf(!hasBuild)('batch: every applicant fails against the template, exit 1, no package written', async () => {
    const dir = templatesDir(unknownTag);
    const data = tmp('tpl-batch-data');
    writeFile(data, 'a.yaml', readFileSync(MINIMAL_FILE));
    const out = join(tmp('tpl-batch'), 'out');
    const r = await run('batch', data, '--templates', dir, '--out', out, '--jobs', '1');
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toContain('✗');
    expect(r.err).toContain(`{${unknownTag.tag}}`);
    // The office's summary lists every submitted file, failed ones with their reason (README): it is no package.
    expect(walk(out).filter((p) => /\.(zip|docx|pdf)$/.test(p) && !p.includes(`${sep}汇总${sep}`))).toEqual([]);
    expect(readFileSync(join(out, '汇总', '申报情况汇总表.csv'), 'utf8')).toMatch(/a\.yaml,.*未生成：/);
    expect(tempLeftovers(join(out, '..'))).toEqual([]);
  }, 60_000);
});
