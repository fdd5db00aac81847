/**
 * The office's view of a folder (shenbao edit DIR), through its HTTP API over a temp copy of
 * examples/ plus a second 示范园区 applicant (the examples alone never exceed a quota) and a
 * broken file: every row agrees with `check`, the quotas count, a selection batch would refuse is
 * refused with nothing written, and a written list is one batch accepts.
 */
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { expandInputs } from '../../src/batch/index.js';
import { readSelection } from '../../src/batch/summary.js';
import { validateFile, type ValidApplicant } from '../../src/schema/validate.js';
import { startEdit } from '../../src/edit/index.js';
import { Office } from '../../src/edit/office.js';
import { main } from '../../src/cli/main.js';
import { findSoffice } from '../../src/pdf/libreoffice.js';
import { PACKAGE_ENGINE } from '../package/engine.js';
import { TOKEN_HEADER, type ApiError, type EditorState, type OfficeState, type SelectResponse } from '../../src/edit/protocol.js';
import type { EditServer } from '../../src/edit/server.js';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const exampleFiles = readdirSync(EXAMPLES).filter((n) => n.endsWith('.yaml')).sort();

let dir: string;
let server: EditServer;
const SELECT = () => path.join(dir, '推荐名单.yaml');

/** A second 示范园区 applicant: the examples have one per category, within every quota. */
function secondDemoPark(folder: string): void {
  const doc = parseDocument(readFileSync(path.join(EXAMPLES, 'zhangjiang-demo-park.yaml'), 'utf8'));
  doc.setIn(['applicant', 'name'], '上海市北高新技术服务业园区管理委员会');
  doc.setIn(['applicant', 'short_name'], '市北高新园区');
  writeFileSync(path.join(folder, 'shibei-demo-park.yaml'), doc.toString());
}

async function call<T>(method: 'GET' | 'POST', p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(`http://127.0.0.1:${server.port}${p}`, {
    method,
    headers: { [TOKEN_HEADER]: server.token, Origin: `http://127.0.0.1:${server.port}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

const state = async () => (await call<OfficeState>('GET', '/api/office')).json;
const select = (selection: string[], headers?: Record<string, string>) => call<SelectResponse & ApiError>('POST', '/api/office/select', { selection }, headers);

async function validEntries(): Promise<ValidApplicant[]> {
  const { files } = await expandInputs([dir]);
  const out: ValidApplicant[] = [];
  for (const f of files) {
    const r = await validateFile(f);
    if (r.ok) out.push(r);
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shenbao-office-'));
  for (const n of exampleFiles) cpSync(path.join(EXAMPLES, n), path.join(dir, n));
  secondDemoPark(dir);
  // A file with a wrong date, and an include part that is no applicant of its own.
  writeFileSync(path.join(dir, 'broken.yaml'), readFileSync(path.join(EXAMPLES, 'caohejing-pilot-park.yaml'), 'utf8').replace(/^(\s+date: )2022-\d\d-\d\d/m, '$12022-13-45'));
  writeFileSync(path.join(dir, '_part.yaml'), 'contact: {}\n');
  server = await startEdit(dir, { port: 0, version: 'test' });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('shenbao edit DIR: the office view', () => {
  it('lists every applicant file with the verdict and counts `check` gives, and a broken file with its located error', async () => {
    const s = await state();
    expect(s.rows.map((r) => r.id)).toEqual([...exampleFiles, 'broken.yaml', 'shibei-demo-park.yaml'].sort());
    for (const name of [...exampleFiles, 'shibei-demo-park.yaml']) {
      const row = s.rows.find((r) => r.id === name)!;
      const c = await check(path.join(dir, name));
      expect(row.name, name).toBe(c.applicant.applicant.applicant.name);
      expect(row.category, name).toBe(c.applicant.category.id);
      expect(row.status, name).toBe(c.evaluation.eligible ? 'eligible' : 'not-eligible');
      expect(row.counts, name).toEqual(c.evaluation.counts);
      expect(row.errors, name).toBe(0);
    }
    // 闵行区's ranking is left to the office: not eligible outright, but it may be recommended.
    const minhang = s.rows.find((r) => r.id === 'minhang-pilot-district.yaml')!;
    expect(minhang.status).toBe('not-eligible');
    expect(minhang.selectable).toBe(true);
    expect(minhang.problems?.[0]).toMatch(/绩效考核 待人工确认：知识产权工作绩效考核排名2020年第4名、2021年第7名/);

    const broken = s.rows.find((r) => r.id === 'broken.yaml')!;
    expect(broken.status).toBe('invalid');
    expect(broken.selectable).toBe(false);
    expect(broken.errors).toBeGreaterThan(0);
    const validate = await validateFile(path.join(dir, 'broken.yaml'));
    expect(validate.ok).toBe(false);
    expect(broken.diagnostics[0]).toMatchObject({ line: validate.diagnostics[0]!.line, col: validate.diagnostics[0]!.col, message: validate.diagnostics[0]!.message });
    expect(s.selectFile).toBe(SELECT());
    expect(s.selection).toEqual([]);
  });

  it('counts applicants, eligible and selected per category against the round\'s quotas', async () => {
    const s = await state();
    const q = (cat: string) => s.quotas.find((x) => x.category === cat);
    expect(q('demo-park')).toMatchObject({ program: '2022-shanghai', shortName: '示范园区', quota: 1, applicants: 2, eligible: 2, selected: 0 });
    expect(q('pilot-park')).toMatchObject({ quota: 2, applicants: 2, eligible: 2 });
    expect(q('pilot-district')).toMatchObject({ quota: 3, applicants: 1, eligible: 0, selectable: 1 });
    // The national round leaves quotas to the provincial office's allocation.
    expect(q('demo-city')).toMatchObject({ program: '2022-national', applicants: 1 });
    expect(q('demo-city')?.quota).toBeUndefined();
    expect(s.quotas.map((x) => x.category)).toEqual(['demo-district', 'pilot-district', 'demo-park', 'pilot-park', 'demo-city']);
  });

  it('refuses a selection over a quota, or naming a broken file, in Chinese, and writes nothing', async () => {
    const over = await select(['zhangjiang-demo-park.yaml', 'shibei-demo-park.yaml']);
    expect(over.status).toBe(422);
    expect(over.json.code).toBe('quota');
    expect(over.json.message).toContain('示范园区推荐名额为 1 个，推荐名单选择了 2 个（张江高新区、市北高新园区），超出名额');
    expect(existsSync(SELECT())).toBe(false);

    const invalid = await select(['xuhui-demo-district.yaml', 'broken.yaml']);
    expect(invalid.status).toBe(422);
    expect(invalid.json.code).toBe('invalid');
    expect(invalid.json.message).toContain('推荐名单中的“broken.yaml”不在本批申报单位中（或其数据有误未能生成）');
    expect(existsSync(SELECT())).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('推荐名单'))).toEqual([]);
  });

  it('refuses requests without the token or from another page, and writes nothing', async () => {
    const noToken = await select(['xuhui-demo-district.yaml'], { [TOKEN_HEADER]: '' });
    expect(noToken.status).toBe(403);
    const otherOrigin = await select(['xuhui-demo-district.yaml'], { Origin: 'http://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.json.code).toBe('origin');
    expect(existsSync(SELECT())).toBe(false);
  });

  it('writes a valid selection in order as a list batch --select accepts, and reads it back', async () => {
    const r = await select(['zhangjiang-demo-park.yaml', 'xuhui-demo-district.yaml', 'zhangjiang-demo-park.yaml', 'minhang-pilot-district.yaml']);
    expect(r.status).toBe(200);
    expect(r.json.written).toBe(SELECT());
    const text = readFileSync(SELECT(), 'utf8');
    expect(text).toMatch(/select:\n\s+- 张江高新区\n\s+- 徐汇区\n\s+- 闵行区\n/);
    // batch takes the folder's applicants without the list, and accepts the list as written.
    const { files } = await expandInputs([dir]);
    expect(files.map((f) => path.basename(f))).not.toContain('推荐名单.yaml');
    const sel = readSelection(SELECT(), await validEntries());
    expect(sel.chosen.map((v) => v.applicant.applicant.short_name)).toEqual(['张江高新区', '徐汇区', '闵行区']);

    const s = await state();
    expect(s.selection).toEqual(['zhangjiang-demo-park.yaml', 'xuhui-demo-district.yaml', 'minhang-pilot-district.yaml']);
    expect(s.selectFileExists).toBe(true);
    expect(s.rows.map((x) => x.id)).not.toContain('推荐名单.yaml');
    expect(s.quotas.find((x) => x.category === 'demo-park')?.selected).toBe(1);
  });

  it('keeps the comments and the office\'s own keys of an existing select file, and applies its allocated quotas', async () => {
    writeFileSync(
      SELECT(),
      ['# 市局推荐名单（2022年）', 'select:', '  - 徐汇区 # 第一顺位', 'date: 2022-03-10 # 推荐函日期', 'office: 上海市知识产权局', 'quotas: { 示范城市: 0 } # 国家批次分配名额', ''].join('\n'),
    );
    const refused = await select(['suzhou-demo-city.yaml']);
    expect(refused.status).toBe(422);
    expect(refused.json.message).toContain('示范城市推荐名额为 0 个');
    expect(readFileSync(SELECT(), 'utf8')).toContain('  - 徐汇区 # 第一顺位\n');

    const ok = await select(['caohejing-pilot-park.yaml', 'xuhui-demo-district.yaml']);
    expect(ok.status).toBe(200);
    const text = readFileSync(SELECT(), 'utf8');
    expect(text).toContain('# 市局推荐名单（2022年）');
    expect(text).toContain('- 徐汇区 # 第一顺位');
    expect(text).toContain('date: 2022-03-10 # 推荐函日期');
    expect(text).toContain('office: 上海市知识产权局');
    expect(text).toContain('# 国家批次分配名额');
    expect(text.indexOf('漕河泾开发区')).toBeLessThan(text.indexOf('徐汇区'));
    const sel = readSelection(SELECT(), await validEntries());
    expect(sel.chosen.map((v) => v.applicant.applicant.short_name)).toEqual(['漕河泾开发区', '徐汇区']);
    expect(sel.office).toEqual({ date: '2022-03-10', office: '上海市知识产权局', quotas: { 示范城市: 0 } });
    expect((await state()).quotas.find((x) => x.category === 'demo-city')?.quota).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('rewrites a select file in place: a symlink stays a link to the shared file, and its permissions stay', async () => {
    const before = readFileSync(SELECT(), 'utf8');
    const shared = mkdtempSync(path.join(tmpdir(), 'shenbao-office-shared-'));
    const target = path.join(shared, '全市推荐名单.yaml');
    try {
      writeFileSync(target, '# 全市共用\nselect: []\n');
      chmodSync(target, 0o600);
      rmSync(SELECT());
      symlinkSync(target, SELECT());
      const r = await select(['xuhui-demo-district.yaml']);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(lstatSync(SELECT()).isSymbolicLink()).toBe(true);
      expect(readFileSync(target, 'utf8')).toMatch(/^# 全市共用\nselect:\n\s+- 徐汇区\n/);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(readdirSync(shared)).toEqual(['全市推荐名单.yaml']);
    } finally {
      rmSync(SELECT(), { force: true });
      writeFileSync(SELECT(), before);
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('shows what is wrong with an existing select file, and refuses to overwrite it', async () => {
    const before = readFileSync(SELECT(), 'utf8');
    try {
      writeFileSync(SELECT(), 'select: [徐汇区]\nsigner: 某某\n');
      const s = await state();
      expect(s.selectDiagnostics?.[0]?.message).toContain('推荐名单中有无法识别的字段 signer');
      const r = await select(['xuhui-demo-district.yaml']);
      expect(r.status).toBe(422);
      expect(r.json.message).toContain('现有推荐名单有误，未保存');
      expect(readFileSync(SELECT(), 'utf8')).toBe('select: [徐汇区]\nsigner: 某某\n');
    } finally {
      writeFileSync(SELECT(), before);
    }
  });

  it('marks an applicant with unsaved changes in its editor, and still shows the file as saved', async () => {
    const id = 'xuhui-demo-district.yaml';
    const opened = await call<EditorState>('GET', `/api/applicants/${encodeURIComponent(id)}/state`);
    expect(opened.status).toBe(200);
    expect((await state()).rows.find((r) => r.id === id)?.unsaved).toBeUndefined();
    const edited = await call<EditorState>('POST', `/api/applicants/${encodeURIComponent(id)}/edit`, {
      baseRevision: opened.json.revision,
      ops: [{ op: 'set', path: ['applicant', 'short_name'], value: '徐汇' }],
    });
    expect(edited.status).toBe(200);
    const row = (await state()).rows.find((r) => r.id === id)!;
    expect(row.unsaved).toBe(true);
    expect(row.shortName).toBe('徐汇区');
    await call('POST', `/api/applicants/${encodeURIComponent(id)}/undo`);
    expect((await state()).rows.find((r) => r.id === id)?.unsaved).toBeUndefined();
  });

  it('takes neither a select list in bare-list form nor an include part as an applicant, as batch does', async () => {
    const other = path.join(dir, '备选名单.yaml');
    writeFileSync(other, '# 备选\n- 徐汇区\n- 闵行区\n');
    try {
      const ids = (await state()).rows.map((r) => r.id);
      expect(ids).not.toContain('备选名单.yaml');
      expect(ids).not.toContain('_part.yaml');
      expect((await expandInputs([dir])).files.map((f) => path.basename(f))).toEqual(ids);
    } finally {
      rmSync(other);
    }
  });

  it('sees a file changed on disk at the next refresh', async () => {
    const file = path.join(dir, 'caohejing-pilot-park.yaml');
    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtime;
    try {
      // Same size, same mtime: the cache cannot tell, so the size or the time must change it.
      writeFileSync(file, before.replace('short_name: 漕河泾开发区', 'short_name: 漕河泾园区'));
      utimesSync(file, mtime, new Date(mtime.getTime() + 2000));
      const s = await state();
      expect(s.rows.find((r) => r.id === 'caohejing-pilot-park.yaml')?.shortName).toBe('漕河泾园区');
      // The list names 漕河泾开发区, which no applicant is called any more: said, not hidden.
      expect(s.selectDiagnostics?.map((d) => d.message).join('')).toContain('推荐名单中的“漕河泾开发区”不在本批申报单位中');
    } finally {
      writeFileSync(file, before);
    }
  });
});

describe.skipIf(PACKAGE_ENGINE !== 'native' && !findSoffice())('a select list the office view wrote, in the applicants\' folder', () => {
  it('is taken by `shenbao batch DIR --select`, which drafts the 推荐函 for it and builds only the applicants', async () => {
    const small = mkdtempSync(path.join(tmpdir(), 'shenbao-office-batch-'));
    const out = mkdtempSync(path.join(tmpdir(), 'shenbao-office-batch-out-'));
    try {
      for (const n of ['xuhui-demo-district.yaml', 'caohejing-pilot-park.yaml']) cpSync(path.join(EXAMPLES, n), path.join(small, n));
      const written = await new Office(small).select({ selection: ['caohejing-pilot-park.yaml', 'xuhui-demo-district.yaml'] });
      const err: string[] = [];
      const code = await main(['batch', small, '--out', out, '--select', written.written, '--pdf-engine', PACKAGE_ENGINE], { out: () => undefined, err: (t) => err.push(t), isTTY: false });
      expect(code, err.join('\n')).toBe(0);
      expect(readdirSync(out).filter((n) => n.endsWith('.zip')).sort()).toEqual(['徐汇区-示范城区.zip', '漕河泾开发区-试点园区.zip']);
      expect(readdirSync(path.join(out, '汇总')).filter((n) => n.startsWith('推荐函（草稿）')).sort()).toEqual(['推荐函（草稿）-示范.docx', '推荐函（草稿）-示范.pdf', '推荐函（草稿）-试点.docx', '推荐函（草稿）-试点.pdf']);
    } finally {
      rmSync(small, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
