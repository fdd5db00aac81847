/**
 * The live preview: the chosen material's PDF from the native engine, for the current unsaved
 * data, fetched again once typing has paused and the revision moved on. The PDF is fetched by the
 * page (so a refusal shows its Chinese message instead of a broken frame) and shown from a blob.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, EditorState, PreviewLocation } from '../../protocol.js';
import { api, token, withToken } from '../api.js';
import { TOKEN_HEADER } from '../../protocol.js';
import type { EditorController } from './controller.js';

/**
 * After the server has answered every edit, this long before the PDF is asked for. The pause in
 * typing is already the edits' debounce; this only lets a burst of structural changes settle.
 */
const PREVIEW_PAUSE_MS = 100;

export function Preview(props: { ctl: EditorController; state: EditorState }) {
  const { ctl, state } = props;
  const [material, setMaterial] = useState<string>('');
  const [shown, setShown] = useState<{ key: string; url: string; src: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  // Invalid data has no materials list: the picker keeps the last one rather than going blank.
  const known = useRef(state.materials);
  if (state.materials.length) known.current = state.materials;
  const materials = known.current;
  const current = materials.some((m) => m.id === material) ? material : (materials[0]?.id ?? '');
  const pending = ctl.hasPending;
  const key = `${current}@${state.revision}`;
  // Data with errors cannot be rendered: the last good preview stays until they are fixed.
  const blocked = state.diagnostics.some((d) => d.severity === 'error');

  useEffect(() => {
    if (!current || pending || blocked || shown?.key === key) return;
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      const base = `/api/applicants/${encodeURIComponent(state.id)}/preview/${encodeURIComponent(current)}`;
      const src = withToken(`${base}.pdf?revision=${state.revision}`);
      setLoading(true);
      try {
        const res = await fetch(src, { headers: { [TOKEN_HEADER]: token } });
        if (!res.ok) {
          const body = (await res.json().catch(() => ({ message: `预览失败（HTTP ${res.status}）` }))) as ApiError;
          throw new Error([body.message, ...(body.diagnostics ?? []).slice(0, 3).map((d) => d.message)].join('：'));
        }
        const blob = await res.blob();
        let page: number | undefined;
        if (ctl.lastPath) {
          page = await api<PreviewLocation>(`${base}/locate?path=${encodeURIComponent(JSON.stringify(ctl.lastPath))}`).then(
            (l) => l.page,
            () => undefined,
          );
        }
        if (n !== seq.current) return;
        const url = URL.createObjectURL(blob) + (page ? `#page=${page}` : '');
        setShown((old) => {
          if (old) URL.revokeObjectURL(old.url.replace(/#.*$/, ''));
          return { key, url, src };
        });
        setError(undefined);
      } catch (e) {
        if (n === seq.current) setError((e as Error).message);
      } finally {
        if (n === seq.current) setLoading(false);
      }
    }, PREVIEW_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      // The data moved on: an answer still on its way is for a revision no longer shown.
      if (seq.current === n) seq.current++;
      setLoading(false);
    };
  }, [key, pending, blocked]);

  return (
    <section class="panel preview" aria-labelledby="preview-title">
      <div class="preview-head">
        <h2 id="preview-title">预览</h2>
        <label for="preview-material">材料</label>
        <select id="preview-material" value={current} onChange={(e) => setMaterial((e.currentTarget as HTMLSelectElement).value)}>
          {materials.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
        <span class="preview-status" role="status">
          {loading || pending ? '正在更新……' : blocked ? '数据有错误，改正后更新' : shown ? '已是最新' : ''}
        </span>
      </div>
      {error ? (
        <p class="preview-error" role="alert">
          {error}
        </p>
      ) : null}
      {shown ? (
        <iframe id="preview-frame" title="材料预览（PDF）" src={shown.url} data-src={shown.src} data-revision={shown.key.split('@')[1]} data-material={shown.key.split('@')[0]} />
      ) : (
        <p class="help">{blocked || !materials.length ? '改正数据中的错误后即可预览材料。' : '正在生成预览……'}</p>
      )}
    </section>
  );
}
