/**
 * The library as a user's program sees it: imported by the package's name ('shenbao', the
 * published entry point dist/entry.mjs, so `npm run build` first), never by a path into src/.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import * as shenbao from 'shenbao';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(ROOT, 'examples/xuhui-demo-district.yaml');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'shenbao-api-'));

describe("import * from 'shenbao'", () => {
  it('resolves to the built entry point, not the sources', () => {
    expect(import.meta.resolve('shenbao')).toBe(new URL('../../dist/entry.mjs', import.meta.url).href);
    expect(shenbao.VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('offers everything the compiled library exports, from its bundle', async () => {
    // The entry lists the names when the build writes it: a stale list would drop a function.
    const compiled = await import(new URL('../../dist/index.js', import.meta.url).href);
    expect(Object.keys(shenbao).sort()).toEqual(Object.keys(compiled).sort());
    expect(readFileSync(path.join(ROOT, 'dist/entry.mjs'), 'utf8')).toContain("'bundle', 'lib.cjs'");
    expect(existsSync(path.join(ROOT, 'dist/bundle/lib.cjs'))).toBe(true);
  });

  it('validates and checks, with the CLI diagnostics', async () => {
    const v = await shenbao.validateFile(EXAMPLE);
    expect(v.ok).toBe(true);
    const c = await shenbao.check(EXAMPLE);
    expect(c.applicant.applicant.applicant.name).toBe('上海市徐汇区人民政府');
    expect(c.evaluation.results.length).toBeGreaterThan(0);
    const bad = await shenbao.check(path.join(ROOT, 'test/fixtures/bad/missing-letter-number.yaml')).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(shenbao.UserError);
  });

  it('renders DOCX in memory and a PDF from it', async () => {
    const d = await shenbao.renderDocx(EXAMPLE, { only: ['letter'] });
    expect(d.files.map((f) => f.fileName)).toEqual(['01-申报函.docx']);
    const p = await shenbao.renderPdf(d.files[0]!.bytes);
    expect(p.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    const pdf = await PDFDocument.load(p.bytes);
    expect(pdf.getPageCount()).toBe(p.pages);
    const page = pdf.getPage(0).getSize();
    expect([Math.round(page.width / (72 / 25.4)), Math.round(page.height / (72 / 25.4))]).toEqual([210, 297]);
  });

  it('rejects an unknown material with exit code 2, as --only does', async () => {
    const e = (await shenbao.renderDocx(EXAMPLE, { only: ['bogus'] }).catch((x: unknown) => x)) as InstanceType<typeof shenbao.UserError>;
    expect(e).toBeInstanceOf(shenbao.UserError);
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0]!.message).toContain('没有材料 bogus');
  });

  it('builds a package on disk', async () => {
    const out = tmp();
    const r = await shenbao.buildPackage(EXAMPLE, { out });
    expect(existsSync(r.zip)).toBe(true);
    expect(r.manifest.files.map((f) => f.path)).toContain('01-申报函.pdf');
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  }, 120_000);

  it('runs a batch of two applicants on worker threads', async () => {
    const out = tmp();
    const r = await shenbao.runBatch([EXAMPLE, path.join(ROOT, 'examples/caohejing-pilot-park.yaml')], { out, jobs: 2 });
    expect(r.outcomes.map((o) => o.status)).toEqual(['built', 'built']);
    expect(r.summary).toBeDefined();
  }, 180_000);
});
