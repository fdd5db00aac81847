/**
 * Invisible and bidi characters pasted from web pages, WeChat or Word (issue 12): each of the
 * ones that used to crash the PDF engine goes through validate → package. Validation names the
 * line and the character; the package is built (exit 0); no document carries the character.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsOf, lineOf } from '../cli/helpers.js';
import { docxText, expectNoCrash, hasPdftotext, MINIMAL, OVERVIEW_LINE, pdfText, removeTemps, replaceLine, run, tmp, writeFile, yamlQuoted } from './helpers.js';

afterAll(removeTemps);

const CHARS = [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202e, 0x2060, 0xfe0f, 0xfffc, 0x034f, 0x00ad, 0xfeff, 0x2066];
const BIDI = new Set([0x200e, 0x200f, 0x202a, 0x202e, 0x2066]);
const code = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** minimal.yaml with the overview made of one sentence per character, each with that character inside. */
function applicant(): string {
  const sentences = CHARS.map((cp, i) => `第${i + 1}句知识${String.fromCodePoint(cp)}产权。`);
  return replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: ${yamlQuoted(sentences.join(''))}`);
}

describe('every invisible or bidi character, through validate and package', () => {
  let dir: string;
  let text: string;
  let pkg: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    dir = tmp('invisible');
    text = applicant();
    writeFile(dir, 'a.yaml', text);
    pkg = await run('package', join(dir, 'a.yaml'), '--out', join(dir, 'out'));
  }, 120_000);

  it.each(CHARS.map((cp) => [code(cp), cp] as const))('validate accepts %s in a value and names it at its line', async (name, cp) => {
    const one = replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: ${yamlQuoted(`徐汇区知识${String.fromCodePoint(cp)}产权工作。`)}`);
    const d = await diagnosticsOf(writeFile(tmp('one'), 'a.yaml', one));
    expect(d.code).toBe(0);
    const found = d.diagnostics.filter((x) => x.code === (BIDI.has(cp) ? 'text.bidi' : 'text.invisible'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: lineOf(one, 'overview:'), label: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(found[0]!.message).toContain(name);
    expect(found[0]!.message).toMatch(BIDI.has(cp) ? /双向文字控制符.*已删除/ : /不可见的格式字符.*已删除/);
  });

  it('package builds (exit 0), and no document carries any of them', () => {
    expectNoCrash(pkg, expect);
    expect(pkg.code, pkg.err).toBe(0);
    const folder = join(dir, 'out', '徐汇区-示范城区');
    const docx = docxText(readFileSync(join(folder, '02-创建工作报告.docx')));
    expect(docx).toContain('第1句知识产权。');
    for (const cp of CHARS) expect(docx.includes(String.fromCodePoint(cp)), code(cp)).toBe(false);
    if (hasPdftotext) {
      const pdf = pdfText(join(folder, '02-创建工作报告.pdf')).replace(/\s+/g, '');
      expect(pdf).toContain('第14句知识产权。');
      for (const cp of CHARS) if (!BIDI.has(cp)) expect(pdf.includes(String.fromCodePoint(cp)), code(cp)).toBe(false);
    }
  });
});
