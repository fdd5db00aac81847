/**
 * The side panel: the check (one line per condition, the 合计 line) and the problems list
 * (errors, warnings, findings). Each item is a button: clicking it or pressing Enter focuses the
 * field it is about.
 */
import type { Diagnostic } from '../../../common/diagnostics.js';
import type { CheckView } from '../../protocol.js';
import { jumpTo } from './jump.js';

export function ProblemsList(props: { diagnostics: Diagnostic[]; findings: Diagnostic[]; describe: (path: readonly (string | number)[]) => string }) {
  const where = (d: Diagnostic): string => (d.path?.length ? props.describe(d.path) : (d.label ?? ''));
  const errors = props.diagnostics.filter((d) => d.severity === 'error');
  const warnings = props.diagnostics.filter((d) => d.severity !== 'error');
  const groups: [string, string, Diagnostic[]][] = [
    ['错误', 'error', errors],
    ['警告', 'warning', warnings],
    ['核对发现', 'finding', props.findings],
  ];
  const total = errors.length + warnings.length + props.findings.length;
  return (
    <section class="panel problems" aria-labelledby="problems-title">
      <h2 id="problems-title">
        问题 <span class="count">{total === 0 ? '无' : `${errors.length} 个错误，${warnings.length + props.findings.length} 个提示`}</span>
      </h2>
      {total === 0 ? <p class="ok">没有发现问题。</p> : null}
      {groups.map(([title, cls, list]) =>
        list.length ? (
          <div key={cls}>
            <h3>{title}</h3>
            <ul class={`problem-list ${cls}`}>
              {list.map((d, i) => (
                <li key={i}>
                  <button type="button" class={`problem ${cls}`} onClick={() => d.path && jumpTo(d.path)} disabled={!d.path}>
                    {where(d) ? <strong>{where(d)}</strong> : null}
                    {d.line ? <span class="pos">第 {d.line} 行</span> : null}
                    <span class="msg">{d.message}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null,
      )}
    </section>
  );
}

export function CheckPanel(props: { check?: CheckView; stale?: boolean }) {
  const c = props.check;
  return (
    <section class={`panel check${props.stale ? ' stale' : ''}`} aria-labelledby="check-title">
      <h2 id="check-title">申报条件核验</h2>
      {!c ? (
        <p class="help">数据有错误，改正后显示核验结果。</p>
      ) : (
        <>
          {props.stale ? <p class="help">数据有错误，下面是改正前最后一次的结果。</p> : null}
          <p class={`summary ${c.eligible ? 'eligible' : 'not-eligible'}`} role="status">
            {c.summary}
          </p>
          <ul class="check-list">
            {c.items.map((it) => (
              <li key={it.id}>
                <button type="button" class="check-item" onClick={() => jumpTo(it.path)} title={it.reason}>
                  <span class={`status status-${it.status}`}>{it.statusLabel}</span>
                  <span class="clause">{it.clause}</span>
                  <span class="title">{it.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
