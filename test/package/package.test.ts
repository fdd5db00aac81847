import { pdfPagesText } from '../pdf-text.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PizZip from 'pizzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, readOutlineTitles, sha256, type PackageResult } from '../../src/package/index.js';
import { pdfConverter } from '../../src/pdf/engine.js';
import { validateFile, type ValidApplicant } from '../../src/schema/validate.js';
import { main } from '../../src/cli/main.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { PACKAGE_ENGINE } from './engine.js';

const hasEngine = PACKAGE_ENGINE === 'native' || Boolean(findSoffice());

async function valid(file: string): Promise<ValidApplicant> {
  const r = await validateFile(file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r;
}

/** Read back with pdf.js, so the test needs no poppler. */
async function pdfText(file: string): Promise<string> {
  return (await pdfPagesText(readFileSync(file))).join('\f');
}

describe.skipIf(!hasEngine)('shenbao package', () => {
  let out: string;
  let result: PackageResult;
  let v: ValidApplicant;

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'shenbao-pkg-'));
    v = await valid('examples/xuhui-demo-district.yaml');
    result = await buildPackage(v, { outDir: out, converter: await pdfConverter(PACKAGE_ENGINE, {}), version: 'test' });
  }, 180_000);

  it('holds every material of the round as DOCX and PDF, numbered in the notice order', () => {
    const names = readdirSync(result.dir).sort();
    expect(result.name).toBe('徐汇区-示范城区');
    for (const base of ['01-申报函', '02-创建工作报告', '03-三年期示范工作方案']) {
      expect(names).toContain(`${base}.docx`);
      expect(names).toContain(`${base}.pdf`);
    }
    expect(names).toContain('徐汇区-示范城区-材料汇编.pdf');
    expect(names).toContain('内部-申报条件自查表.docx');
    expect(names).toContain('manifest.json');
    // nothing half-written left next to it
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('has a manifest whose sha256, sizes and page counts match the files', () => {
    const manifest = JSON.parse(readFileSync(path.join(result.dir, 'manifest.json'), 'utf8'));
    expect(manifest.files.length).toBeGreaterThanOrEqual(9);
    for (const f of manifest.files) {
      const bytes = readFileSync(path.join(result.dir, f.path));
      expect(sha256(bytes), f.path).toBe(f.sha256);
      expect(bytes.length).toBe(f.size);
    }
    expect(manifest.checklist.map((c: { id: string }) => c.id)).toEqual(v.category.conditions.map((c) => c.id));
    expect(manifest.program).toBe('2022-shanghai');
    expect(manifest.date).toBe('2022-02-15');
  });

  it('gives every PDF the applicant as author and the letter date, never the clock', async () => {
    const { PDFDocument } = await import('pdf-lib');
    for (const f of result.manifest.files.filter((x) => x.path.endsWith('.pdf'))) {
      const doc = await PDFDocument.load(readFileSync(path.join(result.dir, f.path)), { updateMetadata: false });
      expect(doc.getAuthor(), f.path).toBe('上海市徐汇区人民政府');
      expect(doc.getCreationDate()?.toISOString().slice(0, 10), f.path).toBe('2022-02-15');
    }
    const letter = await PDFDocument.load(readFileSync(path.join(result.dir, '01-申报函.pdf')), { updateMetadata: false });
    expect(letter.getTitle()).toBe('关于申报国家知识产权强市建设示范城区的函');
  });

  it('combines cover, contents and every material, with one bookmark per material', async () => {
    const combined = path.join(result.dir, '徐汇区-示范城区-材料汇编.pdf');
    const bytes = readFileSync(combined);
    const manifest = result.manifest;
    const partPages = manifest.files.filter((f) => f.role === 'material' && f.path.endsWith('.pdf')).map((f) => f.pages!);
    const combinedPages = manifest.files.find((f) => f.role === 'combined')!.pages!;
    // Cover and contents, then each material from an odd page number: a blank page after a part that ends on an odd one.
    const blanks = partPages.slice(0, -1).reduce((acc, n, i) => {
      const end = acc.start + n - 1;
      acc.blanks += end % 2 === 1 ? 1 : 0;
      acc.start = end + 1 + (end % 2 === 1 ? 1 : 0);
      return acc;
    }, { start: 1, blanks: 0 }).blanks;
    expect(combinedPages).toBe(2 + partPages.reduce((a, b) => a + b, 0) + blanks);
    expect(await readOutlineTitles(bytes)).toEqual(['1 申报函', '2 创建工作报告', '3 三年期工作方案']);
    // The contents page gives the page number printed on each material's first page.
    const text = await pdfText(combined);
    expect(text).toContain('上海市徐汇区人民政府');
    expect(text).toMatch(/申报函[\s.…·]*1\b/);
    const reportStart = partPages[0]! % 2 === 1 ? partPages[0]! + 2 : partPages[0]! + 1;
    expect(text).toMatch(new RegExp(`创建工作报告[\\s.…·]*${reportStart}\\b`));
  });

  it('zips the folder with UTF-8 names that Windows opens, fixed dates, same bytes every time', async () => {
    const zipBytes = readFileSync(result.zip);
    // General-purpose flag bit 11: file names are UTF-8.
    expect(zipBytes.readUInt16LE(6) & 0x0800).toBe(0x0800);
    const zip = new PizZip(zipBytes);
    expect(Object.keys(zip.files)).toContain('徐汇区-示范城区/01-申报函.pdf');
    const again = await buildPackage(v, { outDir: mkdtempSync(path.join(tmpdir(), 'shenbao-pkg2-')), converter: await pdfConverter(PACKAGE_ENGINE, {}), version: 'test' });
    expect(sha256(readFileSync(again.zip))).toBe(sha256(zipBytes));
  }, 180_000);

  it('reports an output folder that cannot be written, leaving nothing behind', async () => {
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-pkg3-')), 'not-a-folder');
    writeFileSync(blocker, 'x');
    const lines: string[] = [];
    const code = await main(['package', 'examples/xuhui-demo-district.yaml', '--out', blocker, '--pdf-engine', PACKAGE_ENGINE], {
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      isTTY: false,
    });
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/无法写入/);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(blocker, '徐汇区-示范城区'))).toBe(false);
  }, 180_000);
});

describe.skipIf(!findSoffice())('shenbao package --pdf-engine libreoffice', () => {
  it('makes the same set of files as the native engine, the package does not care which engine ran', async () => {
    const v = await valid('examples/caohejing-pilot-park.yaml');
    const lo = await buildPackage(v, { outDir: mkdtempSync(path.join(tmpdir(), 'shenbao-lo-')), converter: await pdfConverter('libreoffice', {}), version: 'test' });
    const nat = await buildPackage(v, { outDir: mkdtempSync(path.join(tmpdir(), 'shenbao-nat-')), converter: await pdfConverter('native', {}), version: 'test' });
    expect(lo.manifest.files.map((f) => f.path)).toEqual(nat.manifest.files.map((f) => f.path));
    expect(lo.manifest.pdf_engine).toBe('libreoffice');
    expect(nat.manifest.pdf_engine).toBe('native');
    expect(await readOutlineTitles(readFileSync(path.join(lo.dir, '漕河泾开发区-试点园区-材料汇编.pdf')))).toHaveLength(3);
  }, 180_000);
});

describe("never replaces what shenbao did not write", () => {
  const run = async (out: string) => {
    const lines: string[] = [];
    const code = await main(['package', 'examples/xuhui-demo-district.yaml', '--out', out], { out: (t) => lines.push(t), err: (t) => lines.push(t), isTTY: false });
    return { code, text: lines.join('\n') };
  };

  it("leaves a user's own folder of the package's name alone", async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'shenbao-own-'));
    const mine = path.join(out, '徐汇区-示范城区');
    mkdirSync(mine);
    writeFileSync(path.join(mine, '我的草稿.docx'), 'draft');
    const r = await run(out);
    expect(r.code).toBe(2);
    expect(r.text).toContain('不是 shenbao 生成的材料包');
    expect(readdirSync(mine)).toEqual(['我的草稿.docx']);
    expect(existsSync(path.join(out, '徐汇区-示范城区.zip'))).toBe(false);
  }, 60_000);

  it('replaces its own previous package, folder and zip together', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'shenbao-again-'));
    expect((await run(out)).code).toBe(0);
    const first = readFileSync(path.join(out, '徐汇区-示范城区.zip'));
    expect((await run(out)).code).toBe(0);
    expect(readFileSync(path.join(out, '徐汇区-示范城区.zip')).equals(first)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['徐汇区-示范城区', '徐汇区-示范城区.zip']);
  }, 60_000);
});
