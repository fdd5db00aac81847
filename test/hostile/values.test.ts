/**
 * Hostile values (issue 6), through the real pipeline: the CLI's `render` (validate → view
 * models → DOCX via docxtemplater → PDF by the native engine), on fixtures derived from
 * test/fixtures/good/minimal.yaml. Each case asserts what the user gets: the exit code, the
 * diagnostics, the DOCX opening under a strict parser, and the text the DOCX and PDF carry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/common/diagnostics.js';
import { materialFileName } from '../../src/docx/render.js';
import { evaluate } from '../../src/evaluate/index.js';
import { convertWithLibreOffice, findSoffice } from '../../src/pdf/libreoffice.js';
import { safeName } from '../../src/package/names.js';
import { validateFile } from '../../src/schema/validate.js';
import {
  assertDocxOpens,
  docxText,
  expectNoCrash,
  hasPdftotext,
  HOSTILE,
  isInside,
  MINIMAL,
  OVERVIEW_LINE,
  pdfText,
  replaceLine,
  run,
  snapshot,
  squash,
  tempLeftovers,
  tmp,
  walk,
  writeFile,
  yamlQuoted,
  removeTemps,
} from './helpers.js';

afterAll(removeTemps);

interface Rendered {
  code: number;
  out: string;
  diagnostics: Diagnostic[];
  /** file name → bytes */
  files: Map<string, Buffer>;
  pages: Map<string, number>;
  err: string;
}

/** `shenbao render FILE --out DIR --json [...]`, in-process, with what it wrote read back. */
async function render(file: string, ...args: string[]): Promise<Rendered> {
  const out = join(tmp('render'), 'out');
  const r = await run('render', file, '--out', out, '--json', ...args);
  expectNoCrash(r, expect);
  const report = JSON.parse(r.out) as { files?: { file: string; pages?: number }[]; diagnostics: Diagnostic[] };
  const files = new Map<string, Buffer>();
  const pages = new Map<string, number>();
  for (const f of report.files ?? []) {
    files.set(basename(f.file), readFileSync(f.file));
    if (f.pages) pages.set(basename(f.file), f.pages);
  }
  return { code: r.code, out, diagnostics: report.diagnostics, files, pages, err: r.err };
}

const docxOf = (r: Rendered) => [...r.files].filter(([n]) => n.endsWith('.docx'));
const pdfPath = (r: Rendered, name: string) => join(r.out, name);
const fixture = (name: string) => resolve(HOSTILE, name);
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('every command on every hostile fixture', () => {
  const fixtures = readdirSync(HOSTILE).filter((n) => n.endsWith('.yaml')).sort();

  it.each(fixtures)('%s: validate and check exit 0 with no stack trace', async (name) => {
    for (const argv of [['validate', fixture(name)], ['check', fixture(name)], ['check', '--json', fixture(name)]]) {
      const r = await run(...argv);
      expectNoCrash(r, expect);
      expect(r.code, `${argv.join(' ')}\n${r.err}`).toBe(0);
    }
  });
});

describe('a 20,000-character paragraph', () => {
  let para = '';
  for (let i = 1; para.length < 20_000; i++) para += `第${i}句：知识产权创造、运用、保护、管理和服务能力全面提升，指标A${i}稳步增长。`;
  para = para.slice(0, 20_000);
  let r: Rendered;

  beforeAll(async () => {
    // Not sample data: the sample watermark would interleave with the prose in pdftotext's reading.
    const text = replaceLine(replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: ${yamlQuoted(para)}`), 'sample: true', 'sample: false');
    r = await render(writeFile(tmp('long'), 'long-paragraph.yaml', text), '--only', 'report');
  }, 60_000);

  it('renders, whole, into the DOCX', () => {
    expect(r.code).toBe(0);
    expect([...r.files.keys()]).toEqual(['02-创建工作报告.docx', '02-创建工作报告.pdf']);
    const [[name, bytes]] = docxOf(r) as [[string, Buffer]];
    assertDocxOpens(bytes, name);
    expect(docxText(bytes)).toContain(para);
  });

  it('fills about the number of pages GB/T 9704 gives (22 lines of 28 characters), and pdftotext gives the text back', () => {
    // ~20,000 / 616 ≈ 33 pages of prose (ASCII digits are narrower), plus the report's other sections.
    const pages = r.pages.get('02-创建工作报告.pdf')!;
    expect(pages).toBeGreaterThanOrEqual(28);
    expect(pages).toBeLessThanOrEqual(45);
    if (!hasPdftotext) return;
    const text = pdfText(pdfPath(r, '02-创建工作报告.pdf'));
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(pages);
    // Page numbers (—12—) are the only thing laid between the lines of the paragraph.
    const body = squash(text).replace(/[—-]\d+[—-]/g, '');
    expect(body).toContain(squash(para));
  });
});

describe('control characters XML 1.0 forbids (\\u0000–\\u0008, \\u000B, \\u000C, \\u000E–\\u001F, \\uFFFE, \\uFFFF)', () => {
  let r: Rendered;
  let raw: Rendered;
  beforeAll(async () => {
    r = await render(fixture('control-chars.yaml'));
    // The same characters typed raw into the file (no escapes), as a paste from a spreadsheet brings them.
    const rawText = replaceLine(MINIMAL, OVERVIEW_LINE, '  overview: 徐汇区\u0001位于\u0008上海市\u000b中心\u000c城区\u001f西南部。');
    raw = await render(writeFile(tmp('raw-ctl'), 'raw-control.yaml', rawText), '--format', 'docx');
  }, 60_000);

  it('are removed with a warning naming the template and the field; the render succeeds', () => {
    expect(r.code).toBe(0);
    const warnings = r.diagnostics.filter((d) => d.code === 'docx.control-char');
    expect(warnings.length).toBeGreaterThanOrEqual(3);
    for (const w of warnings) {
      expect(w.severity).toBe('warning');
      expect(w.message).toMatch(/^数据中含有 Word 文件不允许的控制字符，已删除（模板 .+\.docx，字段 .+）$/);
    }
    const fields = warnings.map((w) => (w.path ?? []).join('.'));
    expect(fields).toContain('overview.0'); // the report's 基本情况
    expect(fields).toContain('note'); // the letter's 联系人 line
    expect(fields.some((f) => f.startsWith('tasks.0.'))).toBe(true); // the plan's task table
    expect(codes(r.diagnostics)).not.toContain('docx.template');
  });

  it('leave DOCX files whose every XML part parses strictly, with the text minus the characters', () => {
    const docs = docxOf(r);
    expect(docs).toHaveLength(3);
    for (const [name, bytes] of docs) assertDocxOpens(bytes, name);
    const report = docxText(r.files.get('02-创建工作报告.docx')!);
    expect(report).toContain('徐汇区位于上海市中心城区西南部，面积五十四点七六平方公里。');
    expect(docxText(r.files.get('01-申报函.docx')!)).toContain('王晓敏');
    expect(docxText(r.files.get('03-三年期示范工作方案.docx')!)).toContain('新建高价值专利培育中心10家。');
  });

  it('typed raw into the YAML, are removed the same way', () => {
    expect(raw.code).toBe(0);
    expect(codes(raw.diagnostics)).toContain('docx.control-char');
    const bytes = raw.files.get('02-创建工作报告.docx')!;
    assertDocxOpens(bytes, 'raw');
    expect(docxText(bytes)).toContain('徐汇区位于上海市中心城区西南部。');
  });

  it.skipIf(!hasPdftotext)('do not reach the PDF either', () => {
    const text = squash(pdfText(pdfPath(r, '02-创建工作报告.pdf')));
    expect(text).toContain('徐汇区位于上海市中心城区西南部，面积五十四点七六平方公里。');
  });

  it.skipIf(!findSoffice())('leave DOCX files LibreOffice converts', async () => {
    const dir = tmp('lo-ctl');
    const inputs = docxOf(r).map(([name, bytes]) => writeFile(dir, name, bytes));
    const pdfs = await convertWithLibreOffice(inputs, join(dir, 'pdf'), { timeoutMs: 120_000 });
    expect(pdfs).toHaveLength(3);
    if (hasPdftotext) expect(squash(pdfText(pdfs[1]!))).toContain('徐汇区位于上海市中心城区西南部');
  }, 120_000);
});

describe('lone UTF-16 surrogates (a "\\uD800" escape in YAML)', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await render(fixture('lone-surrogates.yaml'), '--format', 'docx');
  }, 60_000);

  it('are removed with a warning, never written as invalid UTF-8; a proper pair (an emoji) is kept', () => {
    expect(r.code).toBe(0);
    expect(r.diagnostics.filter((d) => d.code === 'docx.control-char').map((d) => (d.path ?? []).join('.'))).toContain('overview.0');
    const bytes = r.files.get('02-创建工作报告.docx')!;
    assertDocxOpens(bytes, '02-创建工作报告.docx');
    expect(docxText(bytes)).toContain('徐汇区位于上海市中心城区西南部，面积54.76平方公里。成对的代理项保留：\u{1F600}。');
  });
});

describe('template-looking text and XML markup in names and prose', () => {
  const literal = {
    name: '上海市{x}徐汇区{{x}}人民政府',
    signer: '上海市{#x}徐汇区{/x}人民政府',
    contact: '王<w:p>晓&amp;敏',
    overview: '徐汇区{x}位于{#x}上海市{/x}中心城区{{x}}西南部{{#each x}}，<w:p>面积</w:p>&amp;54.76]]>平方<![CDATA[公里]]>。{@x}{^x}{/x}{.}&lt;&#x41;<!-- 注释 -->',
    statement: '区政府建立了{{applicant_name}}牵头的{sample_note}联席会议制度{{#if x}}。',
  };
  let r: Rendered;
  beforeAll(async () => {
    r = await render(fixture('template-syntax.yaml'));
  }, 60_000);

  it('renders without a template error or a missing-value warning', () => {
    expect(r.code).toBe(0);
    expect(r.diagnostics.filter((d) => d.code.startsWith('docx.'))).toEqual([]);
    for (const [name, bytes] of docxOf(r)) assertDocxOpens(bytes, name);
  });

  it('appears literally in the DOCX text, neither expanded nor turned into markup', () => {
    const letter = docxText(r.files.get('01-申报函.docx')!);
    const report = docxText(r.files.get('02-创建工作报告.docx')!);
    expect(letter).toContain(literal.signer);
    expect(letter).toContain(literal.contact);
    expect(report).toContain(literal.name);
    expect(report).toContain(literal.overview);
    expect(report).toContain(literal.statement);
    // The round's handlebars statement receives the name as a value, never as a template.
    expect(report).toContain(`申报主体为${literal.name}`);
    // One <w:p> per paragraph the template made: the value's "<w:p>" is escaped text.
    const xml = new PizZip(r.files.get('01-申报函.docx')!).file('word/document.xml')!.asText();
    expect(xml).toContain('王&lt;w:p&gt;晓&amp;amp;敏');
  });

  it.skipIf(!hasPdftotext)('appears literally in the PDF text', () => {
    const letter = squash(pdfText(pdfPath(r, '01-申报函.pdf')));
    const report = squash(pdfText(pdfPath(r, '02-创建工作报告.pdf')));
    expect(letter).toContain(squash(literal.signer));
    expect(letter).toContain(squash(literal.contact));
    expect(report).toContain(squash(literal.name));
    expect(report).toContain(squash(literal.overview));
    expect(report).toContain(squash(literal.statement));
  });
});

describe('characters no available font has', () => {
  const chars = ['\u{E000}', '\u{1F600}', '\u{20000}'];
  let r: Rendered;
  let refused: Rendered;
  beforeAll(async () => {
    refused = await render(fixture('glyphs.yaml'));
    r = await render(fixture('glyphs.yaml'), '--allow-blank');
  }, 120_000);

  it('are an error by default: exit 1, each character reported once with its count, nothing written', () => {
    expect(refused.code).toBe(1);
    expect(refused.files.size).toBe(0);
    expect(existsSync(refused.out)).toBe(false);
    const missing = refused.diagnostics.filter((d) => d.code === 'pdf.glyph-missing');
    expect(missing.every((d) => d.severity === 'error')).toBe(true);
    const e000 = missing.filter((d) => d.received === '\u{E000}');
    expect(e000).toHaveLength(1);
    expect(e000[0]!.message).toContain('共 1 处');
    expect(e000[0]!.message).toContain('--allow-blank');
  });

  it('with --allow-blank still render: every DOCX and PDF is written', () => {
    expect(r.code).toBe(0);
    expect([...r.files.keys()].sort()).toEqual(
      ['01-申报函', '02-创建工作报告', '03-三年期示范工作方案'].flatMap((b) => [`${b}.docx`, `${b}.pdf`]).sort(),
    );
    expect(docxText(r.files.get('02-创建工作报告.docx')!)).toContain('徐汇区\u{E000}位于上海市\u{1F600}中心城区西南部\u{20000}，面积54.76平方公里。');
  });

  it('are each reported (pdf.glyph-missing) with the document, the paragraph and the text around them, or else drawn', () => {
    const text = hasPdftotext ? pdfText(pdfPath(r, '02-创建工作报告.pdf')) : '';
    const missing = r.diagnostics.filter((d) => d.code === 'pdf.glyph-missing');
    for (const ch of chars) {
      const d = missing.find((x) => x.received === ch);
      if (!d) {
        // Some machine has a font with it: then it is in the PDF.
        if (hasPdftotext) expect(text, `U+${ch.codePointAt(0)!.toString(16)} neither reported nor drawn`).toContain(ch);
        continue;
      }
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      expect(d.severity).toBe('warning');
      expect(d.file).toBe('02-创建工作报告.docx');
      expect(d.message).toContain(`所有可用字体中都没有字符“${ch}”（U+${hex}），共 1 处`);
      expect(d.message).toContain('PDF 中这些地方为空白');
      expect(d.message).toMatch(/第 \d+ 段第 \d+ 个字符（“[^”]*”）/);
    }
    // The private-use character is in no font anywhere: it must be reported here.
    expect(missing.map((d) => d.received)).toContain('\u{E000}');
    if (hasPdftotext) expect(squash(text)).toContain('面积54.76平方公里');
  });
});

describe('names that are paths, devices or too long', () => {
  const hostileNames: { short: string; why: string }[] = [
    { short: '../../../etc/passwd', why: 'climbs with ../' },
    { short: '..', why: 'the parent folder itself' },
    { short: '.', why: 'the folder itself' },
    { short: '...隐藏', why: 'leading dots: a hidden folder' },
    { short: 'a/b\\c:d*e?f"g<h>i|j', why: 'separators and characters Windows refuses' },
    { short: 'C:\\Windows\\System32', why: 'a drive path' },
    { short: '\\\\server\\share', why: 'a UNC path' },
    { short: '/etc', why: 'an absolute path' },
    { short: 'CON', why: 'a Windows device name' },
    { short: 'NUL', why: 'a Windows device name' },
    { short: 'aux.txt', why: 'a device name with an extension' },
    { short: '徐汇\t\u0001区', why: 'control characters' },
    { short: '徐'.repeat(200), why: '200 CJK characters (600 bytes)' },
    { short: 'x'.repeat(300), why: '300 ASCII characters' },
  ];

  /** A YAML whose short_name is `short` (double-quoted, any character). */
  const withShortName = (short: string) => replaceLine(MINIMAL, '  short_name: 徐汇区', `  short_name: ${yamlQuoted(short)}`);

  const assertSafeComponent = (name: string) => {
    expect(name).not.toMatch(/[\\/:*?"<>|\u0000-\u001f]/);
    expect(name.startsWith('.')).toBe(false);
    expect(name).not.toMatch(/[. ]$/);
    expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(200);
  };

  it('render without --out: everything lands in out/<sanitised name>/ under the working folder, nothing else changes', async () => {
    const root = tmp('names');
    const work = join(root, 'work');
    // Things a climbing name could hit.
    writeFile(root, 'etc/passwd', 'root:x:0:0\n');
    writeFile(root, 'sentinel.txt', 'untouched\n');
    writeFile(work, 'keep.txt', 'untouched\n');
    const files = hostileNames.map((n, i) => writeFile(root, `data/${i}.yaml`, withShortName(n.short)));
    const before = snapshot(root);
    const cwd = process.cwd();
    const folders: string[] = [];
    try {
      process.chdir(work);
      for (const [i, f] of files.entries()) {
        const r = await run('render', f, '--format', 'docx', '--json');
        expectNoCrash(r, expect);
        expect(r.code, hostileNames[i]!.why).toBe(0);
        const out = (JSON.parse(r.out) as { out: string }).out;
        expect(isInside(resolve(work, out), join(work, 'out')), `${hostileNames[i]!.why}: ${out}`).toBe(true);
        folders.push(resolve(work, out));
      }
    } finally {
      process.chdir(cwd);
    }
    const after = snapshot(root);
    // Only additions, all under work/out/.
    for (const [p, h] of before) expect(after.get(p), `${p} changed`).toBe(h);
    const added = [...after.keys()].filter((p) => !before.has(p));
    expect(added.length).toBeGreaterThan(0);
    for (const p of added) expect(p === join('work', 'out') || isInside(join(root, p), join(work, 'out')), p).toBe(true);
    // One folder per applicant directly under out/单独生成/ (render's default, apart from packages), each a safe name, each with the three documents
    // and render's hidden record of what it wrote there.
    for (const dir of new Set(folders)) {
      expect(resolve(dir, '..')).toBe(join(work, 'out', '单独生成'));
      assertSafeComponent(basename(dir));
      expect(walk(dir).map((p) => basename(p)).sort()).toEqual(['.shenbao-生成记录.json', '01-申报函.docx', '02-创建工作报告.docx', '03-三年期示范工作方案.docx']);
    }
    expect(basename(folders[0]!)).toBe('_.._.._etc_passwd-示范城区');
    expect(basename(folders[8]!)).toBe('CON-示范城区');
    expect(basename(folders[12]!)).toBe('徐'.repeat(50));
  }, 60_000);

  it('sanitises names on their own: device names, dots, separators, length in bytes', () => {
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('nul')).toBe('_nul');
    expect(safeName('aux.txt')).toBe('_aux.txt');
    expect(safeName('COM1.docx')).toBe('_COM1.docx');
    expect(safeName('..')).toBe('未命名');
    expect(safeName('.')).toBe('未命名');
    expect(safeName('   ')).toBe('未命名');
    expect(safeName('../../x')).toBe('_.._x');
    expect(safeName('a/b\\c:d')).toBe('a_b_c_d');
    expect(safeName('名称.')).toBe('名称');
    for (const { short } of hostileNames) assertSafeComponent(safeName(short));
    // Cut to length without leaving a trailing dot or space behind.
    expect(safeName(`${'徐'.repeat(49)} . 汇`)).not.toMatch(/[. ]$/);
  });

  it("a round whose file-name pattern uses the applicant's names cannot write outside or to a device", async () => {
    const dir = tmp('names-pattern');
    for (const { short } of hostileNames) {
      const v = await validateFile(writeFile(dir, 'a.yaml', withShortName(short)));
      if (!v.ok) throw new Error(JSON.stringify(v.diagnostics));
      const material = { ...v.program.materials[0]!, file_name: '{{applicant_short}}' };
      const name = materialFileName(material, { ...v, evaluation: evaluate(v.applicant, v.program, v.category, v.catalogue) });
      expect(name.endsWith('.docx')).toBe(true);
      assertSafeComponent(name.replace(/\.docx$/, ''));
    }
  });

  it('package: the folder, the zip and every zip entry stay inside the output folder (long and climbing names)', async () => {
    const root = tmp('names-pkg');
    const out = join(root, 'out');
    writeFile(root, 'sentinel.txt', 'untouched\n');
    // 120 CJK characters: before names were cut by bytes, this failed with ENAMETOOLONG.
    const cases = [{ short: `../..\\${'徐汇'.repeat(60)}` }, { short: '.hidden/../CON' }];
    const inputs = cases.map((c, i) => writeFile(root, `data/${i}.yaml`, withShortName(c.short)));
    const before = snapshot(root);
    for (const file of inputs) {
      const r = await run('package', file, '--out', out, '--json');
      expectNoCrash(r, expect);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as { name: string; dir: string; zip: string };
      assertSafeComponent(j.name);
      expect(resolve(j.dir, '..')).toBe(out);
      expect(resolve(j.zip)).toBe(join(out, `${j.name}.zip`));
      // The office unzips these: no entry may climb out or be absolute (zip slip).
      const entries = Object.keys(new PizZip(readFileSync(j.zip)).files);
      for (const e of entries) {
        expect(e.startsWith(`${j.name}/`), e).toBe(true);
        expect(e.split('/')).not.toContain('..');
        expect(e).not.toMatch(/\\|^\//);
      }
      for (const p of walk(j.dir)) assertSafeComponent(basename(p));
    }
    const after = snapshot(root);
    for (const [p, h] of before) expect(after.get(p), p).toBe(h);
    for (const p of [...after.keys()].filter((k) => !before.has(k))) {
      expect(p === 'out' || isInside(join(root, p), out), p).toBe(true);
    }
    expect(tempLeftovers(root)).toEqual([]);
  }, 60_000);
});
