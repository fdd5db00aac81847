/**
 * The 信函格式 head (GB/T 9704 10.1) read back from our PDF and from LibreOffice's PDF of the same
 * DOCX: the organ's name with its top 30 mm from the top edge, a red thick-over-thin rule 4 mm
 * under it and a thin-over-thick one 20 mm above the bottom edge, both 170 mm long and centred,
 * first page only; the body under the upper rule; no number on page 1 and the other pages'
 * numbers where every other document has them. Or, on letterhead paper, the blank it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDocuments } from '../../src/docx/render.js';
import { evaluate } from '../../src/evaluate/index.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { validateFile } from '../../src/schema/validate.js';
import { MM, RED, boxLines, columnRuns, hasPoppler, raster, rowExtent, renderCases, type BoxLine, type Raster, type RenderedCases } from '../pdf/helpers.js';

const TOP = 37 * MM;
const PAGE_H = 297 * MM;
const CENTRE = (28 + 156 / 2) * MM;
const BOTTOM_EDGE = (297 - 35) * MM;
const DPI = 288;

type Layout = { letterhead: 'generated' | 'paper'; letterhead_space_mm: number };

async function docx(example: string, only: string, layout?: Layout): Promise<Uint8Array> {
  const v = await validateFile(`examples/${example}.yaml`);
  if (!v.ok) throw new Error('example invalid');
  if (layout) v.applicant.layout = { ...v.applicant.layout, ...layout };
  const r = renderDocuments({ ...v, evaluation: evaluate(v.applicant, v.program, v.category, v.catalogue), only: [only] });
  return r.files[0]!.bytes;
}

const work = mkdtempSync(join(tmpdir(), 'sb-letterhead-'));
let native: RenderedCases['native'] = {};
let lo: RenderedCases['lo'] = {};
const soffice = findSoffice();
// Xuhui: a one-page letter, 2号 name; 临港: a two-page letter whose long name is set smaller.
const LETTERS = ['xuhui', 'suzhou', 'lingang'] as const;

beforeAll(async () => {
  const cases = {
    xuhui: await docx('xuhui-demo-district', 'letter'),
    suzhou: await docx('suzhou-demo-city', 'letter'),
    lingang: await docx('lingang-long-name-pilot-park', 'letter'),
    lingangPlan: await docx('lingang-long-name-pilot-park', 'plan'),
    paper0: await docx('lingang-long-name-pilot-park', 'letter', { letterhead: 'paper', letterhead_space_mm: 0 }),
    paper25: await docx('lingang-long-name-pilot-park', 'letter', { letterhead: 'paper', letterhead_space_mm: 25 }),
  };
  ({ native, lo } = await renderCases(cases, work, hasPoppler ? ['xuhui', 'suzhou', 'lingang', 'lingangPlan'] : []));
}, 400_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The red strokes down the page's centre line between two heights: [top, width] in points. */
const strokes = (img: Raster, from: number, to: number) => columnRuns(img, CENTRE, RED, from, to);

/** Top and bottom of the red ink above `below` (the organ's name), across the type area. */
function redInk(img: Raster, below: number): [number, number] | undefined {
  const s = 72 / img.dpi;
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < below / s; y++)
    for (let x = Math.floor((28 * MM) / s); x < (184 * MM) / s; x++) {
      const o = (y * img.width + x) * 3;
      if (RED(img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!)) {
        if (top < 0) top = y;
        bottom = y + 1;
        break;
      }
    }
  return top < 0 ? undefined : [top * s, bottom * s];
}

interface Head {
  ink: [number, number];
  upper: [number, number][];
  lower: [number, number][];
  upperExtent: [number, number];
  lowerExtent: [number, number];
  lines: BoxLine[];
}

function head(pdf: string): Head {
  const img = raster(pdf, 1, DPI);
  const upper = strokes(img, TOP, 60 * MM);
  const lower = strokes(img, BOTTOM_EDGE, PAGE_H);
  return {
    ink: redInk(img, upper[0]![0] - 1 * MM)!,
    upper,
    lower,
    upperExtent: rowExtent(img, upper[0]![0] + upper[0]![1] / 2, RED)!,
    lowerExtent: rowExtent(img, lower[lower.length - 1]![0] + lower[lower.length - 1]![1] / 2, RED)!,
    lines: boxLines(pdf).lines,
  };
}

const pdfOf = (engine: 'native' | 'libreoffice', name: string): string => (engine === 'native' ? native[name]!.file : lo[name]!);

describe('信函格式 版头 (generated)', () => {
  for (const engine of ['native', 'libreoffice'] as const) {
    const skip = !hasPoppler || (engine === 'libreoffice' && !soffice);
    for (const name of LETTERS) {
      it.skipIf(skip)(`${name} (${engine}): the name's top 30 mm from the top, the rules 4 mm under it and 20 mm above the bottom edge, 170 mm and centred`, () => {
        const h = head(pdfOf(engine, name));
        expect(Math.abs(h.ink[0] - 30 * MM), `name top ${(h.ink[0] / MM).toFixed(2)} mm`).toBeLessThan(1 * MM);
        // Upper rule: thick over thin, 4 mm under the name (its ink ends a little above the 2号 em box).
        expect(h.upper.length).toBe(2);
        expect(h.upper[0]![1]).toBeGreaterThan(2 * h.upper[1]![1]);
        expect((h.upper[0]![0] - h.ink[1]) / MM).toBeGreaterThan(3.5);
        expect((h.upper[0]![0] - h.ink[1]) / MM).toBeLessThan(5.5);
        // Lower rule: thin over thick, its foot 20 mm above the bottom edge.
        expect(h.lower.length).toBe(2);
        expect(h.lower[1]![1]).toBeGreaterThan(2 * h.lower[0]![1]);
        const foot = h.lower[1]![0] + h.lower[1]![1];
        expect(Math.abs(PAGE_H - foot - 20 * MM), `lower rule foot ${((PAGE_H - foot) / MM).toFixed(2)} mm from the bottom`).toBeLessThan(0.5 * MM);
        for (const [x0, x1] of [h.upperExtent, h.lowerExtent]) {
          expect((x1 - x0) / MM).toBeCloseTo(170, 0);
          expect(Math.abs((x0 + x1) / 2 - CENTRE)).toBeLessThan(0.5 * MM);
        }
        // The body starts under the rule: the 发文字号 first, on the right, then the title.
        const page1 = h.lines.filter((l) => l.page === 1 && l.yMin > h.upper[1]![0]);
        expect(page1[0]!.text.replace(/\s+/g, '')).toMatch(/〔2022〕\d+号$/);
        expect(page1[0]!.yMin).toBeGreaterThan(h.upper[1]![0] + h.upper[1]![1]);
        // No page number on page 1; nothing of the text below the type area.
        expect(h.lines.filter((l) => l.page === 1 && l.yMin > BOTTOM_EDGE)).toEqual([]);
      });
    }

    it.skipIf(skip)(`lingang (${engine}): page 2 has no rules and its number exactly where the plan's page 2 has it`, () => {
      const letter = boxLines(pdfOf(engine, 'lingang'));
      const plan = boxLines(pdfOf(engine, 'lingangPlan'));
      expect(letter.pages).toBe(2);
      const number = (ls: BoxLine[]) => ls.find((l) => l.page === 2 && l.yMin > BOTTOM_EDGE)!;
      expect(number(letter.lines).text.replace(/\s+/g, '')).toBe('—2—');
      expect(Math.abs(number(letter.lines).yMin - number(plan.lines).yMin)).toBeLessThan(0.2 * MM);
      expect(Math.abs(number(letter.lines).xMin - number(plan.lines).xMin)).toBeLessThan(0.2 * MM);
      // 7 mm under the type area (GB/T 9704 7.5): the number's line box starts 7 mm below it.
      expect(strokes(raster(pdfOf(engine, 'lingang'), 2, 72), 0, PAGE_H)).toEqual([]);
    });
  }

  it.skipIf(!hasPoppler || !soffice)('our engine and LibreOffice agree: rules to 0.2 mm, the body’s lines on page 1 to 2 mm', () => {
    for (const name of LETTERS) {
      const ours = head(native[name]!.file);
      const theirs = head(lo[name]!);
      for (const [a, b] of [...ours.upper.map((s, i) => [s, theirs.upper[i]!]), ...ours.lower.map((s, i) => [s, theirs.lower[i]!])] as [number, number][][])
        expect(Math.abs(a![0] - b![0]), name).toBeLessThan(0.2 * MM);
      const body = (h: Head) => h.lines.filter((l) => l.page === 1 && l.yMin > h.upper[1]![0] && l.yMin < BOTTOM_EDGE);
      // LibreOffice centres in the body the grid rows that fit: with one row's room missing it would
      // drop every line by half a row (5 mm). The same count of lines, each at the same height (to
      // 2 mm: the faces' ascents differ, LibreOffice's 2号 title box starts 1.6 mm lower).
      expect(body(ours).length, name).toBe(body(theirs).length);
      body(ours).forEach((l, i) => expect(Math.abs(l.yMin - body(theirs)[i]!.yMin), `${name}: ${l.text}`).toBeLessThan(2 * MM));
    }
  });
});

describe.skipIf(!hasPoppler)('letterhead paper', () => {
  it('leaves exactly the blank asked for above the 发文字号, and prints no name and no rule', () => {
    const near = boxLines(native.paper0!.file).lines.filter((l) => l.page === 1);
    const far = boxLines(native.paper25!.file).lines.filter((l) => l.page === 1);
    const number = (ls: BoxLine[]) => ls.find((l) => /〔2022〕/.test(l.text))!;
    expect(near.some((l) => l.text.includes('管理委员会') && l.yMin < number(near).yMin)).toBe(false);
    expect(number(far).yMin - number(near).yMin).toBeCloseTo(25 * MM, 0);
    expect(number(near).yMin).toBeGreaterThan(TOP - 1);
    expect(number(near).yMin).toBeLessThan(TOP + 10 * MM);
    expect(strokes(raster(native.paper0!.file, 1, 72), 0, PAGE_H)).toEqual([]);
  });
});
