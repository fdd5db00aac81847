/**
 * An output folder that cannot be written (issue 6). Tests run as root, so chmod does not
 * block anything: the folders here are unwritable for everyone — a path under a regular file,
 * a regular file where the folder should be, /sys — or have a folder squatting on an output
 * file's name.
 *
 * Contract: exit 2 (an I/O problem, not bad data), a Chinese message naming the folder (or
 * the file under it), no stack trace, and no temporary file (.NAME.PID.TS.tmp) left anywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertDocxOpens, expectNoCrash, hasBuild, MINIMAL_FILE, run, snapshot, tempLeftovers, tmp, walk, writeFile, removeTemps } from './helpers.js';

afterAll(removeTemps);

/** A parent folder holding a regular file, and an --out path that goes through that file. */
function underAFile(): { parent: string; out: string } {
  const parent = tmp('out-blocked');
  writeFile(parent, 'file.txt', 'just a file\n');
  return { parent, out: join(parent, 'file.txt', 'out') };
}

/** /sys refuses new entries even to root (EPERM); skip where that is not so. */
const sysRefuses = (() => {
  try {
    return process.platform === 'linux' && statSync('/sys').isDirectory() && !existsSync('/sys/shenbao-test-out');
  } catch {
    return false;
  }
})();

const commands: { name: string; args: (out: string, data: string) => string[]; needsBuild?: boolean }[] = [
  { name: 'render', args: (out) => ['render', MINIMAL_FILE, '--out', out, '--format', 'docx'] },
  { name: 'render (PDF too)', args: (out) => ['render', MINIMAL_FILE, '--out', out] },
  { name: 'package', args: (out) => ['package', MINIMAL_FILE, '--out', out] },
  { name: 'batch', args: (out, data) => ['batch', data, '--out', out, '--jobs', '1'], needsBuild: true },
];

function batchData(): string {
  const data = tmp('out-data');
  writeFile(data, 'a.yaml', readFileSync(MINIMAL_FILE));
  return data;
}

function expectIoError(r: { code: number; out: string; err: string }, folder: string, reason: RegExp): void {
  expectNoCrash(r, expect);
  expect(r.code, r.err).toBe(2);
  const line = r.err.split('\n').find((l) => l.includes(folder));
  expect(line, `no message naming ${folder}:\n${r.err}`).toBeDefined();
  expect(line).toMatch(/无法写入/);
  expect(line).toMatch(reason);
}

describe('an output folder under a regular file (/tmp/x/file.txt/out)', () => {
  it.each(commands)('$name: exit 2, a Chinese message naming the folder, nothing left behind', async (c) => {
    if (c.needsBuild && !hasBuild) return;
    const { parent, out } = underAFile();
    const data = batchData();
    const before = snapshot(parent);
    const r = await run(...c.args(out, data));
    expectIoError(r, out, /路径中的某一级是文件而不是文件夹/);
    expect(snapshot(parent)).toEqual(before);
    expect(tempLeftovers(parent)).toEqual([]);
  }, 60_000);
});

describe('a regular file where the output folder should be', () => {
  it.each(commands.filter((c) => c.name !== 'render (PDF too)'))('$name: exit 2, the file left as it was', async (c) => {
    if (c.needsBuild && !hasBuild) return;
    const parent = tmp('out-isfile');
    const out = writeFile(parent, 'out', 'a file named out\n');
    const r = await run(...c.args(out, batchData()));
    expectIoError(r, out, /路径中的某一级是文件而不是文件夹/);
    expect(readFileSync(out, 'utf8')).toBe('a file named out\n');
    expect(tempLeftovers(parent)).toEqual([]);
  }, 60_000);
});

describe.skipIf(!sysRefuses)('a folder even root cannot write (/sys)', () => {
  it.each(commands.filter((c) => c.name !== 'render (PDF too)'))('$name: exit 2, 没有写入权限', async (c) => {
    if (c.needsBuild && !hasBuild) return;
    const out = '/sys/shenbao-test-out';
    const r = await run(...c.args(out, batchData()));
    expectIoError(r, out, /没有写入权限/);
    expect(readdirSync('/sys').filter((n) => n.includes('shenbao'))).toEqual([]);
  }, 60_000);
});

describe('a folder squatting on an output file name', () => {
  it('render: exit 2 naming the file; what was written is whole, the squatter untouched, no temporary file', async () => {
    const out = tmp('out-squat');
    writeFile(out, '02-创建工作报告.docx/keep.txt', 'a folder where a document should go\n');
    const r = await run('render', MINIMAL_FILE, '--out', out, '--format', 'docx');
    expectIoError(r, join(out, '02-创建工作报告.docx'), /./);
    expect(readFileSync(join(out, '02-创建工作报告.docx', 'keep.txt'), 'utf8')).toBe('a folder where a document should go\n');
    // Files are written atomically: any that exists is a complete DOCX.
    for (const p of walk(out).filter((f) => f.endsWith('.docx') && statSync(f).isFile())) assertDocxOpens(readFileSync(p), p);
    expect(tempLeftovers(out)).toEqual([]);
  });

  it("package: a folder where the zip should go gives exit 2 naming the zip, and no temporary file", async () => {
    const out = tmp('out-squat-zip');
    writeFile(out, '徐汇区-示范城区.zip/keep.txt', 'a folder where the zip should go\n');
    const r = await run('package', MINIMAL_FILE, '--out', out);
    expectIoError(r, join(out, '徐汇区-示范城区.zip'), /./);
    expect(readFileSync(join(out, '徐汇区-示范城区.zip', 'keep.txt'), 'utf8')).toBe('a folder where the zip should go\n');
    expect(tempLeftovers(out)).toEqual([]);
  }, 60_000);
});
