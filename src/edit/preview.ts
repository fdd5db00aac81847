/**
 * The live preview: one material's PDF from the session's current (unsaved) text, made by the
 * same stages as `package` (view model → DOCX → our PDF engine reading that DOCX), in a worker
 * thread so that edits are answered while a PDF is laid out. A session renders one PDF at a
 * time; requests that queue behind a render are answered with the text as it is when their turn
 * comes, so a burst of typing costs one render, not one per keystroke.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { UserError } from '../common/diagnostics.js';
import { PACKAGE_ROOT } from '../common/paths.js';
import type { PreviewOutcome, PreviewTask } from './preview-worker.js';
import type { PreviewLocation } from './protocol.js';
import { HttpError } from './server.js';
import type { Session } from './session.js';

interface Rendered {
  revision: number;
  text: string;
  bytes: Uint8Array;
  /** Each page's text as our engine laid it out, whitespace removed. */
  pageText: string[];
}

/** The compiled worker (`npm run build`); without it (tests run from the sources) previews render on this thread. */
const WORKER = path.join(PACKAGE_ROOT, 'dist', 'edit', 'preview-worker.js');

let pool: Piscina | undefined;
let users = 0;

/** One preview thread per process while a workspace is open (started with the server, so its modules are loaded before the first preview): its fonts stay loaded between previews. */
export function openPreviews(): void {
  users++;
  if (!pool && existsSync(WORKER)) pool = new Piscina({ filename: WORKER, minThreads: 1, maxThreads: 1, idleTimeout: 60_000, atomics: 'disabled' });
}

export async function closePreviews(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users === 0 && pool) {
    const p = pool;
    pool = undefined;
    await p.destroy();
  }
}

async function render(task: PreviewTask): Promise<PreviewOutcome> {
  if (pool) return (await pool.run(task)) as PreviewOutcome;
  const { default: renderPreview } = await import('./preview-worker.js');
  return renderPreview(task);
}

export class Previewer {
  private chain: Promise<unknown> = Promise.resolve();
  /** The last PDF per material: the page asks again for the same revision when it scrolls or reloads. */
  private readonly cache = new Map<string, Rendered>();

  constructor(private readonly session: Session) {}

  pdf(material: string): Promise<Rendered> {
    const run = this.chain.then(() => this.renderNow(material));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async renderNow(material: string): Promise<Rendered> {
    const a = await this.session.analyse();
    const hit = this.cache.get(material);
    if (hit && hit.revision === a.revision && hit.text === a.text) return hit;
    if (!a.valid || !a.evaluation) {
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      throw new UserError(errors.length ? errors : [{ severity: 'error', code: 'edit.invalid', message: '数据尚不完整，无法预览' }]);
    }
    if (!a.valid.program.materials.some((m) => m.id === material)) {
      throw new HttpError(404, { code: 'not-found', message: `本批次没有材料 ${material}（可选：${a.valid.program.materials.map((m) => m.id).join('、')}）` });
    }
    const out = await render({ file: this.session.file, text: a.text, material });
    if (!out.ok) throw new UserError(out.diagnostics.length ? out.diagnostics : [{ severity: 'error', code: 'edit.render', message: `材料 ${material} 未能生成` }]);
    const r = { revision: a.revision, text: a.text, bytes: out.bytes, pageText: out.pageText };
    this.cache.set(material, r);
    return r;
  }

  /**
   * The page of the material's PDF that shows a field's text: the first characters of the value
   * searched in each page's text as our engine laid it out.
   */
  async locate(material: string, value: string): Promise<PreviewLocation> {
    const needle = value.replace(/\s+/g, '').slice(0, 20);
    if (needle.length < 2) return {};
    const { pageText } = await this.pdf(material);
    const i = pageText.findIndex((p) => p.includes(needle));
    return i < 0 ? {} : { page: i + 1 };
  }
}

const previewers = new WeakMap<Session, Previewer>();

export function previewerOf(session: Session): Previewer {
  let p = previewers.get(session);
  if (!p) previewers.set(session, (p = new Previewer(session)));
  return p;
}
