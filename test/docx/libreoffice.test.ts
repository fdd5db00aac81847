import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDocuments, shippedTemplatesDir } from '../../src/docx/render.js';
import { fixtureApplicant, fixtureInput } from '../fixtures/docx/fixture.js';
import { hasSoffice, partText } from './helpers.js';

/**
 * The layout facts of GB/T 9704 (shared/GBT9704.md), read back from LibreOffice's PDF rather
 * than trusted from the XML. Two soffice runs in all (each ~4 s): one converts the rendered
 * documents to PDF, one re-saves every template as DOCX.
 */
const MM = 72 / 25.4;
const PAGE_H = 297 * MM;
const TOP = 37 * MM;
const LEFT = 28 * MM;
const RIGHT_EDGE = (210 - 26) * MM;
const PITCH = 579 / 20;

function soffice(profile: string, args: string[]): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', ...args], { stdio: 'pipe', timeout: 120_000 });
}

interface Line {
  page: number;
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Lines of a PDF as pdftotext -bbox-layout sees them. */
function pdfLines(pdf: string): { pages: number; lines: Line[] } {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines: Line[] = [];
  let page = 0;
  for (const chunk of html.split(/<page /).slice(1)) {
    page++;
    for (const m of chunk.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...m[5]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]!);
      lines.push({ page, text: words.join(' '), xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]! });
    }
  }
  return { pages: page, lines };
}

const HAN = /^\p{Script=Han}+$/u;
const LONG =
  '知识产权是国家发展的战略性资源和国际竞争力的核心要素我区坚持把知识产权工作摆在全局工作的突出位置统筹推进知识产权创造运用保护管理和服务各项工作不断完善工作机制加大政策支持力度强化部门协同配合推动知识产权事业取得新的进展';

function longApplicant() {
  const a = fixtureApplicant();
  a.report.summary = [
    { title: '知识产权工作机制不断健全', paragraphs: [LONG + LONG, LONG, LONG + LONG + LONG], sections: [] },
    { title: '知识产权创造质量稳步提升', paragraphs: [LONG + LONG + LONG, LONG + LONG, LONG + LONG], sections: [] },
    { title: '知识产权保护水平持续提高', paragraphs: [LONG + LONG + LONG + LONG, LONG + LONG], sections: [] },
  ];
  return a;
}

describe.skipIf(!hasSoffice)('LibreOffice', () => {
  const work = mkdtempSync(join(tmpdir(), 'sb-lo-'));
  const profile = mkdtempSync(join(tmpdir(), 'sb-lo-profile-'));
  let report: { pages: number; lines: Line[] };
  let letter: { pages: number; lines: Line[] };

  beforeAll(() => {
    const r = renderDocuments(fixtureInput('2022-national', longApplicant()));
    expect(r.diagnostics).toEqual([]);
    const docs = r.files.map((f) => {
      const path = join(work, `${f.materialId}.docx`);
      writeFileSync(path, f.bytes);
      return path;
    });
    soffice(profile, ['--convert-to', 'pdf', '--outdir', work, ...docs]);
    report = pdfLines(join(work, 'report.pdf'));
    letter = pdfLines(join(work, 'letter.pdf'));
  });

  const body = (doc: { lines: Line[] }) => doc.lines.filter((l) => l.yMin > TOP - 3 * MM && l.yMax < PAGE_H - 35 * MM + 2);

  it('opens every document and lays it out', () => {
    for (const id of ['recommendation', 'letter', 'report', 'plan', 'status-form', 'contact-receipt']) {
      expect(readdirSync(work)).toContain(`${id}.pdf`);
    }
    expect(report.pages).toBeGreaterThanOrEqual(4);
  });

  it('puts exactly 28 Hanzi on every full body line', () => {
    const full = body(report).filter((l) => HAN.test(l.text) && l.xMax > RIGHT_EDGE - 8 && l.yMax - l.yMin < 24);
    expect(full.length).toBeGreaterThan(20);
    for (const l of full) {
      const indented = l.xMin > LEFT + 16;
      expect([...l.text].length, `${l.page}: ${l.text}`).toBe(indented ? 26 : 28);
    }
    expect(full.filter((l) => l.xMin < LEFT + 3).length).toBeGreaterThan(15);
  });

  it('puts 22 lines on a full page, on a 28.95 pt grid', () => {
    for (const page of [2, 3]) {
      const lines = body(report).filter((l) => l.page === page);
      expect(lines.length, `page ${page}`).toBe(22);
      for (let i = 1; i < lines.length; i++) expect(lines[i]!.yMin - lines[i - 1]!.yMin).toBeCloseTo(PITCH, 0);
    }
  });

  it('starts the text 37 mm from the top and 28 mm from the left', () => {
    for (const doc of [report, letter]) {
      // The letter's page 1 (信函格式) starts under its 版头, 47.5 mm down: test/docx/letterhead.test.ts.
      for (let page = doc === letter ? 2 : 1; page <= doc.pages; page++) {
        const first = body(doc).find((l) => l.page === page);
        // A page that starts inside a table (repeated header row) has no first text line to measure.
        if (!first || first.yMax - first.yMin < 19) continue;
        // The first line of text sits in the first grid line, which starts at 37 mm.
        expect(first.yMin).toBeGreaterThanOrEqual(TOP - 1 * MM);
        expect(first.yMax).toBeLessThanOrEqual(TOP + PITCH + 1 * MM);
      }
      const left = Math.min(...body(doc).filter((l) => l.text.length > 10).map((l) => l.xMin));
      expect(Math.abs(left - LEFT)).toBeLessThanOrEqual(1 * MM);
    }
  });

  it('numbers every page "— N —", odd pages right and even pages left, one Hanzi in', () => {
    // The letter (信函格式, GB/T 9704 10.1) prints no number on its first page.
    expect(letter.lines.filter((l) => l.page === 1 && l.yMin > PAGE_H - 35 * MM && /—/.test(l.text))).toEqual([]);
    for (const doc of [report, letter]) {
      for (let page = doc === letter ? 2 : 1; page <= doc.pages; page++) {
        const num = doc.lines.find((l) => l.page === page && l.yMin > PAGE_H - 35 * MM);
        expect(num?.text.replace(/\s+/g, ' '), `page ${page}`).toBe(`— ${page} —`);
        if (page % 2 === 1) expect(Math.abs(num!.xMax - (RIGHT_EDGE - 14))).toBeLessThan(3);
        else expect(Math.abs(num!.xMin - (LEFT + 14))).toBeLessThan(3);
      }
    }
  });

  it('renders the same text from templates re-saved by LibreOffice', () => {
    const resaved = mkdtempSync(join(tmpdir(), 'sb-resaved-'));
    const dir = join(shippedTemplatesDir(), '2022-national');
    const files = readdirSync(dir).map((f) => join(dir, f));
    soffice(profile, ['--convert-to', 'docx:MS Word 2007 XML', '--outdir', resaved, ...files]);
    expect(readdirSync(resaved).sort()).toEqual(readdirSync(dir).sort());
    const input = fixtureInput('2022-national');
    const shipped = renderDocuments(input);
    const custom = renderDocuments({ ...input, templatesDir: resaved });
    expect(custom.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const norm = (b: Buffer) => partText(b).replace(/\s+/g, '');
    for (const f of shipped.files) {
      const other = custom.files.find((c) => c.materialId === f.materialId)!;
      expect(norm(other.bytes), f.materialId).toBe(norm(f.bytes));
    }
    void readFileSync;
  });
});
