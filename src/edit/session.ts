/**
 * One applicant file being edited: its text (the single source of truth; the yaml Document is
 * parsed from it for each edit), revisions, undo and redo, saving, and whether the file on disk
 * changed under us. Every state is analysed by the same stages `validate` and `check` run: the
 * editor holds no rules of its own.
 */
import { isSelectListFile } from '../batch/summary.js';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { describeWriteError, readRegularFile, ReadRefused, replaceUserFile } from '../common/fsutil.js';
import { decodeText, loadYamlFile, MAX_SOURCE_BYTES, sourceTooLarge, type LocatedData } from '../load/index.js';
import { validateLocated, type ValidApplicant } from '../schema/validate.js';
import { evaluate, indicatorSeries, reportingYears, STATUS_LABEL, type Evaluation } from '../evaluate/index.js';
import { formatIndicator } from '../model/indicators.js';
import type { CheckItem, CheckView, EditOp, EditorState } from './protocol.js';
import { HttpError } from './server.js';
import { applyOps, EditRefused, parseForEdit } from './yaml-edit.js';

/** Undo keeps this many earlier texts (each a few dozen KB). */
export const UNDO_LIMIT = 200;

interface DiskStamp {
  hash: string;
  size: number;
  mtimeMs: number;
}

/** How the file was written, so that saving writes it the same way. */
interface FileFormat {
  bom: boolean;
  crlf: boolean;
  /** utf-16 files are written back as UTF-16 LE with BOM; GBK files are written as UTF-8 (the loader reads both). */
  encoding: 'utf-8' | 'utf-16' | 'gb18030';
}

/** What the stages say about one revision's text. */
export interface Analysis {
  revision: number;
  text: string;
  located?: LocatedData;
  /** Present when the data is valid: what render and package need. */
  valid?: ValidApplicant;
  evaluation?: Evaluation;
  diagnostics: Diagnostic[];
  program?: string;
  category?: string;
  /** The text's own data (this file only, as written), or undefined when it does not parse. */
  data?: unknown;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function stale(): HttpError {
  return new HttpError(409, { code: 'stale', message: '页面上的数据不是最新版本（可能在另一个窗口中改过），请刷新后再修改' });
}

async function readRaw(file: string, shown: string): Promise<Buffer> {
  try {
    return await readRegularFile(file, MAX_SOURCE_BYTES);
  } catch (err) {
    if (err instanceof ReadRefused) {
      if (err.reason === 'too-large') throw sourceTooLarge(shown, err.size, 2);
      throw new UserError([{ severity: 'error', code: 'io.read', file: shown, message: `无法读取 ${shown}：${err.message}` }], 2);
    }
    throw err;
  }
}

function decode(bytes: Buffer, shown: string): { text: string; format: FileFormat } {
  const src = decodeText(bytes, shown);
  const bom = src.encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // The editor works on LF text; the file's CRLF comes back on save.
  const crlf = src.text.includes('\r\n');
  return { text: crlf ? src.text.replace(/\r\n/g, '\n') : src.text, format: { bom, crlf, encoding: src.encoding as FileFormat['encoding'] } };
}

function encode(text: string, format: FileFormat): Buffer {
  const t = format.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  if (format.encoding === 'utf-16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
  const body = Buffer.from(t, 'utf8');
  return format.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** Where a condition is filled in: the jump target of the check panel. */
function conditionPath(check: string, id: string, numerator: string | undefined, lastYear: number): (string | number)[] {
  if (check === 'kind') return ['applicant', 'kind'];
  if (check === 'former_title') return ['applicant', 'former_titles'];
  if ((check === 'ratio' || check === 'rank') && numerator) return ['indicators', String(lastYear), numerator];
  if (check === 'ratio' || check === 'rank') return ['indicators'];
  return ['conditions', id];
}

export function checkView(v: ValidApplicant, e: Evaluation): CheckView {
  const lastYear = reportingYears(v.program.year)[2];
  const items: CheckItem[] = e.results.map((r) => {
    const cond = v.category.conditions.find((c) => c.id === r.id);
    const c = cond?.check as { type: string; numerator?: string; indicator?: string } | undefined;
    return {
      id: r.id,
      clause: r.clause,
      title: r.title,
      status: r.status,
      statusLabel: STATUS_LABEL[r.status],
      reason: r.reason,
      path: conditionPath(r.check, r.id, c?.numerator ?? c?.indicator, lastYear),
    };
  });
  const summary = (Object.keys(STATUS_LABEL) as (keyof typeof STATUS_LABEL)[])
    .filter((s) => e.counts[s] > 0 || s === 'met' || s === 'unmet' || s === 'pending')
    .map((s) => `${STATUS_LABEL[s]} ${e.counts[s]} 项`)
    .join('，');
  const findings: Diagnostic[] = e.findings
    .filter((f) => f.acknowledged === undefined)
    .map((f) => ({ severity: 'warning', code: f.code, message: f.message, file: f.file, line: f.line, col: f.col, path: f.path }));
  return { eligible: e.eligible, summary: `合计：${summary}`, items, findings };
}

/** The derived indicators by year, formatted as the documents' tables print them. */
export function derivedFigures(v: ValidApplicant): EditorState['derived'] {
  const out: EditorState['derived'] = {};
  for (const [year, values] of indicatorSeries(v.applicant, v.catalogue)) {
    const row: Record<string, string> = {};
    for (const ind of v.catalogue.indicators) {
      if (!ind.derived) continue;
      const value = values.get(ind.id);
      if (value === undefined) continue;
      row[ind.id] = formatIndicator(ind, value) + (ind.kind === 'percent' ? '%' : '');
    }
    out[String(year)] = row;
  }
  return out;
}

export class Session {
  private text: string;
  private revision = 0;
  private savedText: string;
  private readonly undoStack: string[] = [];
  private readonly redoStack: string[] = [];
  private analysis?: Analysis;
  private diskChanged = false;
  /** Serialises the session's changes: two edits arriving together are applied one after the other. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly id: string,
    /** Absolute path of the file. */
    readonly file: string,
    /** The file as shown to the user. */
    readonly shown: string,
    text: string,
    private format: FileFormat,
    private disk: DiskStamp,
  ) {
    this.text = text;
    this.savedText = text;
  }

  static async open(id: string, file: string, shown = file): Promise<Session> {
    const abs = path.resolve(file);
    const st = await stat(abs).catch(() => undefined);
    if (!st) throw new UserError([{ severity: 'error', code: 'usage.input', file: shown, message: `找不到文件：${shown}` }], 2);
    const bytes = await readRaw(abs, shown);
    const { text, format } = decode(bytes, shown);
    return new Session(id, abs, shown, text, format, { hash: sha256(bytes), size: st.size, mtimeMs: st.mtimeMs });
  }

  get currentRevision(): number {
    return this.revision;
  }

  get currentText(): string {
    return this.text;
  }

  /** Runs `fn` after every change queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The current text analysed (cached per revision). */
  async analyse(): Promise<Analysis> {
    if (this.analysis?.revision === this.revision && this.analysis.text === this.text) return this.analysis;
    const revision = this.revision;
    const text = this.text;
    const a: Analysis = { revision, text, diagnostics: [] };
    const doc = parseForEdit(text);
    const raw = doc.errors.length ? undefined : (doc.toJS() as Record<string, unknown> | null);
    a.data = raw ?? undefined;
    if (raw && typeof raw === 'object') {
      if (typeof raw.program === 'string') a.program = raw.program;
      if (typeof raw.category === 'string') a.category = raw.category;
    }
    try {
      a.located = await loadYamlFile(this.file, { text });
      const v = await validateLocated(a.located);
      a.diagnostics = v.diagnostics;
      if (v.ok) {
        a.valid = v;
        a.program = v.program.id;
        a.category = v.category.id;
        a.evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located);
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      a.diagnostics = err.diagnostics;
    }
    if (this.format.encoding === 'gb18030') {
      a.diagnostics = [
        ...a.diagnostics,
        { severity: 'warning', code: 'source.gbk', file: a.located?.file ?? this.shown, line: 1, col: 1, message: '文件为 GBK（GB18030）编码；在编辑器中保存时将改存为 UTF-8 编码（shenbao、WPS 和常用文本编辑器都能读取）' },
      ];
    }
    if (this.revision === revision) this.analysis = a;
    return a;
  }

  /** Cheap first (size and mtime), the hash only when those moved. */
  async checkDisk(): Promise<boolean> {
    if (this.diskChanged) return true;
    const st = await stat(this.file).catch(() => undefined);
    if (!st) return (this.diskChanged = true);
    if (st.size === this.disk.size && st.mtimeMs === this.disk.mtimeMs) return false;
    const bytes = await readRaw(this.file, this.shown).catch(() => undefined);
    const hash = bytes ? sha256(bytes) : '';
    if (hash === this.disk.hash) {
      this.disk = { hash, size: st.size, mtimeMs: st.mtimeMs };
      return false;
    }
    return (this.diskChanged = true);
  }

  async state(): Promise<EditorState> {
    await this.checkDisk();
    const a = await this.analyse();
    const data = a.data ?? a.located?.data ?? null;
    const program = a.valid?.program;
    return {
      id: this.id,
      file: this.shown,
      revision: this.revision,
      data,
      program: a.program,
      category: a.category,
      diagnostics: a.diagnostics,
      check: a.valid && a.evaluation ? checkView(a.valid, a.evaluation) : undefined,
      dirty: this.dirty,
      diskChanged: this.diskChanged,
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
      derived: a.valid ? derivedFigures(a.valid) : {},
      materials: program ? program.materials.map((m) => ({ id: m.id, title: m.name })) : [],
    };
  }

  /** Unsaved changes: asked by the office view and the package route, which need no analysis. */
  get dirty(): boolean {
    return this.text !== this.savedText;
  }

  private change(next: string): void {
    if (next === this.text) return;
    this.undoStack.push(this.text);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack.length = 0;
    this.text = next;
    this.revision++;
  }

  edit(baseRevision: number, ops: EditOp[]): Promise<EditorState> {
    return this.serial(async () => {
      if (baseRevision !== this.revision) throw stale();
      await this.refuseIncluded(ops);
      let next: string;
      try {
        next = applyOps(this.text, ops);
      } catch (err) {
        if (err instanceof EditRefused) throw new HttpError(422, { code: 'invalid', message: err.message });
        throw err;
      }
      this.change(next);
      return this.state();
    });
  }

  /** A key that comes from an included file is not in this file's text: the editor says so instead of shadowing it. */
  private async refuseIncluded(ops: EditOp[]): Promise<void> {
    const a = await this.analyse();
    const located = a.located;
    if (!located || located.files.length < 2) return;
    const main = located.files[0];
    const doc = parseForEdit(this.text);
    for (const op of ops) {
      for (let n = op.path.length; n >= 1; n--) {
        const p = op.path.slice(0, n);
        if (doc.hasIn(p)) break;
        const at = located.locateKey(p);
        if (at && at.file !== main) {
          throw new HttpError(422, {
            code: 'invalid',
            message: `字段 ${p.join('.')} 写在引用的文件 ${at.file} 中，编辑器只修改主文件 ${main}；请直接编辑 ${at.file}`,
          });
        }
      }
    }
  }

  undo(): Promise<EditorState> {
    return this.step(this.undoStack, this.redoStack);
  }

  redo(): Promise<EditorState> {
    return this.step(this.redoStack, this.undoStack);
  }

  /** Undo and redo are one move: the top of `from` becomes the text, the text goes onto `to`. */
  private step(from: string[], to: string[]): Promise<EditorState> {
    return this.serial(async () => {
      const text = from.pop();
      if (text !== undefined) {
        to.push(this.text);
        this.text = text;
        this.revision++;
      }
      return this.state();
    });
  }

  /** Takes the disk's version (undoable: the edits made here are one undo away). */
  reload(): Promise<EditorState> {
    return this.serial(async () => {
      const st = await stat(this.file).catch(() => undefined);
      if (!st) throw new HttpError(409, { code: 'io', message: `文件 ${this.shown} 已不存在，无法重新载入` });
      const bytes = await readRaw(this.file, this.shown);
      const { text, format } = decode(bytes, this.shown);
      this.format = format;
      this.disk = { hash: sha256(bytes), size: st.size, mtimeMs: st.mtimeMs };
      this.diskChanged = false;
      this.change(text);
      this.savedText = text;
      return this.state();
    });
  }

  /**
   * Writes the text back (replaceUserFile: atomically, never half a file, its mode kept, a
   * symlink followed). A file changed on disk since it was loaded is not overwritten unless `force`.
   */
  save(force = false): Promise<EditorState> {
    return this.serial(async () => {
      const st = await stat(this.file).catch(() => undefined);
      if (st && !st.isFile()) throw new HttpError(409, { code: 'io', message: `${this.shown} 不是普通文件，不能保存` });
      if (!force && (await this.checkDisk())) {
        throw new HttpError(409, { code: 'disk-changed', message: `文件 ${this.shown} 在编辑器之外被修改过：请先重新载入，或确认覆盖后再保存` });
      }
      const bytes = encode(this.text, this.format.encoding === 'gb18030' ? { ...this.format, encoding: 'utf-8' } : this.format);
      let after;
      try {
        after = (await replaceUserFile(this.file, bytes)).stats;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOTFILE') throw new HttpError(409, { code: 'io', message: `${this.shown} 不是普通文件，不能保存` });
        throw new HttpError(500, { code: 'io', message: `无法保存 ${this.shown}：${describeWriteError(err)}` });
      }
      this.disk = { hash: sha256(bytes), size: after.size, mtimeMs: after.mtimeMs };
      this.diskChanged = false;
      this.savedText = this.text;
      if (this.format.encoding === 'gb18030') {
        this.format = { ...this.format, encoding: 'utf-8' };
        this.analysis = undefined;
      }
      return this.state();
    });
  }
}

/**
 * The applicants a workspace can edit. `shenbao edit FILE`: one, id "0". `shenbao edit DIR`: each
 * YAML file directly in the folder, id = its file name; a session is opened on first use and
 * kept, so the office view and the editor see the same unsaved state.
 */
export class Workspace {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(
    readonly mode: 'file' | 'folder',
    /** The file or folder as the user named it. */
    readonly target: string,
  ) {}

  /** The ids of the applicants (file names in folder mode), sorted. */
  async ids(): Promise<string[]> {
    if (this.mode === 'file') return ['0'];
    const names = await readdir(this.target).catch(() => [] as string[]);
    // As `batch DIR` reads a folder: a leading _ or . sets a file aside, and the office's select list is not an applicant.
    return names.filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.') && !n.startsWith('_') && !isSelectListFile(path.join(this.target, n))).sort();
  }

  /** The file an id stands for; undefined for an id that is not one of the workspace's. */
  fileOf(id: string): string | undefined {
    if (this.mode === 'file') return id === '0' ? this.target : undefined;
    // Only a plain file name of the folder: no separator, no "..", nothing hidden.
    if (!/\.ya?ml$/i.test(id) || id.startsWith('.') || id.startsWith('_') || id.includes('/') || id.includes('\\') || id.includes('\0')) return undefined;
    return path.join(this.target, id);
  }

  async get(id: string): Promise<Session> {
    // An open session was checked when it opened: every request of an editor comes here.
    let s = this.sessions.get(id);
    if (s) return s;
    const file = this.fileOf(id);
    const isFile = file ? (await stat(file).catch(() => undefined))?.isFile() : false;
    if (!file || (this.mode === 'folder' && (!isFile || isSelectListFile(file)))) {
      throw new HttpError(404, { code: 'not-found', message: `没有这个申报数据文件：${id}` });
    }
    s = this.sessions.get(id);
    if (!s) {
      s = Session.open(id, file, file);
      this.sessions.set(id, s);
      s.catch(() => this.sessions.delete(id));
    }
    return s;
  }

  /** Sessions already open (the office view shows their unsaved state). */
  opened(id: string): Promise<Session> | undefined {
    return this.sessions.get(id);
  }
}
