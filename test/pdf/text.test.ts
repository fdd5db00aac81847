import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPdf } from '../../src/pdf/index.js';
import { convertWithLibreOffice, findSoffice } from '../../src/pdf/libreoffice.js';
import { isolateJoinedUnits, joinUnbreakables } from '../../src/docx/keep.js';
import { boxLines, hasPoppler, layoutText, withBody, type BoxWord } from './helpers.js';

/**
 * Characters on a line, read back from the PDF: justification adds space only between Hanzi
 * and at word boundaries; invisible format characters are drawn as nothing; a word longer than
 * a line breaks by character in bounded memory; a word joiner (U+2060) holds a phone number, a
 * 文号, a date or a number and its unit together at a line end, in our PDF and in LibreOffice's.
 */
const LETTER = new URL('../../templates/2022-shanghai/letter.docx', import.meta.url);
const base = (): Buffer => readFileSync(LETTER);
const para = (t: string, jc = 'both'): string => `<w:p><w:pPr><w:jc w:val="${jc}"/></w:pPr><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`;

const JUSTIFIED = [
  '截至2019年底，全区专利授权量达到8710件，其中发明专利授权量为1234件，PCT国际专利申请量为56件，增长率为12.5%，较上年提高了3个百分点。',
  '本段落包含英文单词Shanghai和数字20192020以及更多的汉字内容，用来检验两端对齐时只在汉字之间加空。',
];
const TOKENS = ['2019', '8710', '1234', '56', 'Shanghai', '20192020'];

/** Invisible characters pasted from web pages and WeChat (issue 12). */
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2060', '\uFE0F', '\uFFFC', '\u034F', '\u00AD', '\uFEFF'];

/**
 * What must not split, as the DOCX stage writes it (joinUnbreakables in each value, then the
 * figure-and-unit runs marked as render does), and where each may still break: a date after 年
 * or 月, nothing else. The filler puts each across the line end in some of the sweeps.
 */
const UNITS: { text: string; allowed: number[] }[] = [
  { text: '021-64872222', allowed: [] },
  { text: '〔2020〕27号', allowed: [] },
  { text: '2021年7月15日', allowed: [5, 7] },
  { text: '8710万元', allowed: [] },
];
const KEEP_SWEEP = Array.from({ length: 8 }, (_, i) => i);
const keepPara = (unit: string, shift: number): string =>
  isolateJoinedUnits(para(joinUnbreakables('联系电话和文号等内容'.repeat(2) + '甲'.repeat(shift) + unit + '，后续文字继续，直到段落结束。'), 'both'));

const CASES: Record<string, Buffer> = {
  justified: withBody(base(), JUSTIFIED.map((t) => para(t)).join('')),
  ragged: withBody(base(), JUSTIFIED.map((t) => para(t, 'left')).join('')),
  invisible: withBody(base(), para(`可见${INVISIBLE.join('文')}结束`) + para(INVISIBLE.join(''))),
};
for (const [u, unit] of UNITS.entries()) for (const s of KEEP_SWEEP) CASES[`keep${u}_${s}`] = withBody(base(), keepPara(unit.text, s));

const work = mkdtempSync(join(tmpdir(), 'sb-text-'));
const native: Record<string, string> = {};
const lo: Record<string, string> = {};
const soffice = findSoffice();

beforeAll(async () => {
  for (const [name, bytes] of Object.entries(CASES)) {
    const r = await renderPdf(bytes);
    native[name] = join(work, `${name}.native.pdf`);
    writeFileSync(native[name]!, r.bytes);
    writeFileSync(join(work, `${name}.docx`), bytes);
  }
  if (soffice) {
    const names = Object.keys(CASES).filter((n) => n.startsWith('keep') || n === 'justified');
    const pdfs = await convertWithLibreOffice(names.map((n) => join(work, `${n}.docx`)), work, { timeoutMs: 300_000 });
    pdfs.forEach((p, i) => (lo[names[i]!] = p));
  }
}, 400_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Width of each token as pdftotext cuts it into words (a letter-spaced token falls apart or widens). */
function tokenWidths(pdf: string): Map<string, number> {
  const words: BoxWord[] = boxLines(pdf).lines.flatMap((l) => l.words);
  const out = new Map<string, number>();
  for (const t of TOKENS) {
    const w = words.find((x) => x.text === t);
    if (w) out.set(t, w.xMax - w.xMin);
  }
  return out;
}

describe('justification', () => {
  for (const engine of ['native', 'libreoffice'] as const) {
    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`never letter-spaces a number or a Latin word (${engine})`, () => {
      const justified = tokenWidths(engine === 'native' ? native.justified! : lo.justified!);
      const ragged = tokenWidths(native.ragged!);
      // Each token is one word of the same width as in the unjustified paragraph.
      for (const t of TOKENS) {
        expect(justified.get(t), `${t} is not one word`).toBeDefined();
        if (engine === 'native') expect(Math.abs(justified.get(t)! - ragged.get(t)!), t).toBeLessThan(0.05);
      }
    });
  }

  it.skipIf(!hasPoppler)('still fills the justified lines to the right edge', () => {
    const lines = boxLines(native.justified!).lines.filter((l) => l.text.startsWith('截至') || l.text.startsWith('专利授权量'));
    expect(lines.length).toBe(2);
    for (const l of lines) expect(Math.abs(l.xMax - (210 - 26) * (72 / 25.4)), l.text).toBeLessThan(1);
  });
});

describe('invisible characters', () => {
  it.skipIf(!hasPoppler)('draws every default-ignorable character as nothing, without failing', () => {
    const text = layoutText(native.invisible!).flat().join('');
    expect(text).toContain('可见文文文文文文文文文文文文文文文结束');
    for (const ch of INVISIBLE) expect(text.includes(ch), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(false);
  });
});

describe('a word longer than a line', () => {
  const dist = fileURLToPath(new URL('../../dist/pdf/index.js', import.meta.url));
  it.skipIf(!existsSync(dist) || !hasPoppler)(
    'breaks by character, a 2-million-character word in under 512 MB of heap',
    () => {
      const word = 'A1b2C3d4E5'.repeat(200_000);
      const docx = join(work, 'long.docx');
      writeFileSync(docx, withBody(base(), `<w:p><w:r><w:t>开头${word}结尾</w:t></w:r></w:p>`));
      const out = join(work, 'long.pdf');
      const script = `import { readFileSync, writeFileSync } from 'node:fs';
const { renderPdf } = await import(${JSON.stringify(dist)});
const r = await renderPdf(readFileSync(${JSON.stringify(docx)}));
writeFileSync(${JSON.stringify(out)}, r.bytes);
console.log(JSON.stringify({ pages: r.pages, errors: r.diagnostics.filter((d) => d.severity === 'error').length }));`;
      const r = spawnSync(process.execPath, ['--max-old-space-size=512', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 240_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const res = JSON.parse(r.stdout) as { pages: number; errors: number };
      expect(res.errors).toBe(0);
      // Every character drawn, in order, lines full to the edge (the template's header line aside).
      const pageText = (p: number): string =>
        spawnSync('pdftotext', ['-f', String(p), '-l', String(p), out, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '').replace(/\{sample_note\}|—\d+—/g, '');
      expect(pageText(1).startsWith(`开头${word.slice(0, 200)}`)).toBe(true);
      expect(pageText(res.pages).endsWith('E5结尾')).toBe(true);
      const lines = boxLines(out).lines.filter((l) => l.page === 2 && /^[A-Za-z0-9]+$/.test(l.text));
      expect(lines.length).toBe(22);
      for (const l of lines) expect(l.xMax, l.text).toBeGreaterThan((210 - 26) * (72 / 25.4) - 8);
      const perLine = [...lines[0]!.text].length;
      // ~2,000,000 characters at the line's capacity, 22 lines a page: none lost, none doubled.
      expect(res.pages).toBeGreaterThanOrEqual(Math.floor(2_000_000 / (perLine + 1) / 22));
      expect(res.pages).toBeLessThanOrEqual(Math.ceil(2_000_000 / (perLine - 1) / 22) + 1);
    },
    300_000,
  );
});

describe('what must not split at a line end', () => {
  for (const engine of ['native', 'libreoffice'] as const) {
    it.skipIf(!hasPoppler || (engine === 'libreoffice' && !soffice))(`keeps phone numbers, 文号, dates and a number with its unit on one line (${engine})`, () => {
      let crossed = 0;
      const split: string[] = [];
      for (const [u, unit] of UNITS.entries()) {
        for (const s of KEEP_SWEEP) {
          const pdf = engine === 'native' ? native[`keep${u}_${s}`]! : lo[`keep${u}_${s}`]!;
          const text = layoutText(pdf).flat().join('\n');
          expect(text.replace(/\n/g, ''), `${unit.text} (shift ${s})`).toContain(unit.text);
          // The filler has no digit and no 〔, so the unit's first character is found first.
          const where = text.indexOf(unit.text[0]!);
          const span = text.slice(where, where + unit.text.length + 1);
          const cut = span.indexOf('\n');
          if (cut >= 0 && cut < unit.text.length) {
            crossed++;
            if (cut > 0 && !unit.allowed.includes(cut)) split.push(`${unit.text} (shift ${s}): ${span.replace('\n', ' / ')}`);
          } else if (text[where - 1] === '\n') crossed++;
        }
      }
      expect(split).toEqual([]);
      expect(crossed).toBeGreaterThan(0);
    });
  }
});
