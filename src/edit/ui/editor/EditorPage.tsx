/**
 * One applicant's workspace: the toolbar (save, undo, redo, package), the generated form, the
 * preview, and the side panel with the check and the problems. Everything shown comes from the
 * server's EditorState and FormSpec; the page holds no rules of its own.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CheckView } from '../../protocol.js';
import { FormCtx, type FormContext } from './context.js';
import { EditorController } from './controller.js';
import { FormNode } from './Form.js';
import { CheckPanel, ProblemsList } from './Panels.js';
import { Preview } from './Preview.js';
import { describePath, type JsonSchema } from './schema.js';

function useController(id: string): EditorController {
  const ctl = useMemo(() => new EditorController(id), [id]);
  const [, tick] = useState(0);
  useEffect(() => {
    const off = ctl.subscribe(() => tick((n) => n + 1));
    void ctl.load();
    return off;
  }, [ctl]);
  return ctl;
}

function isTextEntry(el: Element | null): boolean {
  return !!el && (el.matches('textarea, select, [contenteditable]') || (el.matches('input') && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type)));
}

export function EditorPage(props: { id: string }) {
  const ctl = useController(props.id);
  const { state, spec } = ctl;
  // While an edit leaves the data invalid the check cannot run; the panel keeps the last one, marked.
  const lastCheck = useRef<CheckView | undefined>(undefined);
  if (state?.check) lastCheck.current = state.check;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        void ctl.save();
      } else if ((k === 'z' || k === 'y') && !isTextEntry(document.activeElement)) {
        // In a text box Ctrl+Z is the box's own undo; elsewhere it is the session's.
        e.preventDefault();
        if (k === 'y' || e.shiftKey) void ctl.redo();
        else void ctl.undo();
      }
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      if (ctl.unsaved) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    // Back from WPS or another editor: the file may have changed there.
    const onFocus = () => void ctl.refresh();
    addEventListener('keydown', onKey);
    addEventListener('beforeunload', onUnload);
    addEventListener('focus', onFocus);
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('beforeunload', onUnload);
      removeEventListener('focus', onFocus);
    };
  }, [ctl]);

  if (ctl.loadError) return <p role="alert" class="load-error">{ctl.loadError}</p>;
  if (!state || !spec) return <p class="loading">正在加载……</p>;

  const root = spec.schema as JsonSchema;
  const ctx: FormContext = { ctl, state, spec, root, diagnostics: [...state.diagnostics, ...(state.check?.findings ?? [])] };
  const top = Object.entries(root.properties ?? {});
  const name = (state.data as { applicant?: { name?: string } } | undefined)?.applicant?.name;
  const unsaved = ctl.unsaved;
  // A file YAML cannot parse has no data to put in a form; the problems list says where it breaks.
  const unreadable = state.data === null || typeof state.data !== 'object' || Array.isArray(state.data);
  return (
    <FormCtx.Provider value={ctx}>
      <div class="editor">
        <header class="toolbar">
          <div class="title">
            <h1>{name ?? '申报数据'}</h1>
            <span class="file" title={state.file}>
              {state.file}
            </span>
            {unsaved ? (
              <span class="unsaved" id="unsaved-marker" role="status">
                ● 有未保存的修改
              </span>
            ) : (
              <span class="saved" role="status">
                已保存
              </span>
            )}
          </div>
          <div class="actions">
            <button type="button" onClick={() => ctl.undo()} disabled={ctl.busy || !(state.canUndo || ctl.hasPending)} title="Ctrl+Z（在输入框外）">
              撤销
            </button>
            <button type="button" onClick={() => ctl.redo()} disabled={ctl.busy || !state.canRedo} title="Ctrl+Shift+Z（在输入框外）">
              重做
            </button>
            <button type="button" class="primary" onClick={() => ctl.save()} disabled={ctl.busy} title="Ctrl+S">
              保存
            </button>
            <button type="button" onClick={() => ctl.buildPackage()} disabled={ctl.busy}>
              生成完整申报材料
            </button>
          </div>
        </header>
        {state.diskChanged || ctl.saveRefused ? (
          <div class="banner warn" role="alert">
            <span>文件 {state.file} 已在编辑器之外被修改。重新载入会放弃这里未保存的修改；仍然保存会覆盖磁盘上的修改。</span>
            <button type="button" onClick={() => ctl.reload()}>
              重新载入
            </button>
            <button type="button" class="danger" onClick={() => ctl.save(true)}>
              仍然保存
            </button>
          </div>
        ) : null}
        {ctl.notice ? (
          <div class={`banner ${ctl.notice.kind}`} role={ctl.notice.kind === 'error' ? 'alert' : 'status'}>
            <span>{ctl.notice.text}</span>
            <button type="button" aria-label="关闭提示" onClick={() => ctl.dismissNotice()}>
              ×
            </button>
          </div>
        ) : null}
        {ctl.packageResult ? <PackageResult result={ctl.packageResult} onClose={() => ((ctl.packageResult = undefined), ctl.dismissNotice())} /> : null}
        <main class="workspace">
          <form class="form" onSubmit={(e) => e.preventDefault()} aria-label="申报数据">
            <nav class="toc" aria-label="目录">
              {top.map(([k, s]) => (
                <a key={k} href={`#field-${k}`} onClick={(e) => (e.preventDefault(), document.getElementById(`field-${k}`)?.scrollIntoView())}>
                  {s.title ?? k}
                </a>
              ))}
            </nav>
            {unreadable ? (
              <p class="banner error" role="alert">
                文件 {state.file} 有 YAML 语法错误，表单无法显示。请按右侧的问题列表在文本编辑器中改正后点“重新载入”。
                <button type="button" onClick={() => ctl.reload()}>
                  重新载入
                </button>
              </p>
            ) : (
              top.map(([k, s]) => <FormNode key={k} path={[k]} schema={s} required={root.required?.includes(k)} />)
            )}
          </form>
          <Preview ctl={ctl} state={state} />
          <aside class="side">
            <CheckPanel check={state.check ?? lastCheck.current} stale={!state.check && !!lastCheck.current} />
            <ProblemsList
              diagnostics={state.diagnostics}
              findings={state.check?.findings ?? []}
              describe={(p) => describePath(root, p, (k) => spec.category?.conditions.find((c) => c.id === k)?.title ?? (/^\d{4}$/.test(k) ? `${k}年` : spec.indicators.find((i) => i.id === k)?.name))}
            />
          </aside>
        </main>
      </div>
    </FormCtx.Provider>
  );
}

function PackageResult(props: { result: import('../../protocol.js').PackageResponse; onClose: () => void }) {
  const r = props.result;
  return (
    <div class="banner info package" role="status">
      <div>
        <p>
          申报材料已生成：<code>{r.folder}</code>（压缩包 <code>{r.zip}</code>）
        </p>
        <ul class="package-files">
          {r.files.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
        {r.diagnostics.length ? (
          <ul class="diags">
            {r.diagnostics.map((d, i) => (
              <li key={i} class={d.severity}>
                {d.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <button type="button" aria-label="关闭" onClick={props.onClose}>
        ×
      </button>
    </div>
  );
}
