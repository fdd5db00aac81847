import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.js';
import { main } from '../../src/cli/main.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { PACKAGE_ENGINE } from '../package/engine.js';
import { generateBatch } from './generate.js';

const hasEngine = PACKAGE_ENGINE === 'native' || Boolean(findSoffice());
const tmp = (p: string) => mkdtempSync(path.join(tmpdir(), `shenbao-${p}-`));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const packages = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.zip'));

describe.skipIf(!hasEngine)('shenbao batch', () => {
  it('builds 40 packages despite one broken file, names it, exits 1, and summarises for the office', async () => {
    const data = tmp('batch-data');
    const files = generateBatch(data, 41, [17]);
    const out = tmp('batch-out');
    const r = await cli(['batch', data, '--out', out, '--jobs', '2', '--pdf-engine', PACKAGE_ENGINE]);
    expect(r.code).toBe(1);
    expect(packages(out)).toHaveLength(40);
    const failures = r.err.split('\n').filter((l) => l.startsWith('✗'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(path.basename(files[17]!));
    expect(failures[0]).toMatch(/:\d+:\d+/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toContain('完成：生成 40 个，未变化跳过 0 个，失败 1 个。');
    // Plain progress lines off a terminal.
    expect(r.out).toMatch(/\[41\/41\]/);

    const csv = readFileSync(path.join(out, '汇总', '申报情况汇总表.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    // header, the 40 built, and the broken file with its error: every submitted file is listed
    const rows = csv.trim().split(/\r\n/);
    expect(rows.length).toBe(42);
    expect(rows[41]).toContain(path.basename(files[17]!));
    expect(rows[41]).toContain('未生成：');
    expect(existsSync(path.join(out, '汇总', '申报情况汇总表.docx'))).toBe(true);
    expect(existsSync(path.join(out, '汇总', '申报情况汇总表.pdf'))).toBe(true);

    // Unchanged inputs are not rebuilt; --force rebuilds.
    const again = await cli(['batch', data, '--out', out, '--jobs', '2', '--pdf-engine', PACKAGE_ENGINE, '--json']);
    const j = JSON.parse(again.out);
    expect(j.skipped).toBe(40);
    expect(j.built).toBe(0);
  }, 900_000);

  it('rebuilds one applicant whose data changed, and everything with --force', async () => {
    const data = tmp('inc-data');
    const files = generateBatch(data, 2);
    const out = tmp('inc-out');
    const first = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2 });
    expect(first.outcomes.map((o) => o.status)).toEqual(['built', 'built']);
    writeFileSync(files[1]!, readFileSync(files[1]!, 'utf8').replace(/date: 2022-02-\d+/, 'date: 2022-02-16'));
    const second = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2 });
    expect(second.outcomes.map((o) => o.status)).toEqual(['skipped', 'built']);
    const forced = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2, force: true });
    expect(forced.outcomes.map((o) => o.status)).toEqual(['built', 'built']);
  }, 300_000);

  it('refuses two files that would produce the same package, instead of overwriting', async () => {
    const data = tmp('dup-data');
    const [a] = generateBatch(data, 1);
    const twin = path.join(data, 'twin.yaml');
    writeFileSync(twin, readFileSync(a!, 'utf8'));
    const r = await runBatch([data], { outDir: tmp('dup-out'), engine: PACKAGE_ENGINE, version: 't' });
    expect(r.outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(r.outcomes[0]!.diagnostics[0]!.message).toContain('同名');
  });

  it('reports a worker that throws or dies against its own file; the others are built', async () => {
    const data = tmp('crash-data');
    const files = generateBatch(data, 3);
    const r = await runBatch([data], {
      outDir: tmp('crash-out'),
      engine: PACKAGE_ENGINE,
      version: 't',
      jobs: 2,
      crash: { [path.basename(files[0]!)]: 'throw', [path.basename(files[1]!)]: 'exit' },
    });
    const by = Object.fromEntries(r.outcomes.map((o) => [path.basename(o.file), o]));
    expect(by[path.basename(files[0]!)]!.status).toBe('failed');
    expect(by[path.basename(files[1]!)]!.status).toBe('failed');
    expect(by[path.basename(files[1]!)]!.diagnostics[0]!.message).toContain('工作线程异常终止');
    expect(by[path.basename(files[2]!)]!.status).toBe('built');
  }, 300_000);

  it('drafts the 推荐函 for a selection within the quotas, and refuses one over a quota', async () => {
    const data = tmp('sel-data');
    generateBatch(data, 8);
    // 0,4 are 示范城区 (quota 2); 2,6 are 示范园区 (quota 1).
    const over = path.join(data, '_over.yaml');
    writeFileSync(over, '- 样例三园区\n- 样例七园区\n');
    const refused = await cli(['batch', data, '--out', tmp('sel-out'), '--select', over, '--pdf-engine', PACKAGE_ENGINE]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('示范园区推荐名额为 1 个，推荐名单选择了 2 个（样例三园区、样例七园区），超出名额');

    const ok = path.join(data, '_ok.yaml');
    writeFileSync(ok, '- 样例一区\n- 样例五区\n- 样例三园区\n');
    const out = tmp('sel-out2');
    const r = await cli(['batch', data, '--out', out, '--select', ok, '--pdf-engine', PACKAGE_ENGINE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('推荐函草稿已生成');
    const draft = readFileSync(path.join(out, '汇总', '推荐函（草稿）-示范.docx'));
    const xml = new (await import('pizzip')).default(draft).file('word/document.xml')!.asText().replace(/<[^>]+>/g, '');
    expect(xml).toContain('上海市样例一区人民政府');
    expect(xml).toContain('上海样例三高新技术产业开发区管理委员会');
  }, 600_000);
});
