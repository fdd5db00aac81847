/**
 * Determinism (issue 6): the same input gives the same bytes, every file — DOCX, PDF, the
 * combined PDF, the manifest and the zip — run after run and in any time zone. An office
 * compares sha256 sums between a draft and the final package; a byte that changes with the
 * clock or the machine's zone would make every package look edited.
 *
 * The input is test/fixtures/hostile/glyphs.yaml (minimal.yaml plus characters no font has),
 * so the font fallback and the missing-glyph path are part of what must not vary.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBuild, HOSTILE, ROOT, run, snapshot, tmp, type RunResult, removeTemps } from './helpers.js';

afterAll(removeTemps);

const INPUT = resolve(HOSTILE, 'glyphs.yaml');
const BIN = resolve(ROOT, 'bin/shenbao.js');

/** Every file of a render and a package of INPUT under `root`, in-process. */
async function renderAndPackage(root: string): Promise<void> {
  const r = await run('render', INPUT, '--out', join(root, 'render'), '--format', 'docx,pdf', '--pdf-engine', 'native', '--allow-blank');
  expect(r.code, r.err).toBe(0);
  const p = await run('package', INPUT, '--out', join(root, 'package'), '--pdf-engine', 'native', '--allow-blank');
  expect(p.code, p.err).toBe(0);
}

/** The CLI as users run it, in its own process, with the given environment on top of ours. */
function spawnCli(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, SHENBAO_DEBUG: '', ...env } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: stdout, err: stderr });
    });
  });
}

function expectSameTree(a: Map<string, string>, b: Map<string, string>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const differing = [...a].filter(([p, h]) => b.get(p) !== h).map(([p]) => p);
  expect(differing, `files whose bytes differ: ${differing.join(', ')}`).toEqual([]);
}

describe('the same input twice', () => {
  let first: Map<string, string>;
  let second: Map<string, string>;

  beforeAll(async () => {
    const a = tmp('det-a');
    const b = tmp('det-b');
    await renderAndPackage(a);
    await renderAndPackage(b);
    first = snapshot(a);
    second = snapshot(b);
  }, 120_000);

  it('produces the expected set: three DOCX and PDF and its record from render, a package folder with its manifest, and a zip', () => {
    const files = [...first.keys()].filter((p) => first.get(p) !== 'dir');
    expect(files.filter((p) => p.startsWith('render/'))).toHaveLength(7);
    expect(files).toContain(join('render', '.shenbao-生成记录.json'));
    expect(files).toContain(join('package', '徐汇区-示范城区', 'manifest.json'));
    expect(files).toContain(join('package', '徐汇区-示范城区', '徐汇区-示范城区-材料汇编.pdf'));
    expect(files).toContain(join('package', '徐汇区-示范城区.zip'));
    expect(files.filter((p) => p.endsWith('.pdf')).length).toBeGreaterThanOrEqual(8);
  });

  it('gives byte-identical files (sha256 of every file, the zip and the manifest included)', () => {
    expectSameTree(first, second);
  });
});

describe.skipIf(!hasBuild)('the CLI in another time zone', () => {
  it('gives the same bytes with TZ=Asia/Shanghai as with TZ=UTC', async () => {
    const zones = ['UTC', 'Asia/Shanghai'];
    const roots = zones.map((z) => tmp(`det-${z.replace('/', '-')}`));
    // Two processes at a time: the machine running the tests may have two cores.
    for (const [i, zone] of zones.entries()) {
      const [r, p] = await Promise.all([
        spawnCli(['render', INPUT, '--out', join(roots[i]!, 'render'), '--pdf-engine', 'native', '--allow-blank'], { TZ: zone }),
        spawnCli(['package', INPUT, '--out', join(roots[i]!, 'package'), '--pdf-engine', 'native', '--allow-blank'], { TZ: zone }),
      ]);
      expect(r.code, `${zone}: ${r.err}`).toBe(0);
      expect(p.code, `${zone}: ${p.err}`).toBe(0);
    }
    const [utc, ...others] = roots.map((r) => snapshot(r));
    expect([...utc!.keys()].some((p) => p.endsWith('.zip'))).toBe(true);
    for (const other of others) expectSameTree(utc!, other);
  }, 120_000);
});
