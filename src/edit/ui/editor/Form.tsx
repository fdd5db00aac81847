/**
 * The form, generated: a walk over the applicant JSON Schema (FormSpec.schema) alongside the data.
 * Objects become fieldsets (the schema's Chinese title as legend, its description as help), lists
 * get add / remove / move, mappings get key/value rows, and a few parts whose shape the round's
 * data explains better than the schema (conditions, report sections, indicators, plan targets) get
 * renderers of their own, still driven by FormSpec and the data, never by a hand-written field list.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { fieldId, type Path } from './controller.js';
import { useForm } from './context.js';
import { DiagList, diagnosticsAt, Field } from './Field.js';
import { ConditionsEditor } from './Conditions.js';
import { IndicatorTable, TargetsTable } from './Tables.js';
import { SectionTree } from './Sections.js';
import { deref, emptyValue, enumLabels, shapeOf, type JsonSchema } from './schema.js';

export interface NodeProps {
  path: Path;
  schema: JsonSchema;
  required?: boolean;
  inList?: boolean;
  /** Overrides the schema's title (a list item's "第 2 项"). */
  label?: string;
}

const is = (path: Path, ...want: (string | number)[]) => path.length === want.length && want.every((w, i) => path[i] === w);

/** Whether the data path is a report section list (report.summary, or any section's sections). */
function isSectionList(path: Path): boolean {
  if (is(path, 'report', 'summary')) return true;
  return path.length > 3 && path[0] === 'report' && path[1] === 'summary' && path[path.length - 1] === 'sections';
}

export function FormNode(props: NodeProps) {
  const { root } = useForm();
  const s = deref(root, props.schema);
  const path = props.path;
  if (is(path, 'conditions')) return <ConditionsEditor path={path} schema={s} />;
  if (is(path, 'indicators')) return <IndicatorTable path={path} schema={s} />;
  if (is(path, 'plan', 'targets')) return <TargetsTable path={path} schema={s} />;
  if (isSectionList(path)) return <SectionTree path={path} schema={s} />;
  const shape = shapeOf(root, s);
  const label = props.label ?? s.title ?? String(path[path.length - 1] ?? '');
  switch (shape.kind) {
    case 'object':
      return (
        <Group path={path} legend={label} help={s.description}>
          {shape.props.map(([k, sub]) => (
            <FormNode key={k} path={[...path, k]} schema={sub} required={shape.required.has(k)} />
          ))}
        </Group>
      );
    case 'list':
      return <ListEditor path={path} schema={s} label={label} />;
    case 'map':
      return <MapEditor path={path} schema={s} label={label} />;
    default: {
      // An enum's description is the list of its values with their names, which the select already shows.
      // A prose field's description speaks of YAML blocks; in a text box the rule is simply the blank line.
      const help = shape.kind === 'enum' && enumLabels(s.description).size > 0 ? undefined : shape.kind === 'prose' ? '空一行即另起一段。' : s.description;
      return <Field path={path} shape={shape} label={label} help={help} required={props.required} inList={props.inList} fallback={s.default} />;
    }
  }
}

/** A fieldset for an object or list, with the diagnostics located at the group itself (a missing required key). */
export function Group(props: { path: Path; legend: string; help?: string; children: ComponentChildren; class?: string; actions?: ComponentChildren }) {
  const { diagnostics } = useForm();
  const id = fieldId(props.path);
  const diags = diagnosticsAt(diagnostics, props.path, true);
  return (
    <fieldset id={id} class={`group ${props.class ?? ''}`} tabIndex={-1} aria-describedby={diags.length ? `${id}-diag` : undefined}>
      <legend>{props.legend}</legend>
      {props.help ? <p class="help">{props.help}</p> : null}
      <DiagList id={`${id}-diag`} diagnostics={diags} />
      {props.children}
      {props.actions}
    </fieldset>
  );
}

/** Up, down and remove for one item of a list; names the item so a screen reader says which. */
export function ItemButtons(props: { path: Path; index: number; length: number; name: string; extra?: ComponentChildren; compact?: boolean }) {
  const { ctl } = useForm();
  const { path, index: i, length } = props;
  const c = props.compact;
  return (
    <div class={`item-buttons${c ? ' compact' : ''}`}>
      <button type="button" disabled={i === 0} aria-label={`上移${props.name}`} title="上移" onClick={() => ctl.apply([{ op: 'move', path, from: i, to: i - 1 }])}>
        {c ? '↑' : '上移'}
      </button>
      <button type="button" disabled={i === length - 1} aria-label={`下移${props.name}`} title="下移" onClick={() => ctl.apply([{ op: 'move', path, from: i, to: i + 1 }])}>
        {c ? '↓' : '下移'}
      </button>
      {props.extra}
      <button type="button" class="danger" aria-label={`删除${props.name}`} title="删除" onClick={() => ctl.apply([{ op: 'delete', path: [...path, i] }])}>
        {c ? '✕' : '删除'}
      </button>
    </div>
  );
}

/** Adds an item at the end; creates the list when the data has none yet. */
export function addItem(ctl: ReturnType<typeof useForm>['ctl'], path: Path, value: unknown): Promise<void> {
  const list = ctl.valueAt(path);
  return Array.isArray(list) ? ctl.apply([{ op: 'insert', path, index: list.length, value }]) : ctl.apply([{ op: 'set', path, value: [value] }]);
}

function ListEditor(props: { path: Path; schema: JsonSchema; label: string }) {
  const { ctl, root } = useForm();
  const { path } = props;
  const item = deref(root, props.schema.items ?? { type: 'string' });
  const list = ctl.valueAt(path);
  const items = Array.isArray(list) ? list : [];
  const itemTitle = item.title && item.title !== props.label ? item.title : '项';
  return (
    <Group
      path={path}
      legend={props.label}
      help={props.schema.description}
      class="list"
      actions={
        <button type="button" class="add" onClick={() => addItem(ctl, path, emptyValue(root, item))}>
          添加{itemTitle === '项' ? '一项' : itemTitle}
        </button>
      }
    >
      <ol class="items">
        {items.map((_, i) => {
          const name = `${props.label}第 ${i + 1} 项`;
          return (
            <li key={i} class="item">
              <FormNode path={[...path, i]} schema={item} label={`${itemTitle === '项' ? props.label : itemTitle} ${i + 1}`} inList />
              <ItemButtons path={path} index={i} length={items.length} name={name} />
            </li>
          );
        })}
      </ol>
    </Group>
  );
}

/** A mapping: one row per key; a new key from the schema's list of allowed keys, or typed. */
function MapEditor(props: { path: Path; schema: JsonSchema; label: string }) {
  const { ctl, root } = useForm();
  const { path } = props;
  const shape = shapeOf(root, props.schema);
  const [newKey, setNewKey] = useState('');
  if (shape.kind !== 'map') return null;
  const obj = ctl.valueAt(path);
  const entries = obj && typeof obj === 'object' && !Array.isArray(obj) ? Object.keys(obj) : [];
  const free = shape.keys?.filter((k) => !entries.includes(k));
  const addId = `${fieldId(path)}-newkey`;
  const value = deref(root, shape.value);
  return (
    <Group
      path={path}
      legend={props.label}
      help={props.schema.description}
      class="map"
      actions={
        <div class="add-key">
          <label for={addId}>新增{value.title && value.title !== props.label ? value.title : '条目'}</label>
          {free ? (
            <select id={addId} value={newKey} onChange={(e) => setNewKey((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">（选择）</option>
              {free.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          ) : (
            <input id={addId} value={newKey} onInput={(e) => setNewKey((e.currentTarget as HTMLInputElement).value)} />
          )}
          <button
            type="button"
            class="add"
            disabled={!newKey || entries.includes(newKey)}
            onClick={() => {
              void ctl.apply([{ op: 'set', path: [...path, newKey], value: emptyValue(root, value) }]);
              setNewKey('');
            }}
          >
            添加
          </button>
        </div>
      }
    >
      {entries.map((k) => (
        <div class="map-row" key={k}>
          <FormNode path={[...path, k]} schema={value} label={k} />
          <button type="button" class="danger" aria-label={`删除 ${k}`} onClick={() => ctl.apply([{ op: 'delete', path: [...path, k] }])}>
            删除
          </button>
        </div>
      ))}
    </Group>
  );
}
