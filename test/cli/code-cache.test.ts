/**
 * bin/shenbao.js keeps V8's compiled code of the bundled CLI under the cache folder: a command
 * answers the same with the cache empty, filled, or damaged (truncated, or well-formed garbage
 * that V8 must refuse), and the cache never lands in the user's folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin/shenbao.js');
const bundled = existsSync(join(ROOT, 'dist/bundle/main.cjs')) && existsSync(join(ROOT, 'dist/bundle/light.cjs'));
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'shenbao-v8-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], cacheDir: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHENBAO_CACHE: '', SHENBAO_NO_BUNDLE: '', SHENBAO_CACHE_DIR: cacheDir } }, (error, out, err) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err }),
    );
  });
}

/** The entry's checksum as bin/code-cache.cjs writes it, by the algorithm its name gives. */
function checksum(file: string, data: Buffer): Buffer {
  if (file.endsWith('.sha.cache')) return createHash('sha256').update(data).digest();
  const out = Buffer.alloc(4);
  out.writeUInt32LE((zlib as unknown as { crc32(d: Buffer): number }).crc32(data) >>> 0);
  return out;
}

describe.skipIf(!bundled || typeof (process as { features?: { compile_cache?: boolean } }).features?.compile_cache === 'boolean')('V8 code cache of the bundled CLI', () => {
  it('gives the same answers with the cache empty, filled, truncated and filled with garbage', async () => {
    const cacheDir = join(tmp, 'cache');
    const args = ['check', 'examples/xuhui-demo-district.yaml', '--json'];
    const first = await cli(args, cacheDir);
    expect(first.code, first.err).toBe(0);
    const v8 = join(cacheDir, 'v8');
    const entries = readdirSync(v8);
    // One entry, named after the version, the light bundle and the command.
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^\d+\.\d+\.\d+.*-light-.*-check\.(crc|sha)\.cache$/);
    const again = await cli(args, cacheDir);
    expect(again).toEqual(first);

    const file = join(v8, entries[0]!);
    writeFileSync(file, readFileSync(file).subarray(0, 100));
    expect(await cli(args, cacheDir)).toEqual(first);
    // Replaced whole by the run that could not use it.
    expect(readFileSync(file).length).toBeGreaterThan(1000);

    // One byte rotted inside: V8 itself does not checksum a cache's payload in release builds,
    // so the entry's own checksum must refuse it, and the run writes a sound one.
    const sound = readFileSync(file);
    const rotted = Buffer.from(sound);
    rotted[Math.floor(rotted.length / 2)]! ^= 0x40;
    writeFileSync(file, rotted);
    expect(await cli(args, cacheDir)).toEqual(first);
    expect(readFileSync(file).equals(rotted)).toBe(false);

    // Garbage with a correct checksum: only V8's own checks stand between it and the run.
    const garbage = Buffer.alloc(200_000, 0x5a);
    writeFileSync(file, Buffer.concat([checksum(file, garbage), garbage]));
    expect(await cli(args, cacheDir)).toEqual(first);
  });

  it('keeps one cache per command, for the bundle that command runs from', async () => {
    const cacheDir = join(tmp, 'per-command');
    const r = await cli(['templates', 'lint', '--json'], cacheDir);
    expect(r.code, r.err).toBe(0);
    const v = await cli(['validate', 'examples/xuhui-demo-district.yaml'], cacheDir);
    expect(v.code, v.err).toBe(0);
    const names = readdirSync(join(cacheDir, 'v8')).sort();
    expect(names).toHaveLength(2);
    expect(names.find((n) => /-templates\.(crc|sha)\.cache$/.test(n))).toMatch(/-main-/);
    expect(names.find((n) => /-validate\.(crc|sha)\.cache$/.test(n))).toMatch(/-light-/);
  });

  it('lets the next batch use the caches a batch wrote: its main thread and its workers read them, not write them again', { timeout: 60_000 }, async () => {
    // The batch worker tunes V8's optimiser, process-wide; a cache written under other flags than
    // a fresh process has is refused by V8 every time (and written out again every time).
    const cacheDir = join(tmp, 'batch');
    const args = ['batch', 'examples/xuhui-demo-district.yaml', 'examples/minhang-pilot-district.yaml', '--jobs', '2', '--force'];
    const first = await cli([...args, '--out', join(tmp, 'batch-out-1')], cacheDir);
    expect(first.code, first.err).toBe(0);
    const v8 = join(cacheDir, 'v8');
    const written = new Map(readdirSync(v8).map((n) => [n, readFileSync(join(v8, n))]));
    expect([...written.keys()].some((n) => /-main-.*-batch\.(crc|sha)\.cache$/.test(n))).toBe(true);
    expect([...written.keys()].some((n) => /-worker-.*-worker\.(crc|sha)\.cache$/.test(n))).toBe(true);
    const second = await cli([...args, '--out', join(tmp, 'batch-out-2')], cacheDir);
    expect(second.code, second.err).toBe(0);
    // A refused cache is written again from what that run compiled: different bytes.
    for (const [n, bytes] of written) expect(readFileSync(join(v8, n)).equals(bytes), n).toBe(true);
    expect(readdirSync(v8).sort()).toEqual([...written.keys()].sort());
  });

  it('writes nothing with SHENBAO_CACHE=0', async () => {
    const cacheDir = join(tmp, 'off');
    const r = await new Promise<number>((done) =>
      execFile(process.execPath, [BIN, 'validate', 'examples/xuhui-demo-district.yaml'], { cwd: ROOT, env: { ...process.env, SHENBAO_CACHE: '0', SHENBAO_CACHE_DIR: cacheDir } }, (e) => done(e ? 1 : 0)),
    );
    expect(r).toBe(0);
    expect(existsSync(cacheDir)).toBe(false);
  });
});
