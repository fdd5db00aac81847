import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { MM, RED, DARK, boxLines, columnRuns, countPixels, hasPoppler, layoutText, raster, rowExtent, withBody, renderCases, type RenderedCases } from './helpers.js';
import { pdfPagesText } from '../pdf-text.js';

/**
 * What the templates of the 信函格式 and the 材料汇编 ask of the engine, read back from the PDF:
 * paragraph borders (the red double rules of a 版头), coloured runs, explicit line breaks in a
 * centred title, a first page with its own (empty) footer and numbering that starts at N. Each
 * case is also converted by LibreOffice (one soffice call for all) when it is installed, and the
 * same geometry is read back from its PDF.
 */
const LEFT = 28 * MM;
const RIGHT_EDGE = (210 - 26) * MM;
const CENTRE = (LEFT + RIGHT_EDGE) / 2;
const BOTTOM_EDGE = (297 - 35) * MM;

const LETTER = new URL('../../templates/2022-shanghai/letter.docx', import.meta.url);
const base = (): Buffer => readFileSync(LETTER);

const para = (text: string, ppr = '', rpr = ''): string =>
  `<w:p><w:pPr>${ppr}</w:pPr><w:r><w:rPr>${rpr}</w:rPr><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

const STYLES = ['thickThinLargeGap', 'thinThickLargeGap', 'thickThinSmallGap', 'thinThickSmallGap', 'double'] as const;
const bdr = (side: 'top' | 'bottom', style: string): string => `<w:pBdr><w:${side} w:val="${style}" w:sz="24" w:space="1" w:color="FF0000"/></w:pBdr>`;

const COVER = new URL('../../templates/common/cover.docx', import.meta.url);
const TOC: [string, string][] = [['一', '上海市徐汇区国家知识产权强国建设示范城区申报函'], ['二', '创建工作报告'], ['三', '三年期工作方案（2023—2025年）'], ['四', '自查表']];
const tocLine = (n: string, name: string, page: number): string =>
  `<w:p><w:pPr><w:pStyle w:val="TocLine"/></w:pPr><w:r><w:t xml:space="preserve">${n}　${name}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>${page}</w:t></w:r></w:p>`;

const CASES: Record<string, Buffer> = {
  toc: withBody(readFileSync(COVER), TOC.map(([n, name], i) => tocLine(n, name, 1 + i * 12)).join('')),
  tabs: withBody(
    base(),
    '<w:p><w:pPr><w:tabs><w:tab w:val="center" w:pos="4422"/><w:tab w:val="right" w:leader="hyphen" w:pos="8845"/></w:tabs><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>' +
      '<w:r><w:t>左</w:t></w:r><w:r><w:tab/><w:t>居中文字</w:t><w:tab/><w:t>右12</w:t></w:r></w:p>',
  ),
  borders: withBody(
    base(),
    STYLES.map((s) => para(`下边框${s}`, bdr('bottom', s)) + para('间隔') + para(`上边框${s}`, bdr('top', s)) + para('间隔')).join(''),
  ),
  // GB/T 9704 10.1: the 版头's rules are 170 mm long and centred, wider than the 156 mm type area.
  wideRule: withBody(base(), para('上海市知识产权局', `<w:ind w:left="-397" w:right="-397"/><w:jc w:val="center"/>${bdr('bottom', 'thickThinLargeGap')}`, '<w:color w:val="FF0000"/>') + para('正文')),
  colour: withBody(base(), para('红色版头', '<w:jc w:val="center"/>', '<w:color w:val="FF0000"/><w:sz w:val="44"/>') + para('黑色正文')),
  titleBreak: withBody(
    base(),
    '<w:p><w:pPr><w:pStyle w:val="DocTitle"/></w:pPr><w:r><w:t>关于推荐上海张江高新技术产业开发区</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>为国家知识产权强国建设示范园区的函</w:t></w:r></w:p>' +
      para('正文第一段。'),
  ),
  numbering: withBody(
    base(),
    Array.from({ length: 50 }, (_, i) => para(`第${i + 1}段，正文内容，用来把文档撑到第三页。`)).join(''),
    (s) => s.replace(/<w:pgNumType[^>]*\/>/, '<w:pgNumType w:fmt="decimal" w:start="5"/>').replace('</w:sectPr>', '<w:titlePg/></w:sectPr>'),
  ),
};

const work = mkdtempSync(join(tmpdir(), 'sb-layout-'));
let native: RenderedCases['native'] = {};
let lo: RenderedCases['lo'] = {};
const soffice = findSoffice();

beforeAll(async () => {
  ({ native, lo } = await renderCases(CASES, work, Object.keys(CASES)));
}, 400_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The red strokes down the middle of page 1: widths, and gaps between neighbours, in order. */
function strokes(pdf: string): { top: number; width: number }[] {
  return columnRuns(raster(pdf, 1, 576), CENTRE, RED).map(([top, width]) => ({ top, width }));
}

describe('paragraph borders (w:pBdr)', () => {
  it.skipIf(!hasPoppler)('draws each compound rule with Word’s line widths, thick line nearer the text for thickThin', () => {
    const s = strokes(native.borders!.file);
    // Two rules per style (bottom of one paragraph, top of another), each of 1 to 3 strokes.
    const widths = s.map((x) => +x.width.toFixed(2));
    expect(widths).toEqual([1.5, 0.75, 0.75, 1.5, 0.75, 1.5, 1.5, 0.75, 3, 0.75, 0.75, 3, 0.75, 3, 3, 0.75, 3, 3, 3, 3]);
    // thickThinLargeGap: the gap is w:sz (3 pt); small gaps are 0.75 pt; double: gap = width.
    const gap = (i: number): number => +(s[i + 1]!.top - s[i]!.top - s[i]!.width).toFixed(2);
    expect(gap(0)).toBeCloseTo(3, 1);
    expect(gap(8)).toBeCloseTo(0.75, 1);
    expect(gap(16)).toBeCloseTo(3, 1);
  });

  it.skipIf(!hasPoppler)('draws a rule across the paragraph’s width, indents included (a 170 mm 版头 rule)', () => {
    const img = raster(native.wideRule!.file, 1, 288);
    const [rule] = columnRuns(img, CENTRE, RED, 120);
    expect(rule).toBeDefined();
    const extent = rowExtent(img, rule![0] + rule![1] / 2, RED)!;
    expect(extent[0]).toBeCloseTo(LEFT - 397 / 20, 0);
    expect(extent[1]).toBeCloseTo(RIGHT_EDGE + 397 / 20, 0);
    expect((extent[1] - extent[0]) / MM).toBeCloseTo(170, 0);
  });

  it.skipIf(!soffice || !hasPoppler)('agrees with LibreOffice on every stroke: widths to 0.2 pt, places to 0.75 pt', () => {
    const ours = strokes(native.borders!.file);
    const theirs = strokes(lo.borders!);
    expect(ours.length).toBe(theirs.length);
    for (let i = 0; i < ours.length; i++) {
      expect(Math.abs(ours[i]!.width - theirs[i]!.width), `stroke ${i}`).toBeLessThan(0.2);
      expect(Math.abs(ours[i]!.top - theirs[i]!.top), `stroke ${i} position`).toBeLessThan(0.75);
      // Where each stroke sits relative to the first: the border's room in the paragraph's height.
      expect(Math.abs(ours[i]!.top - ours[0]!.top - (theirs[i]!.top - theirs[0]!.top)), `stroke ${i} from the first`).toBeLessThan(0.3);
    }
  });
});

describe('tab stops', () => {
  for (const engine of ['native', 'libreoffice'] as const) {
    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`sets each 目录 entry on one line, dot leader to a right-aligned page number (${engine})`, () => {
      const pdf = engine === 'native' ? native.toc!.file : lo.toc!;
      const { lines } = boxLines(pdf);
      TOC.forEach(([n, name], i) => {
        const page = String(1 + i * 12);
        const line = lines.find((l) => l.text.startsWith(`${n}${name}`));
        expect(line, `${name}: ${JSON.stringify(lines.map((l) => l.text))}`).toBeDefined();
        expect(line!.text).toMatch(new RegExp(`^${n}${name.replace(/[()（）]/g, '.')}\\.{5,}${page}$`));
        // The number ends at the right edge of the type area.
        expect(Math.abs(line!.xMax - RIGHT_EDGE), line!.text).toBeLessThan(1.5);
      });
    });
  }

  it.skipIf(!soffice || !hasPoppler)('gives the 目录 the same lines and the same number of leader dots as LibreOffice', () => {
    const ours = layoutText(native.toc!.file).flat().filter((l) => l.includes('..'));
    const theirs = layoutText(lo.toc!).flat().filter((l) => l.includes('..'));
    expect(ours).toHaveLength(TOC.length);
    expect(ours.map((l) => l.length)).toEqual(theirs.map((l) => l.length));
    expect(ours).toEqual(theirs);
  });

  for (const engine of ['native', 'libreoffice'] as const) {
    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`centres text on a centre stop and ends it on a right stop, with a hyphen leader (${engine})`, () => {
      const { lines } = boxLines(engine === 'native' ? native.tabs!.file : lo.tabs!);
      // pdftotext may cut the line at the wide gap after 左: its pieces share the baseline.
      const start = lines.find((l) => l.text.startsWith('左'))!;
      const row = lines.filter((l) => l.page === start.page && Math.abs(l.yMax - start.yMax) < 2);
      const line = { text: row.map((l) => l.text).join(''), words: row.flatMap((l) => l.words), xMax: Math.max(...row.map((l) => l.xMax)) };
      // pdftotext joins the centred text with the leader into one word: four 16 pt Hanzi condensed by 0.25 pt.
      const centred = line.words.find((w) => w.text.startsWith('居中文字'))!;
      expect(Math.abs(centred.xMin + (4 * 15.75) / 2 - (LEFT + 4422 / 20))).toBeLessThan(1);
      expect(Math.abs(line.xMax - RIGHT_EDGE)).toBeLessThan(1);
      expect(line.text).toMatch(/^左居中文字-{20,}右12$/);
    });
  }
});

describe('runs, breaks and page numbers', () => {
  it.skipIf(!hasPoppler)('draws a run in its w:color', () => {
    const { lines } = boxLines(native.colour!.file);
    const red = lines.find((l) => l.text === '红色版头')!;
    const black = lines.find((l) => l.text === '黑色正文')!;
    const img = raster(native.colour!.file, 1, 144);
    expect(countPixels(img, red, RED)).toBeGreaterThan(200);
    expect(countPixels(img, red, DARK)).toBe(0);
    expect(countPixels(img, black, RED)).toBe(0);
    expect(countPixels(img, black, DARK)).toBeGreaterThan(50);
  });

  for (const engine of ['native', 'libreoffice'] as const) {
    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`breaks a centred title at w:br, each line centred (${engine})`, () => {
      const pdf = engine === 'native' ? native.titleBreak!.file : lo.titleBreak!;
      const { lines } = boxLines(pdf);
      const l1 = lines.find((l) => l.text === '关于推荐上海张江高新技术产业开发区')!;
      const l2 = lines.find((l) => l.text === '为国家知识产权强国建设示范园区的函')!;
      expect(l1, JSON.stringify(lines.map((l) => l.text))).toBeDefined();
      expect(l2).toBeDefined();
      expect(l2.yMin).toBeGreaterThan(l1.yMin + 20);
      for (const l of [l1, l2]) expect(Math.abs((l.xMin + l.xMax) / 2 - CENTRE), l.text).toBeLessThan(1);
    });

    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`numbers from w:pgNumType w:start, none on a w:titlePg first page (${engine})`, () => {
      const pdf = engine === 'native' ? native.numbering!.file : lo.numbering!;
      const { lines, pages } = boxLines(pdf);
      expect(pages).toBeGreaterThanOrEqual(3);
      const foot = (p: number) => lines.filter((l) => l.page === p && l.yMin > BOTTOM_EDGE);
      expect(foot(1)).toEqual([]);
      for (let p = 2; p <= pages; p++) {
        const n = p + 4;
        const f = foot(p);
        expect(f.map((l) => l.text), `page ${p}`).toEqual([`—${n}—`]);
        // The printed number chooses the even or odd footer: even numbers left, odd right.
        if (n % 2 === 0) expect(f[0]!.xMin).toBeLessThan(CENTRE);
        else expect(f[0]!.xMin).toBeGreaterThan(CENTRE);
      }
    });
  }

  it('reports no unsupported-feature warning for what it draws', async () => {
    for (const [name, r] of Object.entries(native)) {
      expect(r.result.diagnostics.filter((d) => d.code.startsWith('pdf.unsupported')), name).toEqual([]);
    }
    expect((await pdfPagesText(native.borders!.result.bytes)).join('').replace(/\s+/g, '')).toContain('下边框thickThinLargeGap');
  });
});
