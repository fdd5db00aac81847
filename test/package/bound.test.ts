/**
 * The 材料汇编 of every example as a reviewer pages through it on paper (GB/T 9704 7.3.7, 7.5):
 * the letter and its attachments numbered continuously, every attachment from a right-hand
 * (odd) page with "附件N" on its first line and its title on the third, blank pages unnumbered,
 * and the 目录 giving the numbers printed on the pages.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type PackageResult } from '../../src/package/index.js';
import { pdfConverter } from '../../src/pdf/engine.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { validateFile } from '../../src/schema/validate.js';
import { letterAttachments } from '../../src/model/build.js';
import { MM, boxLines, hasPoppler, type BoxLine } from '../pdf/helpers.js';
import { PACKAGE_ENGINE } from './engine.js';

// Pages are read back with poppler's pdftotext -bbox-layout.
const hasEngine = (PACKAGE_ENGINE === 'native' || Boolean(findSoffice())) && hasPoppler;
const EXAMPLES = path.resolve('examples');
const LEFT = 28 * MM;
const PITCH = 579 / 20;
const BOTTOM_EDGE = (297 - 35) * MM;
const squash = (s: string) => s.replace(/\s+/g, '');

interface Bound {
  example: string;
  result: PackageResult;
  lines: BoxLine[];
  pages: number;
  /** Material names in the order bound. */
  names: string[];
  /** The letter and the materials it sends as 附件1, 附件2 … (same delivery as the letter). */
  attached: string[];
}

const out = mkdtempSync(path.join(tmpdir(), 'sb-bound-'));
const bound: Bound[] = [];

beforeAll(async () => {
  if (!hasEngine) return;
  const converter = await pdfConverter(PACKAGE_ENGINE, {});
  for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml')).sort()) {
    const v = await validateFile(path.join(EXAMPLES, f));
    if (!v.ok) throw new Error(`${f}: ${JSON.stringify(v.diagnostics)}`);
    const result = await buildPackage(v, { outDir: out, converter, version: 'test' });
    const combined = result.manifest.files.find((x) => x.role === 'combined')!;
    const { lines, pages } = boxLines(path.join(result.dir, combined.path));
    const names = v.program.materials.filter((m) => m.author === 'applicant').map((m) => m.name);
    const attached = [names[0]!, ...letterAttachments(v.program).map((m) => m.name)];
    bound.push({ example: f, result, lines, pages, names, attached });
  }
}, 600_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** "— N —" printed at the foot of a page of the combined PDF, if any. */
function printed(b: Bound, page: number): number | undefined {
  const foot = b.lines.find((l) => l.page === page && l.yMin > BOTTOM_EDGE && /^—\d+—$/.test(squash(l.text)));
  return foot ? Number(squash(foot.text).slice(1, -1)) : undefined;
}

/** The 目录 entries: (name, page) read off single lines of the contents page. */
function contents(b: Bound): { name: string; page: number; line: string }[] {
  return b.lines
    .filter((l) => l.page === 2)
    .map((l) => squash(l.text))
    .flatMap((t) => {
      const m = /^\d+(.+?)[.…·]*(\d+)$/.exec(t);
      return m && b.names.includes(m[1]!) ? [{ name: m[1]!, page: Number(m[2]), line: t }] : [];
    });
}

/** Body lines of a page of the combined PDF, top to bottom (no header, no page number). */
function body(b: Bound, page: number): BoxLine[] {
  return b.lines.filter((l) => l.page === page && l.yMin > 30 * MM && l.yMax < BOTTOM_EDGE).sort((x, y) => x.yMin - y.yMin);
}

/**
 * Where each material starts, found on the pages themselves: the letter right after the cover
 * and the 目录, each attachment on the page whose first line is its "附件N".
 */
function starts(b: Bound): { name: string; page: number }[] {
  const found = [{ name: b.attached[0]!, page: 1 }];
  for (let p = 3; p <= b.pages; p++) {
    const m = /^附件(\d+)$/.exec(squash(body(b, p)[0]?.text ?? ''));
    if (m) found.push({ name: b.attached[Number(m[1])]!, page: p - 2 });
  }
  return found;
}

describe.skipIf(!hasEngine)('材料汇编 of every example, bound as one document', () => {
  it('has the examples', () => {
    expect(bound.length).toBeGreaterThanOrEqual(6);
  });

  it('lists every material in the 目录 on one line with the number printed on its first page', () => {
    for (const b of bound) {
      const where = `${b.example}: ${b.lines.filter((l) => l.page === 2).map((l) => l.text).join(' | ')}`;
      const toc = contents(b);
      expect(toc.map((e) => e.name), where).toEqual(b.names);
      for (const s of starts(b)) expect(toc.find((e) => e.name === s.name)?.page, `${where}: ${s.name}`).toBe(s.page);
      // Every material after the letter from a right-hand page, its number printed there.
      for (const e of toc.slice(1)) {
        expect(e.page % 2, `${where}: ${e.name} odd`).toBe(1);
        expect(printed(b, e.page + 2), `${where}: ${e.name}`).toBe(e.page);
      }
    }
  });

  it('numbers pages continuously from the letter, blank pages and the letter\'s first page unnumbered', () => {
    for (const b of bound) {
      let numbered = 0;
      for (let p = 3; p <= b.pages; p++) {
        const n = printed(b, p);
        const text = b.lines.filter((l) => l.page === p);
        if (n === undefined) {
          // Only the letter's first page (信函格式) and the blank page before an odd-page attachment.
          expect(p === 3 || text.length === 0, `${b.example} page ${p}: no number but text ${text.map((l) => l.text).join('|').slice(0, 80)}`).toBe(true);
          continue;
        }
        expect(n, `${b.example} page ${p}`).toBe(p - 2);
        numbered++;
      }
      // Unnumbered: the letter's first page and at most one blank page before each material (a
      // one-page letter, under its 版头, is followed by one).
      expect(numbered, b.example).toBeGreaterThanOrEqual(b.pages - 2 - 1 - b.names.length);
    }
  });

  it('starts each attachment on an odd page with 附件N on line 1 and its title on line 3', () => {
    let attachments = 0;
    for (const b of bound) {
      const entries = starts(b);
      expect(entries.map((e) => e.name), b.example).toEqual(b.attached);
      entries.forEach((e, i) => {
        const first = body(b, e.page + 2);
        const where = `${b.example}: ${e.name} on page ${e.page}`;
        // The number printed on the material's second page follows the 目录's (the letter's first page has none).
        if (printed(b, e.page + 3) !== undefined) expect(printed(b, e.page + 3), where).toBe(e.page + 1);
        if (i === 0) {
          expect(e.page, where).toBe(1);
          return;
        }
        attachments++;
        expect(e.page % 2, `${where}: odd`).toBe(1);
        const label = first[0]!;
        expect(squash(label.text), where).toBe(`附件${i}`);
        expect(Math.abs(label.xMin - LEFT), `${where}: 附件${i} flush left`).toBeLessThan(1);
        // Line 3: two 28.95 pt rows below line 1 (the 2号 title's box starts a little higher).
        const title = first[1]!;
        expect(title.yMin - label.yMin, `${where}: title on line 3`).toBeGreaterThan(1.5 * PITCH);
        expect(title.yMin - label.yMin, `${where}: title on line 3`).toBeLessThan(2.5 * PITCH);
      });
    }
    expect(attachments).toBeGreaterThanOrEqual(10);
  });

  it('names each attachment in the letter\'s 附件说明 with its title, word for word', () => {
    for (const b of bound) {
      const letterPages = new Set(b.lines.filter((l) => l.page >= 3 && l.page < (starts(b)[1]?.page ?? 1) + 2).map((l) => l.page));
      let named = 0;
      const note = b.lines
        .filter((l) => letterPages.has(l.page) && l.yMin < BOTTOM_EDGE && l.yMin > 30 * MM)
        .map((l) => squash(l.text))
        .join('');
      for (const [i, e] of starts(b).slice(1).entries()) {
        named++;
        const first = b.lines.filter((l) => l.page === e.page + 2 && l.yMin > 30 * MM).sort((x, y) => x.yMin - y.yMin);
        // The title's lines, from line 3 down to the first line in the body size.
        const titleLines: string[] = [];
        for (const l of first.slice(1)) {
          if (l.yMax - l.yMin < 24) break;
          titleLines.push(squash(l.text));
        }
        const title = titleLines.join('');
        expect(title.length, `${b.example}: title of 附件${i + 1}`).toBeGreaterThan(5);
        expect(note, `${b.example}: 附件说明 names ${title}`).toContain(`${i + 1}.${title}`);
      }
      expect(named, b.example).toBe(b.attached.length - 1);
    }
  });
});
