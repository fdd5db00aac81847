/**
 * One input tied to one data path: its label, help, the diagnostics located at it (under the
 * input, linked by aria-describedby), and the edit it sends. Every leaf of the form is one of these.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Diagnostic } from '../../../common/diagnostics.js';
import { fieldId, getIn, pathKey, type Path } from './controller.js';
import { useForm } from './context.js';
import { proseText, proseValue } from './prose.js';
import type { Shape } from './schema.js';

/** Diagnostics at this path or under it (a prose field's paragraph, a list item inside a leaf). */
export function diagnosticsAt(all: Diagnostic[], path: Path, exact = false): Diagnostic[] {
  const key = pathKey(path);
  return all.filter((d) => {
    if (!d.path) return false;
    const k = pathKey(d.path);
    return exact ? k === key : k === key || k.startsWith(`${key}.`);
  });
}

export function DiagList(props: { id: string; diagnostics: Diagnostic[] }) {
  if (props.diagnostics.length === 0) return null;
  return (
    <ul class="diags" id={props.id}>
      {props.diagnostics.map((d, i) => (
        <li key={i} class={d.severity}>
          {d.severity === 'warning' ? '提示：' : ''}
          {d.message}
          {d.received !== undefined ? `（实际为 ${d.received}）` : ''}
        </li>
      ))}
    </ul>
  );
}

export interface FieldProps {
  path: Path;
  shape: Shape;
  label: string;
  help?: string;
  required?: boolean;
  /** A list item: clearing it keeps an empty item rather than removing the key. */
  inList?: boolean;
  /** Placeholder (a plan target's baseline from the last reporting year). */
  placeholder?: string;
  /** The schema's default: what an absent value means (a condition's 是否符合 defaults to true). */
  fallback?: unknown;
  compact?: boolean;
  children?: ComponentChildren;
}

export function Field(props: FieldProps) {
  const { ctl, diagnostics } = useForm();
  const { path, shape } = props;
  const id = fieldId(path);
  const diags = diagnosticsAt(diagnostics, path);
  const helpId = props.help ? `${id}-help` : undefined;
  const diagId = diags.length ? `${id}-diag` : undefined;
  const describedBy = [helpId, diagId].filter(Boolean).join(' ') || undefined;
  const invalid = diags.some((d) => d.severity === 'error');
  const value = ctl.valueAt(path);
  const cleared = props.inList ? '' : undefined;
  // While the field has focus it shows exactly what was typed (a half-typed number, a blank line
  // about to start a paragraph); the data's form of it is what is sent.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const common = {
    id,
    onBlur: () => setDraft(undefined),
    'aria-describedby': describedBy,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-label': props.compact ? props.label : undefined,
  };
  let input;
  switch (shape.kind) {
    case 'prose': {
      const text = draft ?? proseText(value);
      input = (
        <textarea
          {...common}
          class="prose"
          rows={Math.min(16, Math.max(3, Math.ceil(text.length / 48) + (text.match(/\n/g)?.length ?? 0)))}
          value={text}
          onInput={(e) => {
            const t = (e.currentTarget as HTMLTextAreaElement).value;
            setDraft(t);
            ctl.setField(path, proseValue(t, getIn(ctl.state?.data, path)));
          }}
        />
      );
      break;
    }
    case 'number':
      input = (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          step={shape.integer ? 1 : 'any'}
          placeholder={props.placeholder ?? (typeof props.fallback === 'number' ? String(props.fallback) : undefined)}
          value={draft ?? (typeof value === 'number' || typeof value === 'string' ? String(value) : '')}
          onInput={(e) => {
            const raw = (e.currentTarget as HTMLInputElement).value;
            setDraft(raw);
            const n = Number(raw);
            // A half-typed number ("1e", "-") stays in the box unsent; the server sees only numbers.
            if (raw === '') ctl.setField(path, cleared);
            else if (Number.isFinite(n)) ctl.setField(path, n);
          }}
        />
      );
      break;
    case 'boolean':
      input = <input {...common} type="checkbox" checked={value === undefined ? props.fallback === true : value === true} onChange={(e) => ctl.setField(path, (e.currentTarget as HTMLInputElement).checked)} />;
      break;
    case 'enum': {
      const known = shape.options.some((o) => o.value === value);
      input = (
        <select {...common} value={typeof value === 'string' ? value : typeof props.fallback === 'string' ? props.fallback : ''} onChange={(e) => ctl.setField(path, (e.currentTarget as HTMLSelectElement).value || cleared)}>
          {!props.required || value === undefined ? <option value="">（未填写）</option> : null}
          {!known && typeof value === 'string' && value ? <option value={value}>{value}</option> : null}
          {shape.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    default:
      input = (
        <input
          {...common}
          type="text"
          placeholder={props.placeholder ?? (typeof props.fallback === 'string' ? props.fallback : undefined)}
          value={draft ?? (value === undefined || value === null ? '' : String(value))}
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            setDraft(v);
            ctl.setField(path, v === '' ? cleared : v);
          }}
        />
      );
  }
  if (props.compact) {
    return (
      <div class={`cell${invalid ? ' invalid' : ''}`}>
        {input}
        <DiagList id={diagId ?? ''} diagnostics={diags} />
      </div>
    );
  }
  return (
    <div class={`field field-${shape.kind}${invalid ? ' invalid' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required ? <span class="req" aria-hidden="true"> *</span> : null}
      </label>
      {input}
      {props.help ? (
        <p class="help" id={helpId}>
          {props.help}
        </p>
      ) : null}
      <DiagList id={diagId ?? ''} diagnostics={diags} />
      {props.children}
    </div>
  );
}
