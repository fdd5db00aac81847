/**
 * The office's view of a folder (`shenbao edit DIR`): every applicant file the folder gives
 * `shenbao batch DIR`, each validated and checked, the categories against their quotas, and the
 * recommended list written as the select file `batch --select` reads. It judges nothing itself:
 * rows come from validateFile and evaluate, a selection from the same selectionDiagnostics batch
 * uses, so a list this view writes is a list batch accepts.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLSeq, type Document } from 'yaml';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { describeIoError, describeWriteError, readRegularFile, ReadRefused, replaceUserFile } from '../common/fsutil.js';
import { expandInputs } from '../batch/index.js';
import { categoryQuota, isSelectable, selectionDiagnostics, selectionValue, selectKeyMatches, type OfficeData } from '../batch/summary.js';
import { conditionLabel, evaluate, openFindings, STATUS_LABEL, type Evaluation } from '../evaluate/index.js';
import { validateFile, type ValidApplicant } from '../schema/validate.js';
import type { OfficeRow, OfficeState, SelectRequest, SelectResponse } from './protocol.js';
import { HttpError, type Router } from './server.js';

/** The select file's name in the folder: the name README and examples use for `batch --select`. */
export const SELECT_FILE_NAME = '推荐名单.yaml';

/** As readSelection allows: a list of a few dozen names. */
const MAX_SELECT_BYTES = 1024 * 1024;

/** Rows show a few diagnostics; the applicant's own editor shows them all. */
const ROW_DIAGNOSTICS = 5;

interface Entry {
  /** mtime and size of every file the applicant was read from: any change re-validates it. */
  stamp: string;
  files: string[];
  row: OfficeRow;
  valid?: ValidApplicant;
}

/** The select file as on disk: its YAML document (to keep comments) and what it says. */
interface SelectFile {
  doc?: Document;
  keys: string[];
  office: OfficeData;
  diagnostics: Diagnostic[];
}

export interface OfficeOptions {
  /** Whether the editor holds unsaved changes to an applicant (the workspace's open sessions). */
  unsaved?: (id: string) => Promise<boolean>;
}

export class Office {
  readonly selectFile: string;
  private readonly cache = new Map<string, Entry>();
  /** Saves run one after another: two tabs saving at once must not interleave read and write. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly options: OfficeOptions = {},
  ) {
    this.selectFile = path.join(folder, SELECT_FILE_NAME);
  }

  async state(): Promise<OfficeState> {
    const entries = await this.entries();
    const select = await this.readSelectFile();
    const valid = entries.flatMap((e) => (e.valid ? [e.valid] : []));
    const judged = select.doc ? selectionDiagnostics(this.selectFile, select.keys, valid, select.office) : undefined;
    const selection = (judged?.chosen ?? []).map((v) => entries.find((e) => e.valid === v)!.row.id);
    const state = this.compose(entries, selection, select, [...select.diagnostics, ...(judged?.diagnostics ?? [])]);
    return this.markUnsaved(state);
  }

  private async markUnsaved<T extends OfficeState>(state: T): Promise<T> {
    const unsaved = this.options.unsaved;
    if (!unsaved) return state;
    const rows = await Promise.all(state.rows.map(async (r) => ((await unsaved(r.id).catch(() => false)) ? { ...r, unsaved: true } : r)));
    return { ...state, rows };
  }

  /** Writes the select file, or throws HttpError 422 ('quota' / 'invalid') having written nothing. */
  select(request: SelectRequest): Promise<SelectResponse> {
    const run = this.queue.then(() => this.write(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(request: SelectRequest): Promise<SelectResponse> {
    // The same applicant twice is once, as batch reads a list naming it twice.
    const ids = [...new Set(request.selection)];
    const entries = await this.entries();
    const select = await this.readSelectFile();
    if (select.diagnostics.some((d) => d.severity === 'error')) {
      throw new HttpError(422, { code: 'invalid', message: `现有推荐名单有误，未保存：${select.diagnostics[0]!.message}`, diagnostics: select.diagnostics });
    }
    const valid = entries.flatMap((e) => (e.valid ? [e.valid] : []));
    const keys = ids.map((id) => selectKey(id, entries, valid));
    const judged = selectionDiagnostics(this.selectFile, keys, valid, select.office);
    if (judged.diagnostics.length) {
      const refused = judged.diagnostics.some((d) => d.code === 'select.quota' || d.code === 'select.unmet');
      throw new HttpError(422, { code: refused ? 'quota' : 'invalid', message: `推荐名单未保存：${judged.diagnostics.map((d) => d.message).join('；')}`, diagnostics: judged.diagnostics });
    }
    const text = selectText(select.doc, keys);
    // The office's own file, replaced as an applicant's is: its mode and a symlink to a shared
    // folder kept (replaceUserFile).
    try {
      await replaceUserFile(this.selectFile, Buffer.from(text, 'utf8'));
    } catch (err) {
      const message = (err as NodeJS.ErrnoException).code === 'ENOTFILE' ? `${path.basename(this.selectFile)} 不是普通文件` : describeWriteError(err);
      throw new HttpError(500, { code: 'io', message: `无法写入推荐名单：${message}` });
    }
    const selection = judged.chosen.map((v) => entries.find((e) => e.valid === v)!.row.id);
    return this.markUnsaved({ ...this.compose(entries, selection, { ...select, doc: parseDocument(text) }, []), written: this.selectFile });
  }

  private compose(entries: Entry[], selection: string[], select: SelectFile, selectDiagnostics: Diagnostic[]): OfficeState {
    const groups = new Map<string, { v: ValidApplicant; rows: OfficeRow[] }>();
    for (const e of entries) {
      if (!e.valid) continue;
      const k = `${e.valid.program.id}/${e.valid.category.id}`;
      const g = groups.get(k) ?? { v: e.valid, rows: [] };
      g.rows.push(e.row);
      groups.set(k, g);
    }
    // In the round's own order of categories, rounds in the order their first applicant appears.
    const order = (v: ValidApplicant) => v.program.categories.findIndex((c) => c.id === v.category.id);
    const programs = [...new Set([...groups.values()].map((g) => g.v.program.id))];
    const quotas = [...groups.values()]
      .sort((a, b) => programs.indexOf(a.v.program.id) - programs.indexOf(b.v.program.id) || order(a.v) - order(b.v))
      .map(({ v, rows }) => ({
        program: v.program.id,
        category: v.category.id,
        name: v.category.name,
        shortName: v.category.short_name,
        quota: categoryQuota(v.category, select.office),
        applicants: rows.length,
        eligible: rows.filter((r) => r.status === 'eligible').length,
        selectable: rows.filter((r) => r.selectable).length,
        selected: rows.filter((r) => selection.includes(r.id)).length,
      }));
    return {
      folder: this.folder,
      rows: entries.map((e) => e.row),
      quotas,
      selection,
      selectFile: this.selectFile,
      selectFileExists: select.doc !== undefined,
      selectDiagnostics,
    };
  }

  /** The folder's applicants as batch takes them, re-validated only where a file changed. */
  private async entries(): Promise<Entry[]> {
    const { files, diagnostics } = await expandInputs([this.folder]);
    const failed = diagnostics.find((d) => d.severity === 'error');
    if (failed) throw new HttpError(500, { code: 'io', message: `无法读取文件夹 ${this.folder}：${failed.message}` });
    const mine = files.filter((f) => path.resolve(f) !== path.resolve(this.selectFile));
    const out: Entry[] = [];
    for (const file of mine) {
      const cached = this.cache.get(file);
      if (cached && cached.stamp === (await stamps(cached.files))) {
        out.push(cached);
        continue;
      }
      const entry = await loadEntry(file);
      this.cache.set(file, entry);
      out.push(entry);
    }
    for (const k of this.cache.keys()) if (!mine.includes(k)) this.cache.delete(k);
    return out;
  }

  private async readSelectFile(): Promise<SelectFile> {
    if (!(await stat(this.selectFile).catch(() => undefined))) return { keys: [], office: {}, diagnostics: [] };
    let text: string;
    try {
      text = (await readRegularFile(this.selectFile, MAX_SELECT_BYTES)).toString('utf8');
    } catch (err) {
      const why = err instanceof ReadRefused ? err.message : describeIoError(err);
      return { keys: [], office: {}, diagnostics: [{ severity: 'error', code: 'select.read', file: this.selectFile, message: `无法读取推荐名单：${why}` }] };
    }
    const doc = parseDocument(text);
    if (doc.errors.length) {
      const line = doc.errors[0]!.linePos?.[0];
      return { keys: [], office: {}, diagnostics: [{ severity: 'error', code: 'select.yaml', file: this.selectFile, ...line, message: '推荐名单不是有效的 YAML：应为申报单位简称的列表，如“- 徐汇区”' }] };
    }
    let raw: unknown;
    try {
      raw = doc.toJS({ maxAliasCount: 100 });
    } catch {
      return { keys: [], office: {}, diagnostics: [{ severity: 'error', code: 'select.yaml', file: this.selectFile, message: '推荐名单中的引用（*别名）展开次数过多，已拒绝读取' }] };
    }
    // An empty file is an empty list the office is about to fill.
    if (raw === null || raw === undefined) return { doc, keys: [], office: {}, diagnostics: [] };
    const parsed = selectionValue(this.selectFile, raw);
    return { doc, keys: parsed.keys ?? [], office: parsed.office, diagnostics: parsed.diagnostics };
  }
}

async function stamps(files: string[]): Promise<string> {
  const parts: string[] = [];
  for (const f of files) {
    const st = await stat(f).catch(() => undefined);
    parts.push(st ? `${st.mtimeMs}:${st.size}` : 'missing');
  }
  return parts.join('|');
}

async function loadEntry(file: string): Promise<Entry> {
  const id = path.basename(file);
  let result;
  try {
    result = await validateFile(file);
  } catch (err) {
    // An unreadable file is a row with its reason, as in batch: the others still show.
    const diagnostics = err instanceof UserError ? err.diagnostics : [{ severity: 'error' as const, code: 'io.read', file, message: describeIoError(err) }];
    return { stamp: await stamps([file]), files: [file], row: invalidRow(id, file, diagnostics) };
  }
  if (!result.ok) return { stamp: await stamps([file]), files: [file], row: invalidRow(id, file, result.diagnostics) };
  const v = result;
  const evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located);
  const files = v.located.files;
  return { stamp: await stamps(files), files, valid: v, row: validRow(id, file, v, evaluation) };
}

function invalidRow(id: string, file: string, diagnostics: Diagnostic[]): OfficeRow {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return {
    id,
    file,
    status: 'invalid',
    verdict: '数据有误',
    errors: errors.length,
    warnings: diagnostics.length - errors.length,
    diagnostics: errors.slice(0, ROW_DIAGNOSTICS),
    selectable: false,
  };
}

function validRow(id: string, file: string, v: ValidApplicant, evaluation: Evaluation): OfficeRow {
  const findings = openFindings(evaluation.findings);
  const warnings: Diagnostic[] = [
    ...v.diagnostics.filter((d) => d.severity === 'warning'),
    ...findings.map((f) => ({ severity: 'warning' as const, code: f.code, message: f.message, file: f.file, line: f.line, col: f.col, path: f.path })),
  ];
  return {
    id,
    file,
    name: v.applicant.applicant.name,
    shortName: v.applicant.applicant.short_name,
    program: v.program.id,
    category: v.category.id,
    categoryName: v.category.name,
    status: evaluation.eligible ? 'eligible' : 'not-eligible',
    // 待人工确认 is not called 不符合: the worst of the check's own categories names the row.
    verdict: evaluation.eligible ? '符合全部条件' : evaluation.counts.unmet ? '有不符合项' : evaluation.counts.pending ? '有待补充项' : '有待人工确认项',
    errors: 0,
    warnings: warnings.length,
    counts: { ...evaluation.counts },
    diagnostics: warnings.slice(0, ROW_DIAGNOSTICS),
    selectable: evaluation.results.every((r) => isSelectable(r.status)),
    problems: evaluation.results
      .filter((r) => r.status !== 'met' && r.status !== 'priority' && r.status !== 'not_applicable')
      .map((r) => `${conditionLabel(r)} ${STATUS_LABEL[r.status]}：${r.reason}`),
  };
}

/**
 * The key the select file names an applicant by: its short name, as README asks the office to
 * write, unless that names more than one applicant of the folder; then its file name. An id that
 * is no valid applicant stays as given, and the judgement reports it as batch would.
 */
function selectKey(id: string, entries: Entry[], valid: ValidApplicant[]): string {
  const v = entries.find((e) => e.row.id === id)?.valid;
  if (!v) return id;
  const short = v.applicant.applicant.short_name;
  const hits = selectKeyMatches(short, valid);
  return hits.length === 1 && hits[0] === v ? short : path.basename(v.file);
}

/**
 * The select file's new text. An existing file keeps its comments, its other keys (office, date,
 * quotas) and its form (a bare list or `select:`); an item kept from before keeps its own comment.
 */
function selectText(doc: Document | undefined, keys: string[]): string {
  if (!doc || doc.contents === null) {
    const fresh = parseDocument(
      `# 推荐名单：按推荐顺序填写申报单位简称（由 shenbao edit 写入）。\n# 生成推荐函草稿：shenbao batch 本文件夹 --select 本文件\nselect: []\n`,
    );
    setList(fresh, ['select'], keys);
    return fresh.toString();
  }
  if (isSeq(doc.contents)) setList(doc, [], keys);
  else if (isMap(doc.contents)) setList(doc, ['select'], keys);
  return doc.toString();
}

function setList(doc: Document, at: string[], keys: string[]): void {
  const old = at.length ? doc.getIn(at, true) : doc.contents;
  const seq = isSeq(old) ? (old as YAMLSeq) : new YAMLSeq();
  const previous = [...seq.items];
  seq.items = keys.map((k) => previous.find((n) => isScalar(n) && n.value === k) ?? new Scalar(k));
  // An empty list reads best as [], a list of names as one name a line (the README's form).
  seq.flow = keys.length === 0 ? true : previous.length === 0 ? false : Boolean(seq.flow);
  if (at.length) doc.setIn(at, seq);
  else doc.contents = seq;
}

export function registerOfficeRoutes(router: Router, folder: string, options: OfficeOptions = {}): Office {
  const office = new Office(folder, options);
  router.get('/api/office', () => office.state().then((json) => ({ json })));
  router.post('/api/office/select', async (req) => {
    const body = req.body as Partial<SelectRequest> | undefined;
    if (!body || !Array.isArray(body.selection) || body.selection.some((x) => typeof x !== 'string')) {
      throw new HttpError(400, { code: 'invalid', message: '请求应为 {"selection": [申报单位编号……]}' });
    }
    return { json: await office.select({ selection: body.selection }) };
  });
  return office;
}
