import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const LIBERATION = '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf';

async function run(args: string[], config: string) {
  process.env.SHENBAO_CONFIG = config;
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('shenbao.config.yaml', () => {
  afterEach(() => {
    delete process.env.SHENBAO_CONFIG;
  });

  it.skipIf(!existsSync(LIBERATION))('gives every command the office font folder, relative to the config file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-cfg-'));
    mkdirSync(path.join(dir, '公文字体'));
    copyFileSync(LIBERATION, path.join(dir, '公文字体', 'times.ttf'));
    writeFileSync(path.join(dir, 'shenbao.config.yaml'), 'fonts: 公文字体\n');
    const r = await run(['doctor', '--json'], path.join(dir, 'shenbao.config.yaml'));
    const times = JSON.parse(r.out).fonts.find((f: { requested: string }) => f.requested === 'Times New Roman');
    expect(times.source).toBe('user');
    expect(times.file).toBe(path.join(dir, '公文字体', 'times.ttf'));
  });

  it('refuses an unknown setting with exit 2 and names the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-cfg-'));
    const file = path.join(dir, 'shenbao.config.yaml');
    writeFileSync(file, 'fontz: x\n');
    const r = await run(['doctor'], file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).toContain('配置文件有误');
  });

  it('says in Chinese, at its line and column, what each wrong setting should be', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-cfg-'));
    const file = path.join(dir, 'shenbao.config.yaml');
    writeFileSync(file, 'fonts: ./字体\nfontz: x\npdf_engine: word\n');
    const r = await run(['doctor'], file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:2:1`);
    expect(r.err).toContain('未知的设置 fontz');
    expect(r.err).toContain(`${file}:3:1`);
    expect(r.err).toContain('pdf_engine 只能是 native 或 libreoffice');
    expect(r.err).not.toMatch(/Unrecognized|Invalid|expected/);
  });

  it('refuses a fonts folder that is not there, instead of falling back to stand-ins in silence', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-cfg-'));
    const file = path.join(dir, 'shenbao.config.yaml');
    writeFileSync(file, 'fonts: ./没有这个目录\n');
    const r = await run(['doctor'], file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`字体目录不存在或不是文件夹：${path.join(dir, '没有这个目录')}`);
  });
});

describe('output into a closed pipe', () => {
  it('`shenbao doctor | head -1` ends quietly, no stack trace', async () => {
    const { execSync } = await import('node:child_process');
    const err = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-pipe-')), 'stderr.txt');
    const out = execSync(`node bin/shenbao.js doctor 2>${err} | head -1; node bin/shenbao.js check examples/xuhui-demo-district.yaml 2>>${err} | head -1; cat ${err}`, { encoding: 'utf8', shell: '/bin/bash' });
    expect(out).toContain('字体');
    expect(out).not.toMatch(/EPIPE|\n\s+at /);
  });
});
