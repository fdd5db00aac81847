/**
 * The report's sections as a tree: each section's title and paragraphs, its subsections below it,
 * and buttons to add a child or a sibling, remove and reorder. The numbering (一、（一）1.) is the
 * documents' business; the tree only shows the level.
 */
import type { Path } from './controller.js';
import { useForm } from './context.js';
import { addItem, FormNode, Group, ItemButtons } from './Form.js';
import { deref, emptyValue, shapeOf, type JsonSchema } from './schema.js';
import { HEADING_LEVELS, SUMMARY_FIRST_LEVEL } from '../../../common/format.js';
import { chineseNumeral, headingNumber } from '../../../model/format.js';

/**
 * The tree holds the report's 工作总结, which sits under the report's own 一、 part: its
 * sections are the document's second level (（一）), then 1. and （1）. Named and numbered as
 * the document numbers them (the model's own numbering), and no deeper than it numbers
 * (validate refuses more, schema/rules.ts).
 */

function level(path: Path): number {
  return path.filter((p) => p === 'sections').length;
}

export function SectionTree(props: { path: Path; schema: JsonSchema }) {
  const { ctl, root } = useForm();
  const { path } = props;
  const item = deref(root, props.schema.items ?? {});
  const list = ctl.valueAt(path);
  const items = Array.isArray(list) ? list : [];
  const depth = level(path);
  const headingLevel = SUMMARY_FIRST_LEVEL + depth;
  const levelName = `${chineseNumeral(headingLevel)}级标题`;
  const deepest = headingLevel >= HEADING_LEVELS;
  const blank = () => {
    const v = emptyValue(root, item) as Record<string, unknown>;
    v.paragraphs = '';
    return v;
  };
  const shape = shapeOf(root, item);
  const props_ = shape.kind === 'object' ? shape.props.filter(([k]) => k !== 'sections') : [];
  const sub = shape.kind === 'object' ? shape.props.find(([k]) => k === 'sections')?.[1] : undefined;
  return (
    <Group
      path={path}
      legend={props.schema.title ?? '章节'}
      help={props.schema.description}
      class={`sections depth-${depth}`}
      actions={
        <button type="button" class="add" onClick={() => addItem(ctl, path, blank())}>
          添加{levelName}
        </button>
      }
    >
      <ol class="tree">
        {items.map((sec, i) => {
          const secPath = [...path, i];
          const title = typeof (sec as { title?: unknown })?.title === 'string' ? (sec as { title: string }).title : '';
          const name = `${levelName}“${title || `第 ${i + 1} 节`}”`;
          const children = (sec as { sections?: unknown })?.sections;
          return (
            <li key={i} class="section">
              <div class="section-head">
                <span class="level">
                  {levelName} {headingNumber(headingLevel, i + 1)}
                </span>
                <ItemButtons
                  path={path}
                  index={i}
                  length={items.length}
                  name={name}
                  extra={
                    <>
                      <button type="button" aria-label={`在${name}之后添加同级标题`} onClick={() => ctl.apply([{ op: 'insert', path, index: i + 1, value: blank() }])}>
                        添加同级
                      </button>
                      {deepest ? null : (
                        <button type="button" aria-label={`在${name}下添加下级标题`} onClick={() => addItem(ctl, [...secPath, 'sections'], blank())}>
                          添加下级
                        </button>
                      )}
                    </>
                  }
                />
              </div>
              {props_.map(([k, s]) => (
                <FormNode key={k} path={[...secPath, k]} schema={s} required={shape.kind === 'object' && shape.required.has(k)} />
              ))}
              {sub && Array.isArray(children) && children.length > 0 ? <SectionTree path={[...secPath, 'sections']} schema={deref(root, sub)} /> : null}
            </li>
          );
        })}
      </ol>
    </Group>
  );
}
