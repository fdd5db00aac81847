/**
 * The category's conditions, from the round's data (FormSpec.category): each with its clause,
 * statement and the evidence the notice asks for, its result in the check, and the applicant's own
 * entry (self-assessment, statement, evidence list) drawn by the generic form from the schema.
 */
import type { Path } from './controller.js';
import { fieldId } from './controller.js';
import { useForm } from './context.js';
import { DiagList, diagnosticsAt } from './Field.js';
import { FormNode, Group } from './Form.js';
import { deref, emptyValue, type JsonSchema } from './schema.js';

export function ConditionsEditor(props: { path: Path; schema: JsonSchema }) {
  const { ctl, spec, state, root, diagnostics } = useForm();
  const { path } = props;
  const entrySchema = deref(root, typeof props.schema.additionalProperties === 'object' ? props.schema.additionalProperties : {});
  const data = ctl.valueAt(path);
  const entries = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const conditions = spec.category?.conditions ?? [];
  const others = Object.keys(entries).filter((k) => !conditions.some((c) => c.id === k));
  return (
    <Group path={path} legend={props.schema.title ?? '申报条件'} help={spec.category ? `${spec.category.name}的申报条件（${spec.program?.name ?? ''}）` : props.schema.description} class="conditions">
      {conditions.map((c) => {
        const cpath = [...path, c.id];
        const item = state.check?.items.find((i) => i.id === c.id);
        const has = c.id in entries;
        return (
          <section key={c.id} class="condition" id={has ? `${fieldId(cpath)}-card` : fieldId(cpath)} tabIndex={-1} aria-labelledby={`${fieldId(cpath)}-title`}>
            <h4 id={`${fieldId(cpath)}-title`}>
              <span class="clause">{c.clause}</span> {c.title}
              {item ? <span class={`status status-${item.status}`}>{item.statusLabel}</span> : null}
            </h4>
            <p class="cond-text">{c.text}</p>
            {item?.reason ? <p class="cond-reason">核验：{item.reason}</p> : null}
            {c.evidence.length ? (
              <div class="cond-evidence">
                应提供的证明材料：
                <ul>
                  {c.evidence.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {has ? (
              <>
                <FormNode path={cpath} schema={entrySchema} label="本单位的说明与证明材料" />
                <button type="button" class="danger" onClick={() => ctl.apply([{ op: 'delete', path: cpath }])}>
                  删除本条说明
                </button>
              </>
            ) : c.check === 'declared' || c.evidence.length ? (
              <>
                <DiagList id={`${fieldId(cpath)}-diag`} diagnostics={diagnosticsAt(diagnostics, cpath)} />
                <button type="button" class="add" onClick={() => ctl.apply([{ op: 'set', path: cpath, value: emptyValue(root, entrySchema) }])}>
                  填写本条说明
                </button>
              </>
            ) : (
              <p class="help">本条由工具根据申报数据自动核验，无需填写说明。</p>
            )}
          </section>
        );
      })}
      {others.map((k) => (
        <div key={k} class="condition other">
          <FormNode path={[...path, k]} schema={entrySchema} label={`条件 ${k}（不属于本类别）`} />
          <button type="button" class="danger" onClick={() => ctl.apply([{ op: 'delete', path: [...path, k] }])}>
            删除
          </button>
        </div>
      ))}
    </Group>
  );
}
