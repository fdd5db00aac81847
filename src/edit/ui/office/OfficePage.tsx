/**
 * The office's view of a folder: every applicant with its check, the categories against their
 * quotas, and the recommended list (chosen and ordered here, judged and written by the server,
 * which refuses what `batch --select` would refuse). The page holds no rules: statuses, quotas and
 * which applicants may be recommended all come from GET /api/office.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiError, OfficeRow, OfficeState, SelectResponse } from '../../protocol.js';
import { api, ApiFailure } from '../api.js';
import { OFFICE_CSS } from './style.js';

type Sort = 'none' | 'ascending' | 'descending';

function countsText(row: OfficeRow): string {
  if (row.status === 'invalid') return `${row.errors} 处错误${row.warnings ? `，${row.warnings} 处提示` : ''}`;
  const c = row.counts!;
  return [`符合 ${c.met}`, `不符合 ${c.unmet}`, `待补充 ${c.pending}`, ...(c.review ? [`待人工确认 ${c.review}`] : [])].join(' · ');
}

function where(d: { line?: number; col?: number; label?: string }): string {
  return `${d.line ? `第 ${d.line} 行${d.col ? `第 ${d.col} 列` : ''}：` : ''}${d.label ? `${d.label}：` : ''}`;
}

const quotaKey = (program?: string, category?: string) => `${program ?? ''}/${category ?? ''}`;

/** The choice not yet saved, kept while the office looks at one applicant's editor and comes back. */
let draft: string[] | undefined;

export function OfficePage() {
  const [state, setState] = useState<OfficeState | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [selection, setSelection] = useState<string[]>([]);
  const [saved, setSaved] = useState<string[]>([]);
  const [sort, setSort] = useState<Sort>('none');
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [written, setWritten] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const load = () =>
    api<OfficeState>('/api/office').then(
      (s) => {
        setState(s);
        const known = new Set(s.rows.map((r) => r.id));
        setSelection(draft?.filter((id) => known.has(id)) ?? s.selection);
        setSaved(s.selection);
        setLoadError(undefined);
      },
      (e: Error) => setLoadError(e.message),
    );
  useEffect(() => {
    void load();
  }, []);

  const categoryOrder = useMemo(() => new Map((state?.quotas ?? []).map((q, i) => [quotaKey(q.program, q.category), i])), [state]);
  const rows = useMemo(() => {
    const list = [...(state?.rows ?? [])];
    if (sort === 'none') return list;
    const rank = (r: OfficeRow) => categoryOrder.get(quotaKey(r.program, r.category)) ?? Number.MAX_SAFE_INTEGER;
    list.sort((a, b) => (rank(a) - rank(b)) * (sort === 'ascending' ? 1 : -1) || a.file.localeCompare(b.file));
    return list;
  }, [state, sort, categoryOrder]);

  if (loadError) return <p role="alert">无法读取文件夹：{loadError}</p>;
  if (!state) return <p>正在读取文件夹中的申报数据……</p>;

  const byId = new Map(state.rows.map((r) => [r.id, r]));
  const shortCategory = new Map(state.quotas.map((q) => [quotaKey(q.program, q.category), q.shortName ?? q.name]));
  const dirty = selection.join('\n') !== saved.join('\n');

  const choose = (next: (s: string[]) => string[]) => {
    setWritten(undefined);
    setSelection((s) => (draft = next(s)));
  };
  const toggle = (id: string, on: boolean) => choose((s) => (on ? (s.includes(id) ? s : [...s, id]) : s.filter((x) => x !== id)));
  /** Up or down among the same category's chosen applicants: the order each 推荐函 lists them in. */
  const move = (id: string, step: -1 | 1) => {
    choose((s) => {
      const row = byId.get(id);
      const same = s.filter((x) => quotaKey(byId.get(x)?.program, byId.get(x)?.category) === quotaKey(row?.program, row?.category));
      const j = same.indexOf(id) + step;
      if (j < 0 || j >= same.length) return s;
      const other = same[j]!;
      return s.map((x) => (x === id ? other : x === other ? id : x));
    });
  };
  const save = async () => {
    setBusy(true);
    setRefusal(undefined);
    setWritten(undefined);
    try {
      const r = await api<SelectResponse>('/api/office/select', { selection });
      setState(r);
      setSelection(r.selection);
      setSaved(r.selection);
      setWritten(r.written);
      draft = undefined;
    } catch (e) {
      setRefusal(e instanceof ApiFailure ? e.error : { code: 'io', message: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const sortLabel = sort === 'ascending' ? '（按类别排序，点击倒序）' : sort === 'descending' ? '（按类别倒序，点击恢复文件顺序）' : '（点击按类别排序）';
  const nextSort: Record<Sort, Sort> = { none: 'ascending', ascending: 'descending', descending: 'none' };

  return (
    <main class="office">
      <style>{OFFICE_CSS}</style>
      <header>
        <h1>申报单位汇总</h1>
        <p>
          文件夹：<code>{state.folder}</code>　
          <button type="button" onClick={() => void load()}>
            重新读取
          </button>
        </p>
      </header>

      <table class="office-rows">
        <caption>文件夹中的申报单位（{state.rows.length} 个）及条件检查结果</caption>
        <thead>
          <tr>
            <th scope="col">推荐</th>
            <th scope="col">申报单位</th>
            <th scope="col">文件</th>
            <th scope="col" aria-sort={sort}>
              <button type="button" class="sort" onClick={() => setSort(nextSort[sort])}>
                申报类别<span class="sr-only">{sortLabel}</span>
                <span aria-hidden="true">{sort === 'ascending' ? ' ▲' : sort === 'descending' ? ' ▼' : ' ⇅'}</span>
              </button>
            </th>
            <th scope="col">条件检查</th>
            <th scope="col">问题</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const inputId = `choose-${r.id}`;
            const title = r.name ?? r.file;
            return (
              <tr key={r.id} data-id={r.id} class={`row-${r.status}`}>
                <td>
                  <input
                    type="checkbox"
                    id={inputId}
                    checked={selection.includes(r.id)}
                    disabled={r.selectable === false && !selection.includes(r.id)}
                    onChange={(e) => toggle(r.id, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label for={inputId}>
                    推荐<span class="sr-only">{title}</span>
                  </label>
                  {r.selectable === false && <span class="hint">（不能推荐）</span>}
                </td>
                <th scope="row">
                  <a href={`#/applicant/${encodeURIComponent(r.id)}`}>{title}</a>
                  {r.shortName && <div class="short">{r.shortName}</div>}
                  {r.unsaved && <div class="warn">编辑器中有未保存的修改，本行按已保存的文件显示</div>}
                </th>
                <td>
                  <code>{r.id}</code>
                </td>
                <td>
                  {shortCategory.get(quotaKey(r.program, r.category)) ?? '—'}
                  {r.categoryName && <div class="short">{r.categoryName}</div>}
                </td>
                <td>
                  <strong class="verdict">{r.verdict}</strong>
                  <div class="counts">{countsText(r)}</div>
                </td>
                <td>
                  <ul class="problems">
                    {(r.problems ?? []).map((p) => (
                      <li>{p}</li>
                    ))}
                    {r.diagnostics.map((d) => (
                      <li class={d.severity}>
                        {where(d)}
                        {d.message}
                      </li>
                    ))}
                    {r.status === 'invalid' && r.errors > r.diagnostics.length && <li>……共 {r.errors} 处错误，打开该单位查看全部</li>}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <section class="office-quotas" aria-labelledby="quota-heading">
        <h2 id="quota-heading">推荐名额与推荐顺序</h2>
        {state.quotas.map((q) => {
          const chosen = selection.filter((id) => quotaKey(byId.get(id)?.program, byId.get(id)?.category) === quotaKey(q.program, q.category));
          const over = q.quota !== undefined && chosen.length > q.quota;
          const headingId = `quota-${q.program}-${q.category}`;
          return (
            <section class={`quota${over ? ' over' : ''}`} data-category={q.category} aria-labelledby={headingId}>
              <h3 id={headingId}>
                {q.shortName ?? q.name}
                {q.shortName && <span class="muted">（{q.name}）</span>}
              </h3>
              <p class="quota-line">
                {q.quota === undefined ? '名额未定（按分配名额填写）' : `名额 ${q.quota}`}，已选 {chosen.length}
                {over && <span class="warn">（超出名额）</span>}
                <span class="muted">
                  申报 {q.applicants} 个，符合全部条件 {q.eligible} 个{q.selectable !== undefined && q.selectable !== q.eligible ? `，可推荐 ${q.selectable} 个` : ''}
                </span>
              </p>
              {chosen.length > 0 && (
                <ol class="order">
                  {chosen.map((id, i) => {
                    const name = byId.get(id)?.shortName ?? byId.get(id)?.name ?? id;
                    return (
                      <li>
                        <span class="name">{name}</span>
                        <button type="button" disabled={i === 0} onClick={() => move(id, -1)} aria-label={`上移 ${name}`}>
                          上移
                        </button>
                        <button type="button" disabled={i === chosen.length - 1} onClick={() => move(id, 1)} aria-label={`下移 ${name}`}>
                          下移
                        </button>
                      </li>
                    );
                  })}
                </ol>
              )}
            </section>
          );
        })}
      </section>

      <section class="office-save" aria-label="保存推荐名单">
        <p>
          推荐名单文件：<code>{state.selectFile}</code>
          {state.selectFileExists ? '' : '（尚未创建）'}
          {dirty && <span class="warn">　有未保存的更改</span>}
        </p>
        <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
          保存推荐名单
        </button>
        {refusal && (
          <div role="alert" class="refusal">
            <p>{refusal.message}</p>
            {refusal.diagnostics && refusal.diagnostics.length > 1 && (
              <ul>
                {refusal.diagnostics.map((d) => (
                  <li>{d.message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {written && (
          <p role="status" class="written">
            已保存推荐名单：<code>{written}</code>。生成推荐函草稿：<code>shenbao batch {state.folder} --select {written}</code>
          </p>
        )}
        {!refusal && state.selectDiagnostics && state.selectDiagnostics.length > 0 && (
          <div class="select-problems">
            <p>现有推荐名单的问题（shenbao batch --select 会拒绝）：</p>
            <ul>
              {state.selectDiagnostics.map((d) => (
                <li>{d.message}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </main>
  );
}
