/**
 * Customised templates built to exhaust memory or time, or to inject markup (issue 12). Each is
 * run through the real CLI in a child node with a 512 MB heap and a time limit: `templates
 * lint` and `render`/`package` both refuse it with a Chinese message naming the template and
 * what limit it passed, exit 1, nothing written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/docx/render.js';
import { TEMPLATE_LIMITS } from '../../src/docx/limits.js';
import { assertDocxOpens, docxText, expectNoCrash, hasBuild, MINIMAL_FILE, removeTemps, ROOT, run, spawnBounded, tmp, writeFile } from './helpers.js';

afterAll(removeTemps);

const LETTER = readFileSync(resolve(ROOT, 'templates/2022-shanghai/letter.docx'));
const BODY_LOOP = /<w:p><w:pPr><w:pStyle w:val="Normal"\/><\/w:pPr><w:r><w:t xml:space="preserve">\{#body\}<\/w:t><\/w:r><\/w:p>.*?\{\/body\}<\/w:t><\/w:r><\/w:p>/;

/** The shipped letter with its document.xml edited; fails loudly if the edit matched nothing. */
function letterWith(edit: (xml: string) => string): Buffer {
  const zip = new PizZip(LETTER);
  const xml = zip.file('word/document.xml')!.asText();
  const edited = edit(xml);
  if (edited === xml) throw new Error('fixture: the edit changed nothing');
  zip.file('word/document.xml', edited);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
/** The body loop replaced by `inner` nested in `depth` body loops, in one paragraph. */
const nested = (loop: string, depth: number, inner: string) => letterWith((x) => x.replace(BODY_LOOP, para(`${`{#${loop}}`.repeat(depth)}${inner}${`{/${loop}}`.repeat(depth)}`)));
const nestedBody = (depth: number, inner: string) => nested('body', depth, inner);

const bombs: { why: string; bytes: () => Buffer; message: RegExp }[] = [
  {
    why: '50 MB of paragraphs deflated into a small file',
    bytes: () => letterWith((x) => x.replace('<w:sectPr>', `${para('炸').repeat(50 * 1024 * 1024 / 50)}<w:sectPr>`)),
    message: /解压后的 XML 超过 8 MB 上限（word\/document\.xml）/,
  },
  {
    why: 'half a million empty paragraphs (under the size limit)',
    bytes: () => letterWith((x) => x.replace('<w:sectPr>', `${'<w:p/>'.repeat(500_000)}<w:sectPr>`)),
    message: /XML 元素超过 40 万个的上限/,
  },
  {
    why: 'a loop nested 21 deep',
    bytes: () => nestedBody(21, '{.}'),
    message: /循环嵌套.*21 层.*超过 4 层的上限/,
  },
];

describe.skipIf(!hasBuild)('template bombs', () => {
  it.each(bombs)('$why: lint and package refuse it (exit 1), bounded, nothing written', async ({ bytes, message }) => {
    const b = bytes();
    expect(b.length).toBeLessThan(400 * 1024);
    const dir = tmp('bomb');
    writeFile(dir, 'letter.docx', b);
    const lint = await spawnBounded(['templates', 'lint', dir], { timeoutMs: 30_000 });
    expect(lint.timedOut).toBe(false);
    expectNoCrash(lint, expect);
    expect(lint.code).toBe(1);
    expect(lint.out + lint.err).toMatch(message);

    const out = join(tmp('bomb-out'), 'out');
    const pkg = await spawnBounded(['package', MINIMAL_FILE, '--templates', dir, '--out', out], { timeoutMs: 60_000 });
    expect(pkg.timedOut).toBe(false);
    expectNoCrash(pkg, expect);
    expect(pkg.code).toBe(1);
    expect(pkg.err).toContain(join(dir, 'letter.docx'));
    expect(pkg.err).toMatch(message);
    expect(existsSync(out)).toBe(false);
  }, 100_000);
});

describe('the render itself is bounded', () => {
  it('a loop body of 2 MB repeated 4 deep (over the three attachments) stops at the output limit, not at memory', async () => {
    const dir = tmp('output');
    writeFile(dir, 'letter.docx', nested('attachments', 4, `{name}${'长'.repeat(2 * 1024 * 1024)}`));
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', join(dir, 'out'), '--format', 'docx');
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`生成的内容超过 ${TEMPLATE_LIMITS.outputChars / 10_000} 万字符`));
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('a loop nested 4 deep over a short list still renders', async () => {
    const dir = tmp('depth4');
    writeFile(dir, 'letter.docx', nestedBody(4, '{.}'));
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', join(dir, 'out'), '--format', 'docx');
    expect(r.code, r.err).toBe(0);
  }, 60_000);
});

describe('raw-XML tags', () => {
  const raw = letterWith((x) => x.replace('<w:t xml:space="preserve">{closing}</w:t>', '<w:t xml:space="preserve">{@closing}</w:t>'));

  it('are refused in a customised template by lint and by render (exit 1)', async () => {
    const dir = tmp('raw');
    writeFile(dir, 'letter.docx', raw);
    const lint = await run('templates', 'lint', dir);
    expect(lint.code).toBe(1);
    expect(lint.out + lint.err).toMatch(/\{@closing\} 会把数据当作 Word 内部格式插入，不支持；请改为 \{closing\}/);
    const r = await run('render', MINIMAL_FILE, '--templates', dir, '--out', join(dir, 'out'), '--format', 'docx');
    expect(r.code).toBe(1);
    expect(r.err).toContain('{@closing}');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('place their value as escaped text when rendered directly: the DOCX opens and shows the characters', () => {
    const value = '上海市</w:t></w:r></w:p><w:p>徐汇区 & <人民政府>';
    const r = renderTemplate(raw, { closing: value, body: [], attachments: [] } as never, 'letter.docx');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    assertDocxOpens(r.bytes!);
    expect(docxText(r.bytes!)).toContain(value);
  });
});

describe('values that are not text', () => {
  it('{this} over a list of records prints a visible blank and a warning, never [object Object]', () => {
    const t = letterWith((x) => x.replace('{name}', '{this}'));
    const r = renderTemplate(t, { attachments: [{ first: true, number: '1.', name: '甲' }], body: ['正文'] } as never, 'letter.docx');
    assertDocxOpens(r.bytes!);
    const text = docxText(r.bytes!);
    expect(text).not.toContain('[object Object]');
    expect(text).toContain('＿＿＿＿');
    expect(r.diagnostics.map((d) => d.code)).toContain('docx.object-value');
  });

  it('a list of strings placed as text is joined with 、', () => {
    const t = letterWith((x) => x.replace('{closing}', '{body}'));
    const r = renderTemplate(t, { body: ['甲', '乙'], attachments: [] } as never, 'letter.docx');
    expect(docxText(r.bytes!)).toContain('甲、乙');
  });
});

describe('the well-formedness check on rendered parts', () => {
  it('agrees with an XML parser on every part of every shipped template and on broken markup', async () => {
    const { xmlNotWellFormed } = await import('../../src/common/xml.js');
    const { DOMParser, onErrorStopParsing } = await import('@xmldom/xmldom');
    const parses = (x: string) => {
      try {
        new DOMParser({ onError: onErrorStopParsing }).parseFromString(x, 'application/xml');
        return true;
      } catch {
        return false;
      }
    };
    const { readdirSync } = await import('node:fs');
    const samples: string[] = ['<a><b></a>', '<a>&foo</a>', '<a x="1>', '<a>1 < 2</a>', '<a/><b/>', '<a>', '</a>', '<a x="&bad"/>', '<a>&amp;&#x4E00;&#20013;<![CDATA[<<]]><!-- <c> --></a>'];
    for (const dir of ['2022-shanghai', '2022-national', 'common']) {
      for (const f of readdirSync(resolve(ROOT, 'templates', dir))) {
        const zip = new PizZip(readFileSync(resolve(ROOT, 'templates', dir, f)));
        for (const n of Object.keys(zip.files)) if (/\.(xml|rels)$/.test(n)) samples.push(zip.file(n)!.asText());
      }
    }
    expect(samples.length).toBeGreaterThan(50);
    for (const x of samples) expect(xmlNotWellFormed(x) === undefined, x.slice(0, 80)).toBe(parses(x));
  });
});

describe('filters on figures a customised template may use', () => {
  it('cn writes digits beyond 万亿 instead of 十undefined; NaN and infinities are not formatted', async () => {
    const { FILTERS } = await import('../../src/docx/filters.js');
    expect(FILTERS.cn!(12)).toBe('十二');
    expect(FILTERS.cn!(1e17)).not.toMatch(/undefined/);
    expect(FILTERS.cn!(1e17)).toBe('100,000,000,000,000,000');
  });

  it('a figure that is NaN or infinite prints a visible blank, never NaN% or Infinity', () => {
    const t = letterWith((x) => x.replace('{closing}', '{closing | percent}{title | amount}'));
    const r = renderTemplate(t, { closing: Number.NaN, title: Number.POSITIVE_INFINITY, body: [], attachments: [] } as never, 'letter.docx');
    const text = docxText(r.bytes!);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(text).toContain('＿＿＿＿＿＿＿＿');
  });
});

describe.skipIf(!hasBuild || process.platform === 'win32')('a FIFO named like a template', () => {
  it('is refused by lint and by render without blocking', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = tmp('fifo-tpl');
    execFileSync('mkfifo', [join(dir, 'letter.docx')]);
    const lint = await spawnBounded(['templates', 'lint', dir], { timeoutMs: 30_000 });
    expect(lint.timedOut).toBe(false);
    expect(lint.code).toBe(1);
    expect(lint.out + lint.err).toMatch(/letter\.docx.*不是普通文件（管道）/);
    const r = await spawnBounded(['render', MINIMAL_FILE, '--templates', dir, '--out', join(dir, 'out'), '--format', 'docx'], { timeoutMs: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/不是普通文件（管道）/);
  }, 70_000);
});
