import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.js';
import { plan } from '../../src/batch/worker.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { spawnBounded } from '../hostile/helpers.js';
import { PACKAGE_ENGINE } from '../package/engine.js';
import { generateBatch } from './generate.js';

const hasEngine = PACKAGE_ENGINE === 'native' || Boolean(findSoffice());
const tmp = (p: string) => mkdtempSync(path.join(tmpdir(), `shenbao-${p}-`));

const csvRows = (out: string) => readFileSync(path.join(out, '汇总', '申报情况汇总表.csv'), 'utf8').trim().split(/\r\n/);
const docxText = (file: string) =>
  new PizZip(readFileSync(file))
    .file('word/document.xml')!
    .asText()
    .replace(/<[^>]+>/g, '');
const summaryFiles = (out: string) =>
  Object.fromEntries(
    readdirSync(path.join(out, '汇总'))
      .sort()
      .map((n) => [n, readFileSync(path.join(out, '汇总', n))]),
  );

describe('what a batch worker sends the main thread', () => {
  it('crosses the thread boundary unchanged: plain data, no class instances or functions', async () => {
    const data = tmp('plan-data');
    const [file] = generateBatch(data, 1);
    const r = await plan({ file: file! });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // A class instance would come back as a plain object, a function not at all.
    expect(structuredClone(r)).toStrictEqual(r);
    expect(r.applicant.applicant.name).toBe('上海市样例一区人民政府');
    expect(r.categoryId).toBe('demo-district');
    expect(r.roundSource).toBe('2022-shanghai');
    expect(r.evaluation.results.length).toBeGreaterThan(0);
    expect(r.dataHashes).toHaveLength(r.files.length);
    expect(r.dataBytes).toBe(readFileSync(file!).length);
  });
});

describe.skipIf(!hasEngine)('the batch summary, made in a worker', () => {
  it('lists a build that fails after its applicant was validated, with the applicant and the reason', async () => {
    const data = tmp('late-fail-data');
    const files = generateBatch(data, 3);
    const out = tmp('late-fail-out');
    const r = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2, crash: { [path.basename(files[1]!)]: 'throw' } });
    expect(r.outcomes.map((o) => o.status)).toEqual(['built', 'failed', 'built']);

    const rows = csvRows(out);
    expect(rows).toHaveLength(4);
    const row = (i: number) => rows.find((l) => l.includes(path.basename(files[i]!)))!;
    expect(row(0)).toContain(',已生成,');
    expect(row(2)).toContain(',已生成,');
    // The applicant is still in its category's table (its data was valid), marked as not built.
    expect(row(1)).toContain('上海市样例二区人民政府');
    expect(row(1)).toContain('未生成：处理该文件的工作线程异常终止（simulated worker failure）');

    const text = docxText(path.join(out, '汇总', '申报情况汇总表.docx'));
    expect(text).toContain('上海市样例二区人民政府（材料包未生成）');
    expect(text).toContain('未生成材料包的数据文件');
    expect(text).toContain(path.basename(files[1]!));
    expect(text).toContain('处理该文件的工作线程异常终止');
    expect(r.summary?.files.map((f) => path.basename(f)).sort()).toEqual(['申报情况汇总表.csv', '申报情况汇总表.docx', '申报情况汇总表.pdf']);
  }, 300_000);

  it('lists a build that fails last, while the summary is already being made, once it has failed', async () => {
    const data = tmp('last-fail-data');
    // A full applicant and a minimal one: the full one's package takes much longer, so the summary
    // is begun when the minimal one is built, assuming the other will be built too, and must be
    // made again when it fails.
    const [big] = generateBatch(data, 1);
    const small = path.join(data, 'minimal.yaml');
    copyFileSync('test/fixtures/good/minimal.yaml', small);
    const planned = await plan({ file: big! });
    if (!planned.ok) throw new Error('the generated applicant is valid');
    const out = tmp('last-fail-out');
    // A file where its package folder goes: the build fails only when it writes, at its very end.
    writeFileSync(path.join(out, planned.name), 'not a package');
    const r = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2 });
    expect(r.outcomes.map((o) => [path.basename(o.file), o.status])).toEqual([
      [path.basename(big!), 'failed'],
      ['minimal.yaml', 'built'],
    ]);
    const rows = csvRows(out);
    expect(rows.find((l) => l.includes(path.basename(big!)))).toContain('未生成：无法写入：输出目录中已有同名文件（不是文件夹），未覆盖');
    expect(rows.find((l) => l.includes('minimal.yaml'))).toContain(',已生成,');
    expect(docxText(path.join(out, '汇总', '申报情况汇总表.docx'))).toContain('上海市样例一区人民政府（材料包未生成）');
  }, 300_000);

  it('marks a failed build in the summary when the folder is given by its full path under the current folder', async () => {
    // Messages name files relative to the current folder; the summary must still match each
    // build's outcome to its applicant however the folder was named on the command line.
    const root = tmp('cwd-root');
    const data = path.join(root, '申报数据');
    const [file] = generateBatch(data, 2);
    const planned = await plan({ file: file! });
    if (!planned.ok) throw new Error('the generated applicant is valid');
    const out = path.join(root, '输出');
    mkdirSync(out);
    writeFileSync(path.join(out, planned.name), 'not a package');
    const r = await spawnBounded(['batch', data, '--out', out, '--jobs', '2', '--pdf-engine', PACKAGE_ENGINE], { cwd: root, timeoutMs: 180_000 });
    expect(r.code).toBe(1);
    expect(r.err).toContain('输出目录中已有同名文件');
    expect(csvRows(out).find((l) => l.includes(path.basename(file!)))).toContain('未生成：无法写入：输出目录中已有同名文件（不是文件夹），未覆盖');
  }, 300_000);

  it('a data file changed after planning: the next run rebuilds that applicant and only that one', async () => {
    const data = tmp('changed-data');
    const files = generateBatch(data, 3);
    const out = tmp('changed-out');
    const before = readFileSync(files[1]!, 'utf8');
    const changed = before.replace(/date: 2022-02-\d+/, 'date: 2022-02-16');
    expect(changed).not.toBe(before);
    // onStart runs once every applicant is planned and before any build is handed out.
    const first = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2 }, { onStart: () => writeFileSync(files[1]!, changed) });
    expect(first.outcomes.map((o) => o.status)).toEqual(['built', 'built', 'built']);
    // The summary lists what was planned: all three, from one consistent reading.
    expect(csvRows(out)).toHaveLength(4);

    const second = await runBatch([data], { outDir: out, engine: PACKAGE_ENGINE, version: 't', jobs: 2 });
    expect(second.outcomes.map((o) => o.status)).toEqual(['skipped', 'built', 'skipped']);
    const manifest = JSON.parse(readFileSync(path.join(out, second.outcomes[1]!.name!, 'manifest.json'), 'utf8')) as { date: string };
    expect(manifest.date).toBe('2022-02-16');
  }, 300_000);

  it('has the same bytes whichever worker makes it, with one job or two', async () => {
    const data = tmp('same-data');
    generateBatch(data, 4);
    const select = path.join(data, '_select.yaml');
    writeFileSync(select, 'office: 上海市知识产权局\ndate: 2022-06-30\nselect:\n  - 样例一区\n  - 样例二区\n');
    const one = tmp('same-out1');
    const two = tmp('same-out2');
    await runBatch([data], { outDir: one, engine: PACKAGE_ENGINE, version: 't', jobs: 1, select });
    await runBatch([data], { outDir: two, engine: PACKAGE_ENGINE, version: 't', jobs: 2, select });
    const a = summaryFiles(one);
    expect(Object.keys(a)).toEqual([
      '推荐函（草稿）-示范.docx',
      '推荐函（草稿）-示范.pdf',
      '推荐函（草稿）-试点.docx',
      '推荐函（草稿）-试点.pdf',
      '申报情况汇总表.csv',
      '申报情况汇总表.docx',
      '申报情况汇总表.pdf',
    ]);
    expect(summaryFiles(two)).toEqual(a);
    expect(docxText(path.join(one, '汇总', '推荐函（草稿）-示范.docx'))).toContain('上海市样例一区人民政府');
    expect(docxText(path.join(one, '汇总', '推荐函（草稿）-试点.docx'))).toContain('上海市样例二区人民政府');
  }, 300_000);
});
