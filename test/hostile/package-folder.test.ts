/**
 * A package folder is ours file by file (issue 12): the manifest names what shenbao wrote; a
 * re-run replaces exactly those files and keeps the user's (the scanned sealed letter, an
 * evidence folder); a user's file under a name we want is refused; a kill at any point of the
 * write leaves a package the user can find, and the next run cleans up.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoCrash, hasBuild, MINIMAL_FILE, removeTemps, run, sha256, spawnBounded, tempLeftovers, tmp, writeFile } from './helpers.js';

afterAll(removeTemps);

const NAME = '徐汇区-示范城区';
const SCAN = Buffer.from('%PDF-1.4 盖章扫描件，用户自己放进来的\n');
const PHOTO = Buffer.from('evidence photo bytes');

/** A fresh output folder with one package already built in it. */
async function built(prefix: string): Promise<string> {
  const out = tmp(prefix);
  const r = await run('package', MINIMAL_FILE, '--out', out);
  expect(r.code, r.err).toBe(0);
  return out;
}

const ourNames = (out: string): string[] =>
  (JSON.parse(readFileSync(join(out, NAME, 'manifest.json'), 'utf8')) as { files: { path: string }[] }).files.map((f) => f.path);

describe('a re-run keeps what the user put into the package folder', () => {
  let out: string;
  let firstZip: Buffer;
  let second: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    out = await built('keep');
    firstZip = readFileSync(join(out, `${NAME}.zip`));
    writeFile(join(out, NAME), '盖章申报函扫描件.pdf', SCAN);
    writeFile(join(out, NAME), '佐证材料/专利证书.jpg', PHOTO);
    // A file of ours the user deleted by hand comes back; one they edited is replaced.
    rmSync(join(out, NAME, '说明.txt'));
    writeFileSync(join(out, NAME, '01-申报函.docx'), 'edited');
    second = await run('package', MINIMAL_FILE, '--out', out);
  }, 120_000);

  it('exits 0 and says which entries it kept', () => {
    expectNoCrash(second, expect);
    expect(second.code, second.err).toBe(0);
    const all = second.out + second.err;
    expect(all).toMatch(/2 项不是 shenbao 生成的/);
    expect(all).toContain('盖章申报函扫描件.pdf');
    expect(all).toContain('佐证材料');
  });

  it("leaves the user's files byte for byte, folders included", () => {
    expect(readFileSync(join(out, NAME, '盖章申报函扫描件.pdf')).equals(SCAN)).toBe(true);
    expect(readFileSync(join(out, NAME, '佐证材料', '专利证书.jpg')).equals(PHOTO)).toBe(true);
  });

  it('rewrites every file of its own, and the zip holds only those', () => {
    expect(readFileSync(join(out, NAME, '01-申报函.docx'), 'latin1').startsWith('PK')).toBe(true);
    expect(existsSync(join(out, NAME, '说明.txt'))).toBe(true);
    for (const f of ourNames(out)) expect(existsSync(join(out, NAME, f)), f).toBe(true);
    expect(readFileSync(join(out, `${NAME}.zip`)).equals(firstZip)).toBe(true);
    expect(readdirSync(join(out, NAME)).sort()).toEqual([...ourNames(out), 'manifest.json', '盖章申报函扫描件.pdf', '佐证材料'].sort());
    expect(tempLeftovers(out)).toEqual([]);
  });
});

describe('a name we want that holds something we did not write is refused (exit 2)', () => {
  it("a user's own zip of the package's name", async () => {
    const out = tmp('userzip');
    const mine = Buffer.from('PK\u0003\u0004 my own archive, not shenbao');
    writeFile(out, `${NAME}.zip`, mine);
    const r = await run('package', MINIMAL_FILE, '--out', out);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${NAME}.zip`);
    expect(r.err).toMatch(/不是 shenbao 生成的，未覆盖/);
    expect(readFileSync(join(out, `${NAME}.zip`)).equals(mine)).toBe(true);
    expect(readdirSync(out)).toEqual([`${NAME}.zip`]);
  }, 60_000);

  it('a user file under one of our names that the manifest does not list', async () => {
    const out = tmp('clash');
    const dir = join(out, NAME);
    writeFile(dir, 'manifest.json', JSON.stringify({ shenbao: '0.0.0', files: [] }));
    writeFile(dir, '说明.txt', '我自己写的说明');
    const r = await run('package', MINIMAL_FILE, '--out', out);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/说明\.txt 不是 shenbao 生成的/);
    expect(readFileSync(join(dir, '说明.txt'), 'utf8')).toBe('我自己写的说明');
    expect(readdirSync(out)).toEqual([NAME]);
  }, 60_000);

  it('a manifest that is not ours (garbage) protects the whole folder', async () => {
    const out = tmp('badmanifest');
    const dir = join(out, NAME);
    writeFile(dir, 'manifest.json', 'not json');
    writeFile(dir, '草稿.docx', 'draft');
    const r = await run('package', MINIMAL_FILE, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/manifest\.json 已损坏/);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', '草稿.docx']);
  }, 60_000);
});

/**
 * SHENBAO_KILL_AT makes the CLI SIGKILL itself at a point of the write; what is visible then,
 * and what the next run makes of it, is what a user sees after a power cut.
 */
describe.skipIf(!hasBuild)('a kill at any point of the write', () => {
  const points = ['written', 'old-moved', 'dir-swapped'] as const;
  it.each(points)('killed at %s: the package (old or new) and the user files survive, the next run cleans up', async (point) => {
    const out = await built(`kill-${point}`);
    writeFile(join(out, NAME), '盖章申报函扫描件.pdf', SCAN);
    const before = sha256(readFileSync(join(out, NAME, 'manifest.json')));
    const zipBefore = sha256(readFileSync(join(out, `${NAME}.zip`)));

    const killed = await spawnBounded(['package', MINIMAL_FILE, '--out', out], { env: { SHENBAO_KILL_AT: point }, timeoutMs: 90_000 });
    expect(killed.timedOut).toBe(false);
    expect(killed.signal).toBe('SIGKILL');

    // The zip is replaced last, by one rename: at every point the previous package is there, whole, as a zip.
    expect(sha256(readFileSync(join(out, `${NAME}.zip`)))).toBe(zipBefore);
    if (point === 'old-moved') {
      // Between two renames the folder is briefly absent: the old one is whole under its temporary name.
      const old = readdirSync(out).find((n) => n.endsWith('.tmp.old'));
      expect(old).toBeDefined();
      expect(sha256(readFileSync(join(out, old!, 'manifest.json')))).toBe(before);
      expect(readFileSync(join(out, old!, '盖章申报函扫描件.pdf')).equals(SCAN)).toBe(true);
    } else {
      expect(sha256(readFileSync(join(out, NAME, 'manifest.json')))).toBe(before);
      expect(readFileSync(join(out, NAME, '盖章申报函扫描件.pdf')).equals(SCAN)).toBe(true);
      for (const f of ourNames(out)) expect(existsSync(join(out, NAME, f)), f).toBe(true);
    }
    expect(tempLeftovers(out).length).toBeGreaterThan(0);

    const next = await spawnBounded(['package', MINIMAL_FILE, '--out', out], { timeoutMs: 90_000 });
    expect(next.code, next.err).toBe(0);
    expect(tempLeftovers(out)).toEqual([]);
    expect(readFileSync(join(out, NAME, '盖章申报函扫描件.pdf')).equals(SCAN)).toBe(true);
    expect(readdirSync(out).sort()).toEqual([NAME, `${NAME}.zip`]);
  }, 240_000);
});

it('makes the package in a fresh folder with nothing else in it', async () => {
  const out = await built('fresh');
  expect(readdirSync(out).sort()).toEqual([NAME, `${NAME}.zip`]);
  mkdirSync(join(out, 'unrelated'));
  const again = await run('package', MINIMAL_FILE, '--out', out);
  expect(again.code).toBe(0);
  expect(again.out + again.err).not.toMatch(/不是 shenbao 生成的/);
  expect(existsSync(join(out, 'unrelated'))).toBe(true);
}, 120_000);

/**
 * The office's 汇总 files are one set (issue 12, item 8): a kill while they are replaced leaves
 * the previous set whole (visible, or moved aside whole and restored by the next run), never a
 * new 汇总表 beside an old 推荐函; the next run leaves no temporary copies behind.
 */
describe.skipIf(!hasBuild)('a kill while the 汇总 set is replaced', () => {
  const points = ['summary-written', 'summary-old-moved', 'summary-swapped'] as const;
  const summaryOf = (out: string, dir = '汇总') =>
    Object.fromEntries(readdirSync(join(out, dir)).sort().map((n) => [n, sha256(readFileSync(join(out, dir, n)))]));
  it.each(points)('killed at %s: one whole set is there (or restored), the next run cleans up', async (point) => {
    const out = tmp(`kill-${point}`);
    const first = await spawnBounded(['batch', MINIMAL_FILE, '--out', out, '--jobs', '1'], { timeoutMs: 120_000 });
    expectNoCrash(first, expect);
    const before = summaryOf(out);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(3);

    const killed = await spawnBounded(['batch', MINIMAL_FILE, '--out', out, '--jobs', '1', '--force'], { env: { SHENBAO_KILL_AT: point }, timeoutMs: 120_000 });
    expect(killed.timedOut).toBe(false);
    expect(killed.signal).toBe('SIGKILL');
    if (point === 'summary-old-moved') {
      const old = readdirSync(out).find((n) => n.startsWith('.汇总.') && n.endsWith('.tmp.old'));
      expect(old).toBeDefined();
      expect(summaryOf(out, old)).toEqual(before);
      expect(existsSync(join(out, '汇总'))).toBe(false);
    } else {
      // Before the swap the old set, after it the new one: the same names either way, never a mix of runs.
      expect(Object.keys(summaryOf(out))).toEqual(Object.keys(before));
    }

    const next = await spawnBounded(['batch', MINIMAL_FILE, '--out', out, '--jobs', '1'], { timeoutMs: 120_000 });
    expectNoCrash(next, expect);
    // Said as what it is: the 汇总 folder, not a package's.
    if (point === 'summary-old-moved') expect(next.out + next.err).toContain('已从临时副本恢复原有的汇总文件夹');
    expect(tempLeftovers(out)).toEqual([]);
    expect(Object.keys(summaryOf(out))).toEqual(Object.keys(before));
  }, 360_000);
});
