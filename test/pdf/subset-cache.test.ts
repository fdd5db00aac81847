/**
 * The font caches (src/common/cache.ts; subsets, src/pdf/fonts/harfbuzz.ts; metrics,
 * src/pdf/fonts/face.ts): a PDF made from cached subsets and metrics has the bytes of one made
 * without the cache, a damaged entry is recomputed and replaced, and the cache stays under its size.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskCache } from '../../src/common/cache.js';
import { ROOT } from '../cli/helpers.js';

const BIN = join(ROOT, 'bin/shenbao.js');
const hasBuild = existsSync(join(ROOT, 'dist/cli/main.js'));
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'shenbao-cache-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The letter of an example as PDF, through the CLI, with the cache in `cacheDir` (or off). */
function letterPdf(out: string, env: Record<string, string>): Promise<Buffer> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [BIN, 'render', 'examples/xuhui-demo-district.yaml', '--only', 'letter', '--format', 'pdf', '--out', join(tmp, out)],
      { cwd: ROOT, env: { ...process.env, SHENBAO_CACHE_DIR: '', SHENBAO_CACHE: '', ...env } },
      (err, _stdout, stderr) => {
        if (err) return fail(new Error(`render exited ${err.code}: ${stderr}`));
        const dir = join(tmp, out);
        const pdf = readdirSync(dir).find((n) => n.endsWith('.pdf'));
        if (!pdf) return fail(new Error(`no PDF in ${dir}`));
        done(readFileSync(join(dir, pdf)));
      },
    );
  });
}

describe.skipIf(!hasBuild)('font subsets cached on disk', () => {
  it('gives the same PDF bytes without the cache, filling it, reading it, and over damaged entries', { timeout: 30_000 }, async () => {
    const cacheDir = join(tmp, 'cache');
    const without = await letterPdf('off', { SHENBAO_CACHE: '0' });
    expect(existsSync(cacheDir)).toBe(false);
    const filling = await letterPdf('fill', { SHENBAO_CACHE_DIR: cacheDir });
    const entries = readdirSync(join(cacheDir, 'subsets'));
    // One subset per face the letter uses (Song, FangSong, Hei, Latin…).
    expect(entries.length).toBeGreaterThanOrEqual(2);
    // The faces' metrics too: the next run lays out without opening a font file.
    const metrics = readdirSync(join(cacheDir, 'metrics'));
    expect(metrics.length).toBeGreaterThanOrEqual(2);
    const reading = await letterPdf('read', { SHENBAO_CACHE_DIR: cacheDir });
    // Metrics whose hash holds but whose content is not ours (another format): ignored, and the
    // face read again from its file.
    const foreign = Buffer.from(JSON.stringify({ v: 99, ascent: 0, descent: 0, ps: 'X', has: [], not: [], w: [0x4e00, 5] }));
    writeFileSync(join(cacheDir, 'metrics', metrics[0]!), Buffer.concat([createHash('sha256').update(foreign).digest(), foreign]));
    const foreignPdf = await letterPdf('foreign', { SHENBAO_CACHE_DIR: cacheDir });
    expect(sha(foreignPdf)).toBe(sha(without));
    // Every entry damaged: the first byte of the font flipped, another cut short.
    for (const [i, f] of [...entries.map((n) => join(cacheDir, 'subsets', n)), ...metrics.map((n) => join(cacheDir, 'metrics', n))].entries()) {
      const b = readFileSync(f);
      if (i % 2) writeFileSync(f, b.subarray(0, b.length >> 1));
      else {
        b[40] = b[40]! ^ 0xff;
        writeFileSync(f, b);
      }
    }
    const damaged = await letterPdf('damaged', { SHENBAO_CACHE_DIR: cacheDir });
    expect(sha(filling)).toBe(sha(without));
    expect(sha(reading)).toBe(sha(without));
    expect(sha(damaged)).toBe(sha(without));
    // Damaged entries were recomputed and written again whole: each one's hash matches its body.
    for (const sub of ['subsets', 'metrics']) {
      for (const n of readdirSync(join(cacheDir, sub))) {
        const b = readFileSync(join(cacheDir, sub, n));
        expect(createHash('sha256').update(b.subarray(32)).digest().equals(b.subarray(0, 32)), n).toBe(true);
      }
    }
  });
});

describe('disk cache', () => {
  it('returns what was stored, and nothing for an unknown key or when turned off', () => {
    const root = join(tmp, 'unit');
    process.env.SHENBAO_CACHE_DIR = root;
    try {
      const c = diskCache('t', 1 << 20)!;
      c.set('a', new Uint8Array([1, 2, 3]));
      expect([...c.get('a')!]).toEqual([1, 2, 3]);
      expect(c.get('b')).toBeUndefined();
      process.env.SHENBAO_CACHE = 'off';
      expect(diskCache('t', 1 << 20)).toBeUndefined();
    } finally {
      delete process.env.SHENBAO_CACHE_DIR;
      delete process.env.SHENBAO_CACHE;
    }
  });

  it('trims itself to three quarters of its size, least recently used first, keeping the new entry', () => {
    const root = join(tmp, 'bounded');
    const dir = join(root, 'b');
    mkdirSync(dir, { recursive: true });
    // Ten old entries of 1000 bytes, used one after another an hour apart.
    for (let i = 0; i < 10; i++) {
      const f = join(dir, `old${i}`);
      writeFileSync(f, Buffer.alloc(1000, i));
      const t = new Date(Date.now() - (20 - i) * 3600_000);
      utimesSync(f, t, t);
    }
    process.env.SHENBAO_CACHE_DIR = root;
    try {
      const c = diskCache('b', 8000)!;
      c.set('new', new Uint8Array(968));
      const left = readdirSync(dir);
      const total = left.reduce((s, n) => s + readFileSync(join(dir, n)).length, 0);
      expect(total).toBeLessThanOrEqual(6000);
      expect(left).not.toContain('old0');
      expect(left).toContain('old9');
      expect([...c.get('new')!].length).toBe(968);
    } finally {
      delete process.env.SHENBAO_CACHE_DIR;
    }
  });
});
