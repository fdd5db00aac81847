import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserError } from '../../src/common/diagnostics.js';
import { previewerOf } from '../../src/edit/preview.js';
import { packageSession } from '../../src/edit/routes.js';
import { HttpError } from '../../src/edit/server.js';
import { Session, Workspace } from '../../src/edit/session.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';
import { pdfPagesText } from '../pdf-text.js';

/** The editor's sessions over copies of the examples: what the user's file looks like after each step. */
const tmp = mkdtempSync(path.join(tmpdir(), 'shenbao-edit-session-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const XUHUI = 'xuhui-demo-district.yaml';
const HAS_ICONV = spawnSync('iconv', ['--version']).status === 0;
let n = 0;
/** A fresh copy of an example in its own folder. */
function copy(name = XUHUI): string {
  const dir = path.join(tmp, String(n++));
  mkdirSync(dir);
  const file = path.join(dir, name);
  copyFileSync(path.join(EXAMPLES_DIR, name), file);
  return file;
}

/** Lines of `after` that differ from `before`, as [line number, old, new] (same line count assumed by the callers that use it). */
function changedLines(before: string, after: string): [number, string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((l, i) => (l === b[i] ? [] : [[i + 1, l, b[i]!] as [number, string, string]]));
}

const comments = (text: string) => text.split('\n').filter((l) => l.trimStart().startsWith('#') || / #\s/.test(l));

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('editing and saving keep the file the user wrote', () => {
  let file: string;
  let before: string;
  beforeEach(() => {
    file = copy();
    before = readFileSync(file, 'utf8');
  });

  it('setting one field changes exactly that line on disk, and every comment stays', async () => {
    const s = await Session.open('0', file);
    const st = await s.edit(0, [{ op: 'set', path: ['letter', 'number'], value: '徐府〔2022〕9号' }]);
    expect(st.revision).toBe(1);
    expect(st.dirty).toBe(true);
    // Nothing is written before save.
    expect(readFileSync(file, 'utf8')).toBe(before);
    const saved = await s.save();
    expect(saved.dirty).toBe(false);
    const after = readFileSync(file, 'utf8');
    expect(changedLines(before, after)).toEqual([[37, '  number: 徐府〔2022〕8号', '  number: 徐府〔2022〕9号']]);
    expect(comments(after)).toEqual(comments(before));
    expect(after.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/applicant.schema.json');
  });

  it('a value that would read as another type is quoted; an aligned comment after it stays in its column', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [
      { op: 'set', path: ['contact', 'phone'], value: '13912345678' },
      { op: 'set', path: ['indicators', '2019', 'ip_funds'], value: 3100 },
    ]);
    await s.save();
    const after = readFileSync(file, 'utf8');
    const changed = changedLines(before, after);
    expect(changed.map((c) => c[2].trim())).toEqual(['phone: "13912345678"', 'ip_funds: 3100                    # 知识产权工作经费（万元）']);
    const data = parse(after) as { contact: { phone: unknown }; indicators: Record<string, { ip_funds: unknown }> };
    expect(data.contact.phone).toBe('13912345678');
    expect(data.indicators['2019']!.ip_funds).toBe(3100);
  });

  it('a | block stays a block; a multi-line value in a one-line field becomes one', async () => {
    const s = await Session.open('0', file);
    const st = await s.edit(0, [
      { op: 'set', path: ['report', 'overview'], value: '第一段新的概述。\n\n第二段新的概述。' },
      { op: 'set', path: ['letter', 'signer'], value: '第一行\n第二行' },
    ]);
    expect((st.data as { report: { overview: string } }).report.overview).toBe('第一段新的概述。\n\n第二段新的概述。\n');
    await s.save();
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('  overview: |\n    第一段新的概述。\n\n    第二段新的概述。\n  summary:\n');
    expect(after).toContain('  signer: |\n    第一行\n    第二行\n');
    expect(comments(after)).toEqual(comments(before));
    // Outside the two values, the file is the same text.
    const strip = (t: string) => t.replace(/ {2}overview: \|\n(?: {4}.*\n|\n)*/, '').replace(/ {2}signer: .*\n(?: {4}.*\n)*/, '');
    expect(strip(after)).toBe(strip(before));
  });

  it('report sections: insert, move and delete touch only their own lines', async () => {
    const s = await Session.open('0', file);
    const summary = () => (parse(s.currentText) as { report: { summary: { title: string }[] } }).report.summary.map((x) => x.title);
    const titles = summary();
    await s.edit(0, [{ op: 'insert', path: ['report', 'summary'], index: titles.length, value: { title: '新增的一节', paragraphs: '新增一节的第一段。\n\n新增一节的第二段。' } }]);
    expect(summary()).toEqual([...titles, '新增的一节']);
    expect(s.currentText).toContain('    - title: 新增的一节\n      paragraphs: |\n        新增一节的第一段。\n\n        新增一节的第二段。\n');
    await s.edit(1, [{ op: 'move', path: ['report', 'summary'], from: titles.length, to: 0 }]);
    expect(summary()).toEqual(['新增的一节', ...titles]);
    await s.edit(2, [{ op: 'delete', path: ['report', 'summary', 0] }]);
    expect(summary()).toEqual(titles);
    expect(s.currentText).toBe(before);
  });

  it('a field not yet in the file is added under its parent, keeping the rest', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['contact', 'fax'], value: '021-64870000' }]);
    const lines = s.currentText.split('\n');
    expect(lines[lines.indexOf('  email: xuhui-ip@example.com') + 1]).toBe('  fax: 021-64870000');
    expect(s.currentText.replace('  fax: 021-64870000\n', '')).toBe(before);
  });

  it('undo and redo walk the texts; each step is a new revision', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '甲' }]);
    const afterFirst = s.currentText;
    await s.edit(1, [{ op: 'set', path: ['letter', 'signer'], value: '乙' }]);
    let st = await s.undo();
    expect(st.revision).toBe(3);
    expect(s.currentText).toBe(afterFirst);
    expect(st.canRedo).toBe(true);
    st = await s.undo();
    expect(s.currentText).toBe(before);
    expect(st.dirty).toBe(false);
    expect(st.canUndo).toBe(false);
    st = await s.redo();
    expect((st.data as { letter: { signer: string } }).letter.signer).toBe('甲');
    // A new edit after undo drops the redo branch.
    st = await s.edit(st.revision, [{ op: 'set', path: ['letter', 'signer'], value: '丙' }]);
    expect(st.canRedo).toBe(false);
  });

  it('an edit made on an old revision is refused (409 stale) and changes nothing', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '甲' }]);
    const text = s.currentText;
    const err = await rejection(s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '乙' }]));
    expect(err.status).toBe(409);
    expect(err.body.code).toBe('stale');
    expect(s.currentText).toBe(text);
    expect(s.currentRevision).toBe(1);
  });

  it('a change on disk is detected; saving is refused, then forced; reload takes the disk version and is undoable', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '编辑器中的签发人' }]);
    expect((await s.state()).diskChanged).toBe(false);
    const outside = before.replace('王晓敏', '李明');
    writeFileSync(file, outside);
    expect((await s.state()).diskChanged).toBe(true);
    const err = await rejection(s.save());
    expect(err.status).toBe(409);
    expect(err.body.code).toBe('disk-changed');
    expect(readFileSync(file, 'utf8')).toBe(outside);

    const reloaded = await s.reload();
    expect(reloaded.diskChanged).toBe(false);
    expect((reloaded.data as { contact: { name: string } }).contact.name).toBe('李明');
    const undone = await s.undo();
    expect((undone.data as { letter: { signer: string } }).letter.signer).toBe('编辑器中的签发人');

    writeFileSync(file, before);
    await rejection(s.save());
    await s.save(true);
    expect(readFileSync(file, 'utf8')).toContain('signer: 编辑器中的签发人');
    expect((await s.state()).diskChanged).toBe(false);
  });

  it('a path that is no longer a regular file is not written to', async () => {
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '甲' }]);
    rmSync(file);
    mkdirSync(file);
    const err = await rejection(s.save(true));
    expect(err.status).toBe(409);
    expect(err.body.message).toContain('不是普通文件');
    expect(statSync(file).isDirectory()).toBe(true);
  });

  it('a symlinked file: the target is written, the link stays a link', async () => {
    const { symlinkSync, lstatSync } = await import('node:fs');
    const link = path.join(path.dirname(file), 'link.yaml');
    symlinkSync(file, link);
    const s = await Session.open('0', link);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '甲' }]);
    await s.save();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('  signer: 甲\n');
  });

  it.skipIf(!HAS_ICONV)('a GBK file (made with iconv; skipped where iconv is absent): a warning says saving writes UTF-8, and it does, with the same text', async () => {
    const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030', file]);
    writeFileSync(file, bytes);
    const s = await Session.open('0', file);
    const st = await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '上海市徐汇区政府' }]);
    expect(st.diagnostics.find((d) => d.code === 'source.gbk')?.message).toContain('UTF-8');
    await s.save();
    expect(readFileSync(file, 'utf8')).toBe(before.replace('signer: 上海市徐汇区人民政府', 'signer: 上海市徐汇区政府'));
    expect((await s.state()).diagnostics.some((d) => d.code === 'source.gbk')).toBe(false);
  });

  it('a UTF-8 BOM stays', async () => {
    writeFileSync(file, `\uFEFF${before}`);
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '上海市徐汇区政府' }]);
    await s.save();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(before.replace('signer: 上海市徐汇区人民政府', 'signer: 上海市徐汇区政府'));
  });

  it('saving keeps the file mode and CRLF line ends, and leaves no temporary file', async () => {
    writeFileSync(file, before.replace(/\n/g, '\r\n'));
    chmodSync(file, 0o640);
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['letter', 'number'], value: '徐府〔2022〕9号' }]);
    await s.save();
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(before.replace('徐府〔2022〕8号', '徐府〔2022〕9号').replace(/\n/g, '\r\n'));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(path.dirname(file))).toEqual([XUHUI]);
  });
});

describe('feedback from the same stages as validate and check', () => {
  it('徐府[2022]8号 in 发文字号 is an error located at that field, and correcting it clears it', async () => {
    const file = copy();
    const s = await Session.open('0', file);
    let st = await s.edit(0, [{ op: 'set', path: ['letter', 'number'], value: '徐府[2022]8号' }]);
    const errors = st.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: ['letter', 'number'], label: '发文字号', line: 37, col: 11 });
    expect(errors[0]!.message).toContain('〔');
    expect(st.check).toBeUndefined();
    st = await s.edit(1, [{ op: 'set', path: ['letter', 'number'], value: '徐府〔2022〕8号' }]);
    expect(st.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(st.check?.eligible).toBe(true);
  });

  it('the state carries the check with jump paths, derived figures as printed, and the materials', async () => {
    const s = await Session.open('0', copy());
    const st = await s.state();
    expect(st.program).toBe('2022-shanghai');
    expect(st.category).toBe('demo-district');
    expect(st.check!.summary).toMatch(/^合计：符合 \d+ 项/);
    const declared = st.check!.items.find((i) => i.id === 'sh-demo-district-leadership')!;
    expect(declared.path).toEqual(['conditions', 'sh-demo-district-leadership']);
    expect(declared.statusLabel).toBe('符合');
    // 3150 万元 of 2086000 万元 in 2019: 0.151%, as the report's table prints it.
    expect(st.derived['2019']!.ip_funds_ratio).toBe('0.151%');
    expect(st.materials.map((m) => m.id)).toEqual(['letter', 'report', 'plan']);

    // A computed condition jumps to the last year's figure it is decided on.
    const park = await (await Session.open('0', copy('caohejing-pilot-park.yaml'))).state();
    expect(park.check!.items.find((i) => i.id === 'sh-pilot-park-funds')?.path).toEqual(['indicators', '2021', 'ip_funds']);
  });

  it('a file with a YAML syntax error: its diagnostics located, edits refused until it is fixed on disk and reloaded', async () => {
    const file = copy();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('  signer: 上海市徐汇区人民政府', '  signer：上海市徐汇区人民政府'));
    const s = await Session.open('0', file);
    const st = await s.state();
    expect(st.diagnostics.find((d) => d.code === 'yaml.fullwidth-colon')).toMatchObject({ line: 39 });
    const err = await rejection(s.edit(0, [{ op: 'set', path: ['letter', 'number'], value: '徐府〔2022〕9号' }]));
    expect(err.status).toBe(422);
    expect(err.body.message).toContain('语法错误');
    writeFileSync(file, good);
    expect((await s.reload()).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a key that comes from an included file is refused with the file named', async () => {
    const dir = path.join(tmp, 'incl');
    mkdirSync(dir);
    const main = readFileSync(path.join(EXAMPLES_DIR, XUHUI), 'utf8');
    const contact = /\ncontact:\n(?: {2}.*\n)+/.exec(main)![0];
    writeFileSync(path.join(dir, 'main.yaml'), `include:\n  - contact.yaml\n${main.replace(contact, '\n')}`);
    writeFileSync(path.join(dir, 'contact.yaml'), contact.trimStart());
    const s = await Session.open('0', path.join(dir, 'main.yaml'));
    expect((await s.state()).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const err = await rejection(s.edit(0, [{ op: 'set', path: ['contact', 'name'], value: '李明' }]));
    expect(err.status).toBe(422);
    expect(err.body.message).toContain('contact.yaml');
    expect(s.currentRevision).toBe(0);
  });
});

describe('preview', () => {
  it("the material's PDF shows a value just typed, before it is saved", async () => {
    const file = copy();
    const s = await Session.open('0', file);
    await s.edit(0, [{ op: 'set', path: ['report', 'overview'], value: '编辑器预览测试用的概述段落。' }]);
    const pdf = await previewerOf(s).pdf('report');
    const text = (await pdfPagesText(pdf.bytes)).join('').replace(/\s+/g, '');
    expect(text).toContain('编辑器预览测试用的概述段落。');
    expect(pdf.revision).toBe(1);
    // locate names the page pdf.js finds the text on, for a paragraph well into the report.
    const pages = (await pdfPagesText(pdf.bytes)).map((p) => p.replace(/\s+/g, ''));
    const tasks = (parse(s.currentText) as { plan: { tasks: { content: string }[] } }).plan.tasks;
    const deep = (parse(s.currentText) as { report: { summary: { paragraphs: string }[] } }).report.summary.at(-1)!.paragraphs;
    const page = pages.findIndex((p) => p.includes(deep.slice(0, 20))) + 1;
    expect(page).toBeGreaterThan(1);
    expect(await previewerOf(s).locate('report', deep)).toEqual({ page });
    expect(await previewerOf(s).locate('report', tasks[0]!.content)).toEqual({});
    // The same revision again is the cached PDF, not a second render.
    expect((await previewerOf(s).pdf('report')).bytes).toBe(pdf.bytes);
  });

  it('requests that queue up together are answered by one render of the text as it is then', async () => {
    const s = await Session.open('0', copy());
    const pv = previewerOf(s);
    await s.edit(0, [{ op: 'set', path: ['letter', 'signer'], value: '第一次修改' }]);
    await s.edit(1, [{ op: 'set', path: ['letter', 'signer'], value: '第二次修改' }]);
    const answers = await Promise.all([pv.pdf('letter'), pv.pdf('letter'), pv.pdf('letter')]);
    expect(answers.map((a) => a.revision)).toEqual([2, 2, 2]);
    expect(answers[1]!.bytes).toBe(answers[0]!.bytes);
    expect(answers[2]!.bytes).toBe(answers[0]!.bytes);
    expect((await pdfPagesText(answers[0]!.bytes)).join('')).toContain('第二次修改');
  });

  it('invalid data is refused with its diagnostics', async () => {
    const s = await Session.open('0', copy());
    await s.edit(0, [{ op: 'set', path: ['letter', 'number'], value: '徐府[2022]8号' }]);
    const err = await previewerOf(s).pdf('letter').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).diagnostics[0]).toMatchObject({ label: '发文字号', line: 37 });
  });
});

describe('package', () => {
  it('an unmet condition is refused with the message `package` gives, and nothing is built', async () => {
    const file = copy('caohejing-pilot-park.yaml');
    const s = await Session.open('0', file);
    const st = await s.edit(0, [{ op: 'set', path: ['indicators', '2021', 'ip_funds'], value: 1 }]);
    const funds = st.check!.items.find((i) => i.id === 'sh-pilot-park-funds')!;
    expect(funds.statusLabel).toBe('不符合');
    await s.save();
    const err = await rejection(packageSession(s));
    expect(err.status).toBe(422);
    expect(err.body.message).toBe(`申报条件 ${funds.clause} ${funds.title} 不符合：${funds.reason}，不生成申报材料包`);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(path.dirname(file), 'out'))).toBe(false);
  });
});

describe('Workspace', () => {
  it('a folder: ids are the YAML file names; anything else is not found', async () => {
    const dir = path.join(tmp, 'folder');
    mkdirSync(dir);
    copyFileSync(path.join(EXAMPLES_DIR, XUHUI), path.join(dir, XUHUI));
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    writeFileSync(path.join(dir, '_draft.yaml'), 'x: 1');
    writeFileSync(path.join(dir, '推荐名单.yaml'), '# 市局推荐名单\nselect:\n  - 徐汇区\n');
    const ws = new Workspace('folder', dir);
    expect(await ws.ids()).toEqual([XUHUI]);
    expect((await ws.get(XUHUI)).file).toBe(path.join(dir, XUHUI));
    expect(await ws.get(XUHUI)).toBe(await ws.get(XUHUI));
    for (const id of ['../' + XUHUI, 'notes.txt', 'missing.yaml', '0', '_draft.yaml', '推荐名单.yaml']) {
      const err = await rejection(ws.get(id));
      expect(err.status).toBe(404);
    }
  });
});
