/**
 * The two tables of figures: the indicators as year × indicator (typed figures editable, derived
 * ones as the documents print them, read-only), and the plan's targets beside their baseline.
 * Rows and columns come from FormSpec (the round's indicator catalogue) and the data's years.
 */
import { useState } from 'preact/hooks';
import { planBaseYear } from '../../../program/years.js';
import { fieldId, getIn, type Path } from './controller.js';
import { useForm } from './context.js';
import { DiagList, Field } from './Field.js';
import { Group, ItemButtons, addItem } from './Form.js';
import type { JsonSchema } from './schema.js';

function keysOf(v: unknown): string[] {
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

const NUMBER = { kind: 'number', integer: false } as const;

/** The years of the indicator table: the round's reporting years and any the data adds. */
export function reportingYears(spec: { years: number[] }, data: unknown): string[] {
  return [...new Set([...spec.years.map(String), ...keysOf(getIn(data, ['indicators']))])].sort();
}

export function IndicatorTable(props: { path: Path; schema: JsonSchema }) {
  const { ctl, spec, state, diagnostics } = useForm();
  const { path } = props;
  const years = reportingYears(spec, ctl.state?.data);
  const [newYear, setNewYear] = useState('');
  const addId = `${fieldId(path)}-newyear`;
  const unplaced = diagnostics.filter((d) => d.path && d.path[0] === 'indicators' && (d.path.length < 3 || !spec.indicators.some((i) => i.id === d.path![2])));
  return (
    <Group path={path} legend={props.schema.title ?? '指标'} help="派生指标（比例、增长率等）由工具计算，灰色显示，不能填写。" class="indicators">
      <DiagList id={`${fieldId(path)}-other`} diagnostics={unplaced.filter((d) => d.path!.length > 1)} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">指标</th>
              {years.map((y) => (
                <th scope="col" key={y} id={fieldId([...path, y])} tabIndex={-1}>
                  {y}年
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.indicators.map((ind) => (
              <tr key={ind.id} class={ind.derived ? 'derived' : ''}>
                <th scope="row" title={ind.description}>
                  {ind.name}
                  {ind.unit ? <span class="unit">（{ind.unit}）</span> : null}
                </th>
                {years.map((y) =>
                  ind.derived ? (
                    <td key={y}>
                      <output id={fieldId([...path, y, ind.id])} aria-label={`${y}年 ${ind.name}（计算值）`}>
                        {state.derived[y]?.[ind.id] ?? '—'}
                      </output>
                    </td>
                  ) : (
                    <td key={y}>
                      <Field path={[...path, y, ind.id]} shape={NUMBER} label={`${y}年 ${ind.name}`} compact />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="add-key">
        <label for={addId}>新增年份</label>
        <input id={addId} inputMode="numeric" size={6} value={newYear} onInput={(e) => setNewYear((e.currentTarget as HTMLInputElement).value.trim())} />
        <button
          type="button"
          class="add"
          disabled={!/^\d{4}$/.test(newYear) || years.includes(newYear)}
          onClick={() => {
            void ctl.apply([{ op: 'set', path: [...path, newYear], value: {} }]);
            setNewYear('');
          }}
        >
          添加
        </button>
      </div>
    </Group>
  );
}

interface Target {
  indicator?: string;
  baseline?: number;
  values?: Record<string, number>;
}

export function TargetsTable(props: { path: Path; schema: JsonSchema }) {
  const { ctl, spec, state } = useForm();
  const { path } = props;
  const list = ctl.valueAt(path);
  const targets = (Array.isArray(list) ? list : []) as Target[];
  const period = getIn(state.data, ['plan', 'period']) as { start?: number; end?: number } | undefined;
  const yearSet = new Set<string>();
  if (period && typeof period.start === 'number' && typeof period.end === 'number' && period.end >= period.start && period.end - period.start < 10) {
    for (let y = period.start; y <= period.end; y++) yearSet.add(String(y));
  }
  for (const t of targets) for (const y of keysOf(t?.values)) yearSet.add(y);
  const years = [...yearSet].sort();
  // The year an omitted baseline is taken from, by the rule the document, validate and check
  // use; the last reporting year until the period is filled in.
  const baseYear = typeof period?.start === 'number' ? String(planBaseYear(period.start)) : reportingYears(spec, state.data).at(-1);
  const baseOf = (ind: string | undefined): string | undefined => {
    if (!ind || !baseYear) return undefined;
    const typed = getIn(state.data, ['indicators', baseYear, ind]);
    if (typeof typed === 'number') return String(typed);
    return state.derived[baseYear]?.[ind];
  };
  const nameOf = (id: string | undefined) => spec.indicators.find((i) => i.id === id)?.name ?? id ?? '';
  const indicatorShape = { kind: 'enum', options: spec.indicators.map((i) => ({ value: i.id, label: `${i.name}${i.unit ? `（${i.unit}）` : ''}` })) } as const;
  return (
    <Group
      path={path}
      legend={props.schema.title ?? '量化目标'}
      help={`基期值省略时取${baseYear ?? '方案起始年前一'}年的指标值（灰色提示）。`}
      class="targets"
      actions={
        <button type="button" class="add" onClick={() => addItem(ctl, path, { indicator: '', values: {} })}>
          添加量化目标
        </button>
      }
    >
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col">基期值{baseYear ? `（${baseYear}年）` : ''}</th>
              {years.map((y) => (
                <th scope="col" key={y}>
                  {y}年目标
                </th>
              ))}
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((t, i) => {
              const row = [...path, i];
              const name = nameOf(t?.indicator);
              return (
                <tr key={i} id={fieldId(row)} tabIndex={-1}>
                  <td class="ind">
                    <Field path={[...row, 'indicator']} shape={indicatorShape} label={`第 ${i + 1} 项目标的指标`} required compact />
                  </td>
                  <td>
                    <Field path={[...row, 'baseline']} shape={NUMBER} label={`${name}基期值`} placeholder={baseOf(t?.indicator)} compact />
                  </td>
                  {years.map((y) => (
                    <td key={y}>
                      <Field path={[...row, 'values', y]} shape={NUMBER} label={`${name} ${y}年目标值`} compact />
                    </td>
                  ))}
                  <td>
                    <ItemButtons path={path} index={i} length={targets.length} name={`量化目标“${name}”`} compact />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Group>
  );
}
