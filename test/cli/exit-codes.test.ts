/**
 * The README's exit-code contract (0 done, 1 data or templates wrong, 2 usage or I/O) for the
 * usage and I/O mistakes a user makes, with --json on every command.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './helpers.js';

const EXAMPLE = path.join(ROOT, 'examples/xuhui-demo-district.yaml');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'shenbao-exit-'));

describe('usage and I/O mistakes exit 2 with a Chinese message', () => {
  it('batch on a folder that is not there', async () => {
    const r = await run('batch', path.join(tmp(), '没有'), '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toContain('找不到文件或文件夹');
  });

  it('templates lint on a folder that is not there', async () => {
    const r = await run('templates', 'lint', path.join(tmp(), '没有'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('模板目录不存在');
  });

  it('render --only with a material the round does not have, writing nothing', async () => {
    const out = path.join(tmp(), 'out');
    const r = await run('render', EXAMPLE, '--only', 'bogus', '--out', out, '--format', 'docx');
    expect(r.code).toBe(2);
    expect(r.err).toContain('没有材料 bogus（可选：letter、report、plan）');
  });

  it('templates without a tool shows the tools', async () => {
    const r = await run('templates');
    expect(r.code).toBe(2);
    expect(r.err).toContain('lint');
  });

  it('--fonts naming a folder that is not there', async () => {
    const out = path.join(tmp(), 'out');
    const r = await run('render', EXAMPLE, '--fonts', path.join(tmp(), '没有'), '--out', out, '--only', 'letter');
    expect(r.code).toBe(2);
    expect(r.err).toContain('字体目录不存在或不是文件夹');
  });
});

describe('--json on every command', () => {
  it('schema --json --out says where it wrote, and the file is the schema', async () => {
    const file = path.join(tmp(), 'applicant.schema.json');
    const r = await run('schema', '--json', '--out', file);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ok: true, out: file });
    expect(JSON.parse(readFileSync(file, 'utf8')).type).toBe('object');
  });

  it('a usage error under --json is a JSON object with ok false and the diagnostics', async () => {
    const r = await run('batch', path.join(tmp(), '没有'), '--json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out) as { ok: boolean; diagnostics: { code: string; message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics[0]!.code).toBe('usage.input');
  });

  it('doctor --json names the file and the source of every role', async () => {
    const r = await run('doctor', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { fonts: { requested: string; file?: string; source?: string }[] };
    expect(report.fonts.map((f) => f.requested)).toEqual(expect.arrayContaining(['仿宋_GB2312', '楷体_GB2312', '黑体', '方正小标宋简体', '宋体', 'Times New Roman']));
    for (const f of report.fonts) expect(f.file, f.requested).toBeTruthy();
  });
});
