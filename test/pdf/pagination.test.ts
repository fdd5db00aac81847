import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { MM, DARK, boxLines, columnRuns, hasPoppler, raster, withBody, type BoxLine, renderCases, type RenderedCases } from './helpers.js';

/**
 * Pagination as Word does it, read back from the PDF: a row taller than a page splits across
 * pages with the header row repeated and nothing lost; a header row never ends a page; a heading
 * (keepNext) never ends a page, before or after a table; a table that moves to the next page
 * leaves no rule behind; widow and orphan lines. Positions are swept (n filler paragraphs before
 * the case) so that every case meets the page foot.
 */
const LEFT = 28 * MM;
const BOTTOM_EDGE = (297 - 35) * MM;
const TOP = 37 * MM;

const LETTER = new URL('../../templates/2022-shanghai/letter.docx', import.meta.url);
const base = (): Buffer => readFileSync(LETTER);

const para = (text: string, style = 'Normal', ppr = ''): string => `<w:p><w:pPr><w:pStyle w:val="${style}"/>${ppr}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const filler = (n: number): string => Array.from({ length: n }, (_, i) => para(`填充段落${i + 1}。`)).join('');
const BORDERS =
  '<w:tblBorders>' + ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('') + '</w:tblBorders>';
const cell = (w: number, paras: string): string => `<w:tc><w:tcPr><w:tcW w:w="${w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>${paras}</w:tc>`;
const row = (cells: string, header = false, cantSplit = true, height = ''): string =>
  `<w:tr><w:trPr>${header ? '<w:tblHeader/>' : ''}${cantSplit ? '<w:cantSplit/>' : ''}${height}</w:trPr>${cells}</w:tr>`;
const table = (rows: string): string =>
  `<w:tbl><w:tblPr><w:tblW w:w="8845" w:type="dxa"/><w:jc w:val="center"/>${BORDERS}<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="3000"/><w:gridCol w:w="4845"/></w:tblGrid>${rows}</w:tbl>`;
const head = row(cell(1000, para('条款', 'TableHead')) + cell(3000, para('条件', 'TableHead')) + cell(4845, para('证明材料', 'TableHead')), true);
const dataRow = (k: number): string => row(cell(1000, para(`${k}`, 'TableText')) + cell(3000, para(`条件第${k}条`, 'TableText')) + cell(4845, para(`材料${k}`, 'TableText')));

/** The 自查表 row of issue 12: one condition whose evidence list is longer than a page. */
const EVIDENCE = Array.from({ length: 45 }, (_, i) => `证明文件第${i + 1}号（盖章复印件）`);
const tallRow = row(cell(1000, para('3.2', 'TableText')) + cell(3000, para('知识产权保护体系健全', 'TableText')) + cell(4845, EVIDENCE.map((e) => para(e, 'TableText')).join('')));

const SWEEP = Array.from({ length: 12 }, (_, i) => 14 + i);

const CASES: Record<string, Buffer> = {
  tall: withBody(base(), filler(3) + table(head + dataRow(1) + tallRow + dataRow(3)) + para('表后正文。')),
  tallLine: withBody(base(), para('第一段。') + `<w:p><w:pPr><w:spacing w:line="16000" w:lineRule="exact"/></w:pPr><w:r><w:t>一行高于版心的文字</w:t></w:r></w:p>` + para('后一段。')),
  exact: withBody(base(), table(head + row(cell(1000, para('1', 'TableText')) + cell(3000, para('固定行高', 'TableText')) + cell(4845, EVIDENCE.slice(0, 6).map((e) => para(e, 'TableText')).join('')), false, true, '<w:trHeight w:val="400" w:hRule="exact"/>'))),
};
for (const n of SWEEP) {
  CASES[`before${n}`] = withBody(base(), filler(n) + para('一、表格前的标题', 'Heading1') + table(head + dataRow(1) + dataRow(2)) + para('正文。'));
  CASES[`bare${n}`] = withBody(base(), filler(n + 6) + table(head + dataRow(1) + dataRow(2)) + para('正文。'));
  CASES[`after${n}`] = withBody(base(), filler(n - 4) + table(head + dataRow(1) + dataRow(2) + dataRow(3)) + para('三、重点任务', 'Heading1') + para('表后正文第一段，内容足够长，要写满一行多一点，这样这一段落会占用两行的位置，用来检验孤行控制。', 'Normal', '<w:widowControl/>'));
}

const work = mkdtempSync(join(tmpdir(), 'sb-paginate-'));
let native: RenderedCases['native'] = {};
let lo: RenderedCases['lo'] = {};
const soffice = findSoffice();

beforeAll(async () => {
  ({ native, lo } = await renderCases(CASES, work, ['tall']));
}, 400_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Lines in the type area (page numbers excluded), page by page. */
function body(pdf: string): BoxLine[][] {
  const { lines, pages } = boxLines(pdf);
  return Array.from({ length: pages }, (_, p) => lines.filter((l) => l.page === p + 1 && l.yMin < BOTTOM_EDGE && l.yMin > TOP - 10 * MM));
}

describe('a table row taller than a page', () => {
  it.skipIf(!hasPoppler)('splits across pages as Word does, every evidence title drawn once and inside the type area', () => {
    const r = native.tall!;
    const pages = body(r.file);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.flat().map((l) => l.text).join('\n');
    for (const e of EVIDENCE) expect(all.split(e).length - 1, e).toBe(1);
    expect(all).toContain('条件第3条');
    expect(all).toContain('表后正文');
    const { lines } = boxLines(r.file);
    for (const l of lines) if (l.yMax > BOTTOM_EDGE + 1) expect(l.text, `page ${l.page}: below the type area`).toMatch(/^—\d+—$/);
    // The header row repeats at the top of the continuation page.
    expect(pages[1]![0]!.text).toContain('条款');
    expect(r.result.diagnostics.filter((d) => d.code === 'pdf.clipped')).toEqual([]);
  });

  it.skipIf(!soffice || !hasPoppler)('puts the same evidence titles on each page as LibreOffice', () => {
    const titlesOn = (pdf: string): number[][] => body(pdf).map((p) => EVIDENCE.map((e, i) => (p.some((l) => l.text.includes(e)) ? i + 1 : 0)).filter(Boolean));
    const ours = titlesOn(native.tall!.file);
    const theirs = titlesOn(lo.tall!);
    expect(ours.length).toBe(theirs.length);
    // Pages agree to within a line (the engines' line heights round differently).
    ours.forEach((p, i) => expect(Math.abs(p.length - theirs[i]!.length), `page ${i + 1}: ${p} / ${theirs[i]}`).toBeLessThanOrEqual(1));
  });

  it('warns, naming the table and the text, when a row of exact height cannot hold its content', () => {
    const d = native.exact!.result.diagnostics.filter((x) => x.code === 'pdf.clipped');
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toMatch(/第 1 个表格/);
    expect(d[0]!.message).toContain('证明文件第');
  });
});

describe('a line taller than the type area', () => {
  it('is a warning naming the paragraph and its text, and the rest is still laid out', () => {
    const r = native.tallLine!;
    const d = r.result.diagnostics.filter((x) => x.code === 'pdf.clipped');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toMatch(/第 2 段/);
    expect(d[0]!.message).toContain('一行高于版心的文字');
    // Reading the page back needs poppler; without it the warning above is what is checked.
    if (hasPoppler) expect(body(r.file).flat().map((l) => l.text)).toContain('后一段。');
  });
});

describe('keeping together at the page foot', () => {
  it.skipIf(!hasPoppler)('never ends a page with a heading, before a table or after one, nor with a header row', () => {
    let headingAtFoot = 0;
    for (const n of SWEEP) {
      for (const name of [`before${n}`, `after${n}`]) {
        const pages = body(native[name]!.file);
        pages.forEach((p, i) => {
          const last = p[p.length - 1];
          if (!last) return;
          expect(last.text, `${name} page ${i + 1} ends with a heading`).not.toMatch(/^[一三]、/);
          expect(last.text, `${name} page ${i + 1} ends with the header row`).not.toMatch(/^条款/);
        });
        // The heading moved with what follows it on at least one of the sweeps (the case was met).
        const headingPage = pages.findIndex((p) => p.some((l) => /^[一三]、/.test(l.text)));
        if (headingPage > 0 && pages[headingPage]![0]!.text.match(/^[一三]、/)) headingAtFoot++;
      }
    }
    expect(headingAtFoot).toBeGreaterThan(0);
  });

  it.skipIf(!hasPoppler)('keeps two lines of a paragraph together (orphan control) after the heading', () => {
    for (const n of SWEEP) {
      const pages = body(native[`after${n}`]!.file);
      const p = pages.findIndex((x) => x.some((l) => l.text.startsWith('表后正文第一段')));
      const page = pages[p]!;
      expect(page[page.length - 1]!.text, `after${n}: the paragraph's first line alone at the foot`).not.toMatch(/^表后正文第一段/);
    }
  });

  it.skipIf(!hasPoppler)('draws no table rule on a page the table has no row on', () => {
    for (const n of SWEEP) {
      const file = native[`bare${n}`]!.file;
      const pages = body(file);
      pages.forEach((p, i) => {
        if (p.some((l) => /条款|材料\d/.test(l.text))) return;
        // Filler paragraphs are indented two Hanzi: the left edge of the type area is blank unless a rule crosses it.
        const img = raster(file, i + 1, 72);
        const rules = columnRuns(img, LEFT + 4, DARK, TOP - 5, BOTTOM_EDGE + 2);
        expect(rules, `bare${n} page ${i + 1}`).toEqual([]);
      });
    }
  });
});
