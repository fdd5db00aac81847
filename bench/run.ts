/**
 * npm run bench [-- --batch] [-- --no-lo]
 *
 * For every example document: the DOCX as `shenbao render` builds it, then the native engine
 * (in this process, fonts warm after the first document) against LibreOffice on the same bytes:
 * one soffice process per document (its real per-document cost: start-up included, as a user
 * pays it), and one batched soffice call for all documents. Peak memory: this process's maxRSS
 * for native, /usr/bin/time -v's "Maximum resident set size" per soffice run where available.
 * Prints a table and writes .bench/pdf.json. --batch adds runBatch over 40 generated applicants
 * with jobs 1 and 2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderPdf } from '../src/pdf/index.js';
import { findSoffice } from '../src/pdf/libreoffice.js';
import { exampleDocs } from '../test/pdf/helpers.js';

const args = new Set(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), 'shenbao-bench-'));
const soffice = args.has('--no-lo') ? undefined : findSoffice();
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface SofficeRun {
  ms: number;
  maxRssMb?: number;
  ok: boolean;
}

function runSoffice(files: string[]): SofficeRun {
  const profile = mkdtempSync(join(tmpdir(), 'shenbao-bench-lo-'));
  const cmd = [soffice!, `-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', work, ...files];
  const t = performance.now();
  const r = timeBin ? spawnSync(timeBin, ['-v', ...cmd], { encoding: 'utf8', maxBuffer: 16 << 20 }) : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
  const ms = performance.now() - t;
  rmSync(profile, { recursive: true, force: true });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms, maxRssMb: rss ? Number(rss[1]) / 1024 : undefined, ok: r.status === 0 };
}

const docs = await exampleDocs();
const files = docs.map((d) => {
  const f = join(work, `${d.id.replace('/', '__')}.docx`);
  writeFileSync(f, d.bytes);
  return f;
});

// Native: all documents in one process, in order (the first pays for font indexing and loading).
const rows: { id: string; pages: number; kb: number; nativeMs: number; loMs?: number; loRssMb?: number; ratio?: number }[] = [];
const t0 = performance.now();
for (const d of docs) {
  const t = performance.now();
  const r = await renderPdf(d.bytes);
  rows.push({ id: d.id, pages: r.pages, kb: r.bytes.length / 1024, nativeMs: performance.now() - t });
}
const nativeTotalMs = performance.now() - t0;
const nativeRssMb = process.resourceUsage().maxRSS / 1024;
// Warm figure: the same documents again, fonts and HarfBuzz faces already loaded.
const t1 = performance.now();
for (const d of docs) await renderPdf(d.bytes);
const nativeWarmTotalMs = performance.now() - t1;

let loBatch: SofficeRun | undefined;
if (soffice) {
  for (const [i, f] of files.entries()) {
    const run = runSoffice([f]);
    const row = rows[i]!;
    row.loMs = run.ok ? run.ms : undefined;
    row.loRssMb = run.maxRssMb;
    row.ratio = run.ok ? run.ms / row.nativeMs : undefined;
  }
  loBatch = runSoffice(files);
}

const fmt = (n: number | undefined, d = 0): string => (n === undefined ? 'n/a' : n.toFixed(d));
const pagesTotal = rows.reduce((s, r) => s + r.pages, 0);
console.log('文档 document'.padEnd(42) + '页 pages'.padStart(9) + '  KB'.padStart(6) + '  本引擎 native ms'.padStart(17) + '  页/秒 pages/s'.padStart(14) + '  LibreOffice ms'.padStart(16) + '  LO 内存 MB'.padStart(12) + '  倍数 LO/native'.padStart(15));
for (const r of rows) {
  console.log(
    r.id.padEnd(42) + String(r.pages).padStart(9) + fmt(r.kb).padStart(6) + fmt(r.nativeMs).padStart(17) + fmt((r.pages * 1000) / r.nativeMs, 1).padStart(14) +
      fmt(r.loMs).padStart(16) + fmt(r.loRssMb).padStart(12) + (r.ratio === undefined ? 'n/a' : `${r.ratio.toFixed(1)}×`).padStart(15),
  );
}
const ratios = rows.map((r) => r.ratio).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
console.log('');
console.log(`本引擎合计 native, all ${rows.length} documents in one process (cold): ${fmt(nativeTotalMs)} ms, ${fmt((pagesTotal * 1000) / nativeTotalMs, 1)} pages/s, peak RSS ${fmt(nativeRssMb)} MB`);
console.log(`本引擎合计 native, again with fonts loaded (warm): ${fmt(nativeWarmTotalMs)} ms, ${fmt((pagesTotal * 1000) / nativeWarmTotalMs, 1)} pages/s`);
if (loBatch) console.log(`LibreOffice, all ${rows.length} documents in one soffice call: ${fmt(loBatch.ms)} ms, ${fmt((pagesTotal * 1000) / loBatch.ms, 1)} pages/s, peak RSS ${fmt(loBatch.maxRssMb)} MB`);
if (ratios.length) console.log(`倍数 LO/native per document: min ${ratios[0]!.toFixed(1)}×, median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(1)}×, max ${ratios[ratios.length - 1]!.toFixed(1)}×`);

let batch: Record<string, unknown> | undefined;
if (args.has('--batch')) {
  const { runBatch } = await import('../src/batch/index.js');
  const { generateBatch } = await import('../test/batch/generate.js');
  const dir = join(work, 'applicants');
  mkdirSync(dir, { recursive: true });
  const inputs = generateBatch(dir, 40);
  const result: Record<string, unknown> = { applicants: inputs.length };
  for (const jobs of [1, 2]) {
    const t = performance.now();
    await runBatch(inputs, { outDir: join(work, `batch-${jobs}`), jobs, engine: 'native', version: 'bench', force: true });
    const ms = performance.now() - t;
    result[`jobs${jobs}`] = { ms, packagesPerSecond: (inputs.length * 1000) / ms };
    console.log(`批量 batch, ${inputs.length} applicants, jobs ${jobs}: ${fmt(ms)} ms, ${fmt((inputs.length * 1000) / ms, 2)} packages/s`);
  }
  const j1 = result.jobs1 as { ms: number };
  const j2 = result.jobs2 as { ms: number };
  result.scaling = j1.ms / j2.ms;
  console.log(`scaling jobs 2 vs 1: ${(j1.ms / j2.ms).toFixed(2)}×`);
  batch = result;
}

mkdirSync('.bench', { recursive: true });
writeFileSync(
  '.bench/pdf.json',
  JSON.stringify({ date: new Date().toISOString(), node: process.version, soffice: soffice ?? null, documents: rows, nativeTotalMs, nativeWarmTotalMs, nativeRssMb, loBatch, batch }, null, 2) + '\n',
);
console.log('→ .bench/pdf.json');
rmSync(work, { recursive: true, force: true });
