/**
 * The Kai stand-in from npm (LXGW WenKai) is a web font split into ~100 WOFF2 chunks, and a
 * document's subsets are made side by side. wawoff2 answers with a view into its own heap that
 * its next call reuses, so two chunks decompressed together came back as the same bytes, and
 * `package` on a machine without fonts failed now and then with "无法子集化".
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';

process.env.SHENBAO_CACHE = '0';
const { decompressWoff2, subsetFace } = await import('../../src/pdf/fonts/harfbuzz.js');

const require = createRequire(import.meta.url);
const css = require.resolve('lxgw-wenkai-webfont/lxgwwenkai-regular.css');

/** Each chunk's file and the first few Hanzi its unicode-range names. */
function chunks(): { file: string; cps: number[] }[] {
  const out: { file: string; cps: number[] }[] = [];
  for (const block of readFileSync(css, 'utf8').split('@font-face').slice(1)) {
    const url = /url\(["']?([^"')]+\.woff2)["']?\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;}]+)/.exec(block)?.[1];
    if (!url || !range) continue;
    const cps: number[] = [];
    for (const part of range.split(',')) {
      const [a, b] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
      for (let cp = a!; cp <= (b ?? a!) && cps.length < 12; cp++) if (cp >= 0x4e00 && cp <= 0x9fff) cps.push(cp);
    }
    if (cps.length >= 4) out.push({ file: path.join(path.dirname(css), url), cps });
  }
  return out;
}

const sfntChars = (bytes: Uint8Array, cps: number[]): string[] => {
  const font = fontkit.create(Buffer.from(bytes)) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  return cps.filter((cp) => !font.hasGlyphForCodePoint(cp)).map((cp) => String.fromCodePoint(cp));
};

describe('LXGW WenKai chunks side by side', () => {
  const list = chunks().slice(-8);

  it('decompressed at once, each chunk comes back as its own font, equal to decompressing it alone', async () => {
    expect(list.length).toBe(8);
    const files = list.map((c) => readFileSync(c.file));
    // Copied at once: what each caller holds when all calls have answered.
    const together = (await Promise.all(files.map((f) => decompressWoff2(f)))).map((b) => Buffer.from(b));
    for (const [i, c] of list.entries()) {
      const alone = Buffer.from(await decompressWoff2(files[i]!));
      expect(together[i]!.equals(alone), path.basename(c.file)).toBe(true);
      expect(sfntChars(together[i]!, c.cps), path.basename(c.file)).toEqual([]);
    }
  });

  it('subset at once, every subset holds the characters asked of its chunk', async () => {
    const subsets = await Promise.all(list.map((c) => subsetFace(c.file, 0, c.cps)));
    for (const [i, c] of list.entries()) expect(sfntChars(subsets[i]!, c.cps), path.basename(c.file)).toEqual([]);
  }, 120_000);
});
