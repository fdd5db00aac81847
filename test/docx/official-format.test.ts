/**
 * What a municipal reviewer checks against GB/T 9704 on every document of every example, read
 * back from our PDF and from LibreOffice's PDF of the same DOCX: titles wrapped between words
 * into balanced lines (7.3.1), the 署名 on one line over the 成文日期 and the date 右空四字 (7.3.5).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/pdf/index.js';
import { convertWithLibreOffice, findSoffice } from '../../src/pdf/libreoffice.js';
import { loadProgram } from '../../src/program/load.js';
import { MM, boxLines, exampleDocs, type BoxLine, type ExampleDoc } from '../pdf/helpers.js';

const RIGHT_EDGE = (210 - 26) * MM;
/** One Hanzi of 3号 condensed by 0.25 pt. */
const HANZI = 15.75;
const soffice = findSoffice();

/** Words a title must never be broken inside, as a reader would name them (besides the round's own list). */
const WORDS = ['知识产权', '管理委员会', '创建工作报告', '工作方案', '示范园区', '试点园区', '示范城区', '试点城区', '示范城市', '三年期', '高新区', '开发区', '新片区', '人民政府', '自由贸易试验区', '基本工作状况表', '联系人回执', '国家级', '强国建设'];

interface Doc {
  doc: ExampleDoc;
  titles: string[][];
  signer?: { text: string; centred: boolean };
  date?: string;
  pdfs: { engine: string; file: string }[];
}

/** The text a reader sees (the word joiners of src/docx/keep.ts left out). */
const text = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('').replace(/\u2060/g, '');

/** Paragraphs of a style, each as its lines (w:br splits them), from the DOCX itself. */
function styled(docx: Buffer, style: string): string[][] {
  const xml = new PizZip(docx).file('word/document.xml')!.asText();
  const out: string[][] = [];
  for (const m of xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="([^"]+)"\/>((?:(?!<\/w:p>).)*)<\/w:p>/gs)) {
    if (m[1] !== style) continue;
    const lines = m[2]!.split('<w:br/>').map(text).filter(Boolean);
    if (lines.length) out.push(lines);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'sb-official-'));
const docs: Doc[] = [];
let terms: string[] = [];

beforeAll(async () => {
  terms = [...new Set([...WORDS, ...(await loadProgram('2022-shanghai')).title_terms, ...(await loadProgram('2022-national')).title_terms])];
  const examples = await exampleDocs();
  for (const doc of examples) {
    const base = join(work, doc.id.replace('/', '__'));
    writeFileSync(`${base}.docx`, doc.bytes);
    writeFileSync(`${base}.pdf`, (await renderPdf(doc.bytes)).bytes);
    const centred = styled(doc.bytes, 'Signer')[0]?.[0];
    const right = styled(doc.bytes, 'SignerRight')[0]?.[0];
    docs.push({
      doc,
      titles: styled(doc.bytes, 'DocTitle'),
      signer: centred ? { text: centred, centred: true } : right ? { text: right, centred: false } : undefined,
      date: styled(doc.bytes, 'DateLine')[0]?.[0],
      pdfs: [{ engine: 'native', file: `${base}.pdf` }],
    });
  }
  if (soffice) {
    const lo = join(work, 'lo');
    const files = await convertWithLibreOffice(examples.map((d) => join(work, `${d.id.replace('/', '__')}.docx`)), lo, { timeoutMs: 600_000 });
    files.forEach((f, i) => docs[i]!.pdfs.push({ engine: 'LibreOffice', file: f }));
  }
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const width = (s: string) => [...s].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0);
const squash = (s: string) => s.replace(/\s+/g, '');

describe('GB/T 9704 on every example document', () => {
  it('covers the long-name example: a 署名 of 18+ Hanzi and a title of 40+', () => {
    expect(docs.some((d) => d.signer && width(d.signer.text) >= 18)).toBe(true);
    expect(docs.some((d) => d.titles.some((t) => width(t.join('')) >= 40))).toBe(true);
    expect(docs.length).toBeGreaterThanOrEqual(20);
  });

  it('breaks titles between words into lines of 3 or more Hanzi, a trapezoid or a diamond (7.3.1)', () => {
    let wrapped = 0;
    for (const d of docs) {
      for (const lines of d.titles) {
        if (lines.length < 2) continue;
        wrapped++;
        const where = `${d.doc.id}: ${lines.join(' / ')}`;
        const w = lines.map(width);
        for (const x of w) expect(x, where).toBeGreaterThanOrEqual(3);
        for (const x of w) expect(x, where).toBeLessThanOrEqual(20);
        // No word split across a break.
        for (let i = 1; i < lines.length; i++) {
          for (const t of terms) {
            for (let k = 1; k < t.length; k++) {
              expect(lines[i - 1]!.endsWith(t.slice(0, k)) && lines[i]!.startsWith(t.slice(k)), `${where}: ${t} split`).toBe(false);
            }
          }
        }
        // Widths only grow, only shrink, or rise to one peak and fall; and they stay close.
        const peak = w.indexOf(Math.max(...w));
        const shaped = w.every((x, i) => i === 0 || x >= w[i - 1]!) || w.every((x, i) => i === 0 || x <= w[i - 1]!) || w.every((x, i) => i === 0 || (i <= peak ? x >= w[i - 1]! : x <= w[i - 1]!));
        expect(shaped, where).toBe(true);
        expect(Math.max(...w) - Math.min(...w), where).toBeLessThanOrEqual(6);
      }
    }
    expect(wrapped).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(!soffice)('prints each title line as one line, the same in our PDF and in LibreOffice', () => {
    for (const d of docs) {
      for (const pdf of d.pdfs) {
        const printed = new Set(boxLines(pdf.file).lines.map((l) => squash(l.text)));
        for (const lines of d.titles) for (const line of lines) expect(printed.has(squash(line)), `${d.doc.id} (${pdf.engine}): ${line}`).toBe(true);
      }
    }
  });

  it.skipIf(!soffice)('keeps every figure of a table on one line (五号, columns sized for it), in our PDF and in LibreOffice', () => {
    let figures = 0;
    for (const d of docs) {
      const cells = styled(d.doc.bytes, 'TableNumber').flat().filter((t) => /^-?[\d,]+(\.\d+)?%?$/.test(t) && t.length >= 5);
      for (const pdf of d.pdfs) {
        const printed = boxLines(pdf.file).lines.map((l) => squash(l.text)).join('\n');
        for (const f of cells) {
          figures++;
          expect(printed.includes(f), `${d.doc.id} (${pdf.engine}): ${f} broken`).toBe(true);
        }
      }
    }
    expect(figures).toBeGreaterThan(100);
  });

  it.skipIf(!soffice)('sets the 署名 on one line, centred over a date 4 Hanzi in from the right, or flush right when too long (7.3.5)', () => {
    let letters = 0;
    for (const d of docs.filter((x) => x.signer && x.date)) {
      letters++;
      for (const pdf of d.pdfs) {
        const where = `${d.doc.id} (${pdf.engine})`;
        const lines = boxLines(pdf.file).lines;
        const date = [...lines].reverse().find((l) => squash(l.text) === squash(d.date!));
        expect(date, `${where}: date ${d.date}`).toBeDefined();
        // The name on the line just above the date, whole.
        const above = lines.filter((l) => l.page === date!.page && l.yMax <= date!.yMin + 1).sort((a, b) => b.yMin - a.yMin)[0] as BoxLine;
        expect(squash(above.text), where).toBe(squash(d.signer!.text));
        expect(RIGHT_EDGE - date!.xMax, `${where}: date 右空四字`).toBeGreaterThan(4 * HANZI - HANZI / 2);
        expect(RIGHT_EDGE - date!.xMax, `${where}: date 右空四字`).toBeLessThan(4 * HANZI + HANZI / 2);
        if (d.signer!.centred) {
          // The name is centred on the centre of a date of the standard width (digits half a Hanzi, as
          // in Times New Roman and 仿宋_GB2312): 4 + 6.5 / 2 Hanzi in from the right edge. Paragraph
          // formatting cannot centre on another line's measured width, so with a stand-in font whose
          // digits are wider (DejaVu Serif here: a date of 8.5 Hanzi) the date's own centre moves by
          // half the difference; with the standard fonts it is within 0.25 Hanzi of the name's.
          const centre = (above.xMin + above.xMax) / 2;
          expect(Math.abs(centre - (RIGHT_EDGE - 7.25 * HANZI)), `${where}: name centred over the date`).toBeLessThanOrEqual(HANZI / 2);
          // A blank date (the office's draft, "　　年　月　日") has no ink where its spaces are: 7 Hanzi wide.
          const dateLeft = /^\u3000/.test(d.date!) ? date!.xMax - 7 * HANZI : date!.xMin;
          const excess = Math.max(0, date!.xMax - dateLeft - width(d.date!) * HANZI);
          expect(Math.abs(centre - (dateLeft + date!.xMax) / 2), `${where}: name over the date`).toBeLessThanOrEqual(HANZI / 2 + excess / 2);
        } else {
          expect(Math.abs(RIGHT_EDGE - above.xMax), `${where}: name flush right`).toBeLessThanOrEqual(HANZI / 2);
        }
      }
    }
    expect(letters).toBeGreaterThanOrEqual(7);
  });
});
