/**
 * The 信函格式 head (GB/T 9704 10.1) read back from our PDF: a generated 版头 with the organ's
 * name centred over the type area, or the blank a letterhead paper needs; no number on page 1.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDocuments } from '../../src/docx/render.js';
import { evaluate } from '../../src/evaluate/index.js';
import { renderPdf } from '../../src/pdf/index.js';
import { validateFile } from '../../src/schema/validate.js';
import { MM, boxLines, hasPoppler } from '../pdf/helpers.js';

const TOP = 37 * MM;
const CENTRE = (28 + 156 / 2) * MM;
const BOTTOM_EDGE = (297 - 35) * MM;
const work = mkdtempSync(join(tmpdir(), 'sb-letterhead-'));

async function letterPdf(layout: { letterhead: 'generated' | 'paper'; letterhead_space_mm: number }, name: string) {
  const v = await validateFile('examples/lingang-long-name-pilot-park.yaml');
  if (!v.ok) throw new Error('example invalid');
  v.applicant.layout = { ...v.applicant.layout, ...layout };
  const r = renderDocuments({ ...v, evaluation: evaluate(v.applicant, v.program, v.category, v.catalogue), only: ['letter'] });
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, (await renderPdf(r.files[0]!.bytes)).bytes);
  return boxLines(file).lines.filter((l) => l.page === 1);
}

// Positions are read back with poppler's pdftotext -bbox-layout.
describe.skipIf(!hasPoppler)('信函格式 first page', () => {
  it('opens with the organ name, on one line and centred, then the 发文字号; no page number', async () => {
    const lines = await letterPdf({ letterhead: 'generated', letterhead_space_mm: 15 }, 'generated');
    const body = lines.filter((l) => l.yMin > TOP - 2 * MM).sort((a, b) => a.yMin - b.yMin);
    expect(body[0]!.text).toBe('中国（上海）自由贸易试验区临港新片区管理委员会');
    expect(Math.abs((body[0]!.xMin + body[0]!.xMax) / 2 - CENTRE)).toBeLessThan(2 * MM);
    expect(body[1]!.text.replace(/\s+/g, '')).toBe('沪自贸临管〔2022〕3号');
    expect(lines.filter((l) => l.yMin > BOTTOM_EDGE)).toEqual([]);
  });

  it('on letterhead paper leaves exactly the blank asked for above the 发文字号, and prints no name', async () => {
    const near = await letterPdf({ letterhead: 'paper', letterhead_space_mm: 0 }, 'paper0');
    const far = await letterPdf({ letterhead: 'paper', letterhead_space_mm: 25 }, 'paper25');
    const number = (ls: typeof near) => ls.find((l) => /〔2022〕/.test(l.text))!;
    expect(near.some((l) => l.text.includes('管理委员会') && l.yMin < number(near).yMin)).toBe(false);
    expect(number(far).yMin - number(near).yMin).toBeCloseTo(25 * MM, 0);
    expect(number(near).yMin).toBeGreaterThan(TOP - 1);
  });
});
