/**
 * The routes of one applicant (state, edit, undo, redo, save, reload, preview, package) and the
 * form's specification, over a Workspace's sessions. Request bodies are checked here: the types
 * in protocol.ts say what the page sends, this says what the server accepts.
 */
import path from 'node:path';
import { UserError } from '../common/diagnostics.js';
import { buildPackage } from '../index.js';
import { publishedJsonSchema } from '../schema/json-schema.js';
import { findCategory, loadCatalogue, loadProgram } from '../program/load.js';
import { reportingYears } from '../evaluate/index.js';
import type { ApplicantList, EditOp, EditRequest, FormSpec, PackageResponse, SaveRequest } from './protocol.js';
import { HttpError, type Request, type Router } from './server.js';
import type { Session, Workspace } from './session.js';
import { previewerOf } from './preview.js';
import { parseForEdit } from './yaml-edit.js';

function bad(message: string): HttpError {
  return new HttpError(400, { code: 'invalid', message });
}

const isPath = (p: unknown): p is (string | number)[] => Array.isArray(p) && p.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0));
const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

function parseOp(raw: unknown, i: number): EditOp {
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || !isPath(o.path)) throw bad(`第 ${i + 1} 项修改缺少有效的 path（字段路径）`);
  switch (o.op) {
    case 'set':
      if (!('value' in o)) throw bad(`第 ${i + 1} 项修改缺少 value`);
      if (!o.path.length) throw bad('不能替换整个文件的内容');
      return { op: 'set', path: o.path, value: o.value };
    case 'delete':
      if (!o.path.length) throw bad('不能删除整个文件的内容');
      return { op: 'delete', path: o.path };
    case 'insert':
      if (!isIndex(o.index)) throw bad(`第 ${i + 1} 项修改的 index 应为非负整数`);
      return { op: 'insert', path: o.path, index: o.index, value: o.value };
    case 'move':
      if (!isIndex(o.from) || !isIndex(o.to)) throw bad(`第 ${i + 1} 项修改的 from、to 应为非负整数`);
      return { op: 'move', path: o.path, from: o.from, to: o.to };
    default:
      throw bad(`第 ${i + 1} 项修改的类型 ${JSON.stringify(o.op)} 不是 set、delete、insert、move 之一`);
  }
}

export function parseEditRequest(body: unknown): EditRequest {
  const b = body as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') throw bad('请求内容应为 { baseRevision, ops }');
  if (!isIndex(b.baseRevision)) throw bad('baseRevision 应为非负整数');
  if (!Array.isArray(b.ops)) throw bad('ops 应为修改的列表');
  return { baseRevision: b.baseRevision, ops: b.ops.map(parseOp) };
}

/** GET /api/form: the form's specification for a round and category (both optional). */
export async function formSpec(programId: string | null, categoryId: string | null): Promise<FormSpec> {
  const schema = await publishedJsonSchema();
  const catalogue = await loadCatalogue();
  const spec: FormSpec = {
    schema,
    indicators: catalogue.indicators.map((i) => ({ id: i.id, name: i.name, unit: i.unit, derived: Boolean(i.derived), description: i.description })),
    years: [],
  };
  if (!programId) return spec;
  let program;
  try {
    program = await loadProgram(programId);
  } catch (err) {
    if (err instanceof UserError) throw new HttpError(404, { code: 'not-found', message: `没有这个申报批次：${programId}` });
    throw err;
  }
  spec.program = { id: program.id, name: program.name };
  spec.years = [...reportingYears(program.year)];
  const category = categoryId ? findCategory(program, categoryId) : undefined;
  if (categoryId && !category) throw new HttpError(404, { code: 'not-found', message: `申报批次 ${program.id} 没有这个申报类别：${categoryId}` });
  if (category) {
    spec.category = {
      id: category.id,
      name: category.name,
      shortName: category.short_name,
      ...(category.quota === null ? {} : { quota: category.quota }),
      conditions: category.conditions.map((c) => ({
        id: c.id,
        clause: c.clause,
        title: c.title,
        text: c.text,
        check: c.check.type,
        // What the applicant names as proof: the evidence documents a declared condition needs.
        evidence: c.check.type === 'declared' && c.check.min_evidence > 0 ? [`至少 ${c.check.min_evidence} 份证明材料`] : [],
      })),
    };
  }
  return spec;
}

const building = new WeakSet<Session>();

/**
 * The package is built from the file as saved (what `shenbao package` would read), never from
 * unsaved text: a package on disk must be reproducible from the file next to it. It goes to
 * out/ next to the data file.
 */
export async function packageSession(s: Session): Promise<PackageResponse> {
  if (s.dirty) throw new HttpError(409, { code: 'unsaved', message: '有未保存的修改：材料包按已保存的文件生成，请先保存再生成材料包' });
  if (building.has(s)) throw new HttpError(409, { code: 'busy', message: '材料包正在生成，请稍候' });
  building.add(s);
  try {
    const out = path.join(path.dirname(s.file), 'out');
    const r = await buildPackage(s.file, { out }).catch((err: unknown) => {
      if (err instanceof UserError && err.diagnostics.some((d) => d.code === 'condition.unmet')) {
        const unmet = err.diagnostics.filter((d) => d.code === 'condition.unmet');
        throw new HttpError(422, { code: 'invalid', message: unmet.map((d) => d.message).join('；'), diagnostics: err.diagnostics });
      }
      throw err;
    });
    return { folder: r.dir, zip: r.zip, files: r.manifest.files.map((f) => f.path), diagnostics: r.diagnostics };
  } finally {
    building.delete(s);
  }
}

export function registerApplicantRoutes(router: Router, workspace: Workspace): void {
  const session = (req: Request) => workspace.get(req.params.id!);
  router.get('/api/applicants', async () => ({ json: { ids: await workspace.ids() } satisfies ApplicantList }));
  router.get('/api/applicants/:id/state', async (req) => ({ json: await (await session(req)).state() }));
  router.post('/api/applicants/:id/edit', async (req) => {
    const { baseRevision, ops } = parseEditRequest(req.body);
    return { json: await (await session(req)).edit(baseRevision, ops) };
  });
  router.post('/api/applicants/:id/undo', async (req) => ({ json: await (await session(req)).undo() }));
  router.post('/api/applicants/:id/redo', async (req) => ({ json: await (await session(req)).redo() }));
  router.post('/api/applicants/:id/reload', async (req) => ({ json: await (await session(req)).reload() }));
  router.post('/api/applicants/:id/save', async (req) => {
    const body = (req.body ?? {}) as SaveRequest;
    return { json: await (await session(req)).save(body.force === true) };
  });
  router.get('/api/applicants/:id/preview/:file', async (req) => {
    const m = /^([a-z0-9][a-z0-9-]*)\.pdf$/.exec(req.params.file!);
    if (!m) throw new HttpError(404, { code: 'not-found', message: `预览地址应为 材料代码.pdf（实际为 ${req.params.file}）` });
    const r = await previewerOf(await session(req)).pdf(m[1]!);
    return { bytes: r.bytes, type: 'application/pdf' };
  });
  router.get('/api/applicants/:id/preview/:material/locate', async (req) => {
    let p: unknown;
    try {
      p = JSON.parse(req.query.get('path') ?? '');
    } catch {
      throw bad('path 应为 JSON 数组形式的字段路径');
    }
    if (!isPath(p)) throw bad('path 应为 JSON 数组形式的字段路径');
    const s = await session(req);
    let value: unknown = parseForEdit(s.currentText).toJS();
    for (const seg of p) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[String(seg)] : undefined;
    return { json: typeof value === 'string' ? await previewerOf(s).locate(req.params.material!, value) : {} };
  });
  router.post('/api/applicants/:id/package', async (req) => ({ json: await packageSession(await session(req)) }));
  router.get('/api/form', async (req) => ({ json: await formSpec(req.query.get('program'), req.query.get('category')) }));
}
