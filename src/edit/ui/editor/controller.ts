/**
 * The editor's one source of truth in the browser: the server's EditorState plus the edits typed
 * but not yet sent. Every change goes to the server as EditOps, one request at a time and in
 * order, each against the revision it was made on; the server answers with the new state (and
 * its diagnostics and check), so the page never decides what is valid by itself.
 */
import type { EditOp, EditorState, EditRequest, FormSpec, PackageResponse, SaveRequest } from '../../protocol.js';
import { api, ApiFailure } from '../api.js';

export type Path = (string | number)[];

/** Typing pauses this long before the field's value is sent. */
export const EDIT_DEBOUNCE_MS = 300;

export function pathKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** The DOM id of the input (or group) for a data path: diagnostics and tests find fields by it. */
export function fieldId(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'field-root' : `field-${pathKey(path)}`;
}

export function getIn(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

interface Pending {
  path: Path;
  /** undefined: remove the key. */
  value: unknown;
  timer?: ReturnType<typeof setTimeout>;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export class EditorController {
  state?: EditorState;
  spec?: FormSpec;
  loadError?: string;
  notice?: Notice;
  /** The disk copy changed and a save was refused: the banner offers reload or force. */
  saveRefused = false;
  packageResult?: PackageResponse;
  busy = false;
  /** The field edited last: the preview scrolls to where its text appears. */
  lastPath?: Path;
  private readonly pending = new Map<string, Pending>();
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private listeners = new Set<() => void>();
  private specFor = '';

  constructor(readonly id: string) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private get base(): string {
    return `/api/applicants/${encodeURIComponent(this.id)}`;
  }

  async load(): Promise<void> {
    try {
      this.setState(await api<EditorState>(`${this.base}/state`));
    } catch (e) {
      this.loadError = (e as Error).message;
      this.emit();
    }
  }

  /**
   * Asks again for the state without changing anything: the file may have been changed by
   * another program while the page was in the background (the server compares it with the disk).
   */
  refresh(): Promise<void> {
    this.chain = this.chain.then(async () => {
      try {
        this.setState(await api<EditorState>(`${this.base}/state`));
      } catch {
        // A failed look is not worth a message: the next edit or save reports what is wrong.
      }
    });
    return this.chain;
  }

  /** Unsent or unanswered edits: the page is not yet in step with the server. */
  get hasPending(): boolean {
    return this.pending.size > 0 || this.inFlight > 0;
  }

  get unsaved(): boolean {
    return !!this.state?.dirty || this.hasPending;
  }

  /** A field's value as the user sees it: what they typed, else the server's data. */
  valueAt(path: readonly (string | number)[]): unknown {
    const p = this.pending.get(pathKey(path));
    if (p) return p.value;
    return getIn(this.state?.data, path);
  }

  /** A field's new value (undefined removes the key), sent once typing pauses. */
  setField(path: Path, value: unknown): void {
    const key = pathKey(path);
    this.lastPath = path;
    const prev = this.pending.get(key);
    if (prev?.timer) clearTimeout(prev.timer);
    const entry: Pending = { path, value };
    entry.timer = setTimeout(() => this.commit(key, entry), EDIT_DEBOUNCE_MS);
    this.pending.set(key, entry);
    // The input already shows what was typed: the page redraws for the first keystroke of a burst
    // (the unsaved marker), not for every one, so typing stays quick in a form of hundreds of fields.
    if (!prev) this.emit();
  }

  private commit(key: string, entry: Pending): void {
    entry.timer = undefined;
    const current = getIn(this.state?.data, entry.path);
    const op: EditOp | undefined =
      entry.value === undefined ? (current === undefined ? undefined : { op: 'delete', path: entry.path }) : { op: 'set', path: entry.path, value: entry.value };
    if (!op) {
      if (this.pending.get(key) === entry) this.pending.delete(key);
      this.emit();
      return;
    }
    void this.send([op]).then(() => {
      // Typed on while this was on its way: that newer value is still pending and stays shown.
      if (this.pending.get(key) === entry) this.pending.delete(key);
      this.emit();
    });
  }

  /** Sends every pending field now and waits until the server has answered them all. */
  async flush(): Promise<void> {
    for (const [key, entry] of [...this.pending]) {
      if (entry.timer) {
        clearTimeout(entry.timer);
        this.commit(key, entry);
      }
    }
    await this.chain;
  }

  /** A structural change (add, remove, move): sent at once, after whatever was typed before it. */
  async apply(ops: EditOp[]): Promise<void> {
    await this.flush();
    await this.send(ops);
  }

  private send(ops: EditOp[]): Promise<void> {
    this.inFlight++;
    const run = async () => {
      try {
        const body = (): EditRequest => ({ baseRevision: this.state?.revision ?? 0, ops });
        try {
          this.setState(await api<EditorState>(`${this.base}/edit`, body()));
        } catch (e) {
          if (!(e instanceof ApiFailure && e.status === 409 && e.error.code === 'stale')) throw e;
          // Someone else (another tab, a reload) moved the revision: take theirs, then re-apply ours.
          this.setState(await api<EditorState>(`${this.base}/state`));
          this.setState(await api<EditorState>(`${this.base}/edit`, body()));
        }
      } catch (e) {
        this.fail(e);
      } finally {
        this.inFlight--;
        this.emit();
      }
    };
    this.chain = this.chain.then(run);
    return this.chain;
  }

  private fail(e: unknown): void {
    const text = e instanceof ApiFailure && e.error.diagnostics?.length ? `${e.message}：${e.error.diagnostics.map((d) => d.message).join('；')}` : (e as Error).message;
    this.notice = { kind: 'error', text };
    this.emit();
  }

  private setState(s: EditorState): void {
    this.state = s;
    const want = `${s.program ?? ''}|${s.category ?? ''}`;
    if (want !== this.specFor || !this.spec) {
      this.specFor = want;
      const q = new URLSearchParams();
      if (s.program) q.set('program', s.program);
      if (s.category) q.set('category', s.category);
      api<FormSpec>(`/api/form?${q}`).then(
        (spec) => {
          if (this.specFor === want) {
            this.spec = spec;
            this.emit();
          }
        },
        (e) => this.fail(e),
      );
    }
    this.emit();
  }

  private async action(path: string, body: unknown = {}): Promise<boolean> {
    this.busy = true;
    this.emit();
    try {
      await this.flush();
      this.setState(await api<EditorState>(`${this.base}/${path}`, body));
      return true;
    } catch (e) {
      if (e instanceof ApiFailure && e.error.code === 'disk-changed') {
        this.saveRefused = true;
        this.notice = { kind: 'error', text: e.message };
      } else this.fail(e);
      return false;
    } finally {
      this.busy = false;
      this.emit();
    }
  }

  async save(force = false): Promise<void> {
    const req: SaveRequest = force ? { force: true } : {};
    if (await this.action('save', req)) {
      this.saveRefused = false;
      this.notice = { kind: 'info', text: `已保存到 ${this.state?.file ?? ''}` };
      this.emit();
    }
  }

  async undo(): Promise<void> {
    if (this.state?.canUndo || this.hasPending) await this.action('undo');
  }

  async redo(): Promise<void> {
    if (this.state?.canRedo) await this.action('redo');
  }

  async reload(): Promise<void> {
    if (await this.action('reload')) {
      this.saveRefused = false;
      this.notice = { kind: 'info', text: '已从磁盘重新载入' };
      this.emit();
    }
  }

  async buildPackage(): Promise<void> {
    if (this.unsaved) {
      // The package is built from the saved file, so that it can be rebuilt from what is on disk.
      if (!confirm('材料包按已保存的文件生成。先保存当前的修改，再生成材料包吗？')) return;
      await this.save();
      if (this.unsaved) return;
    }
    this.busy = true;
    this.packageResult = undefined;
    this.emit();
    try {
      await this.flush();
      this.packageResult = await api<PackageResponse>(`${this.base}/package`, {});
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      this.emit();
    }
  }

  dismissNotice(): void {
    this.notice = undefined;
    this.emit();
  }
}
