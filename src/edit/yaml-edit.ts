/**
 * The form's edits applied to the user's YAML text. The user's file is theirs: comments, key
 * order, aligned `# 注释` columns, blank lines and `|` blocks are kept byte for byte outside the
 * values that change. So each edit is a splice of the text at the node's range (the yaml
 * library's Document gives the ranges), and the result is parsed again and compared with the same
 * edit made on the Document: only if they agree is the splice kept. Where a splice is not
 * possible (a flow collection, a value that is not there yet under a scalar) the Document itself
 * is written (comments and order are kept, the alignment of comments is not). A whole mapping
 * or list set at once is first broken into the edits of what differs in it.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditOp } from './protocol.js';

/** Parsed as the loader parses (src/load/yaml.ts), so a value means here what it means there. */
export function parseForEdit(text: string): Document.Parsed {
  return parseDocument(text, { schema: 'core', version: '1.2', uniqueKeys: true, customTags: [] });
}

export class EditRefused extends Error {}

type Seg = string | number;

/** A step on the way to a node: the collection and, for a map, the pair. */
interface Found {
  node: Node | null;
  /** The path with each segment as the document spells it (2021 as a number key, "2021" as a string). */
  actual: unknown[];
}

/** Walks the path matching keys by their text: the form says "2021" where the file has the number key 2021. */
function find(doc: Document, path: readonly Seg[]): Found | undefined {
  let node = doc.contents as Node | null;
  const actual: unknown[] = [];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return undefined;
      actual.push(isScalar(pair.key) ? pair.key.value : pair.key);
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const i = Number(seg);
      if (!Number.isInteger(i) || i < 0 || i >= node.items.length) return undefined;
      actual.push(i);
      node = node.items[i] as Node | null;
    } else return undefined;
  }
  return { node, actual };
}

/** The longest prefix of `path` that exists, and the node there. */
function deepestExisting(doc: Document, path: readonly Seg[]): { depth: number; node: Node | null; actual: unknown[] } {
  for (let n = path.length; n >= 0; n--) {
    const f = find(doc, path.slice(0, n));
    if (f) return { depth: n, node: f.node, actual: f.actual };
  }
  return { depth: 0, node: doc.contents as Node | null, actual: [] };
}

/** A plain JS value as nodes, multi-line strings as `|` blocks (as the user's own prose is written). */
function createNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value) as Node;
  visit(node, {
    Scalar(_, s) {
      if (typeof s.value === 'string' && s.value.includes('\n')) {
        s.type = Scalar.BLOCK_LITERAL;
        if (!s.value.endsWith('\n')) s.value += '\n';
      }
    },
  });
  return node;
}

/** A new string keeps the style of the one it replaces; a block stays a block with its chomping. */
function styledString(old: Scalar, value: string): { value: string; type: Scalar.Type | undefined } {
  const block = old.type === Scalar.BLOCK_LITERAL || old.type === Scalar.BLOCK_FOLDED;
  if (block) {
    const oldEndsNl = typeof old.value === 'string' && old.value.endsWith('\n');
    return { value: oldEndsNl && !value.endsWith('\n') ? `${value}\n` : value, type: old.type };
  }
  if (value.includes('\n')) return { value: value.endsWith('\n') ? value : `${value}\n`, type: Scalar.BLOCK_LITERAL };
  return { value, type: old.type };
}

const isScalarValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The edit made on the Document (the reference the splice is checked against, and the fallback). */
function applyToDocument(doc: Document, op: EditOp): void {
  if (op.op === 'set') {
    const f = find(doc, op.path);
    if (f && isScalar(f.node) && isScalarValue(op.value)) {
      if (typeof op.value === 'string') {
        const s = styledString(f.node, op.value);
        f.node.value = s.value;
        f.node.type = s.type;
      } else {
        f.node.value = op.value;
        if (f.node.type !== Scalar.PLAIN) f.node.type = Scalar.PLAIN;
      }
      return;
    }
    if (f) {
      doc.setIn(f.actual, createNode(doc, op.value));
      return;
    }
    const d = deepestExisting(doc, op.path);
    if (d.node !== null && !isMap(d.node) && !(d.depth === 0 && d.node === null)) {
      throw new EditRefused(`不能在 ${op.path.slice(0, d.depth).join('.') || '（根）'} 下添加字段：它不是“字段: 值”的映射`);
    }
    const rest = op.path.slice(d.depth);
    let value: unknown = op.value;
    for (let i = rest.length - 1; i >= 1; i--) value = { [String(rest[i])]: value };
    const key = keyFor(d.node, rest[0]!);
    if (d.node === null || d.node === undefined) {
      if (d.depth === 0) doc.contents = createNode(doc, { [String(key)]: value }) as never;
      else doc.setIn(d.actual, createNode(doc, { [String(key)]: value }));
    } else (d.node as YAMLMap).set(key, createNode(doc, value));
    return;
  }
  if (op.op === 'delete') {
    const f = find(doc, op.path);
    if (!f) return;
    doc.deleteIn(f.actual);
    return;
  }
  const f = find(doc, op.path);
  if (op.op === 'insert') {
    if (!f || f.node === null) {
      // A list that is not there yet: the item becomes its first.
      applyToDocument(doc, { op: 'set', path: op.path, value: [op.value] });
      return;
    }
    if (!isSeq(f.node)) throw new EditRefused(`${op.path.join('.')} 不是列表，不能插入`);
    const index = Math.max(0, Math.min(op.index, f.node.items.length));
    f.node.items.splice(index, 0, createNode(doc, op.value));
    return;
  }
  if (!f || !isSeq(f.node)) throw new EditRefused(`${op.path.join('.')} 不是列表，不能调整顺序`);
  const items = f.node.items;
  if (!(op.from >= 0 && op.from < items.length && op.to >= 0 && op.to < items.length)) throw new EditRefused('调整顺序的位置超出列表范围');
  const [moved] = items.splice(op.from, 1);
  items.splice(op.to, 0, moved);
}

/** "2024" under a map whose year keys are numbers is written as the number 2024 too. */
function keyFor(map: Node | null, seg: Seg): unknown {
  if (typeof seg === 'string' && /^\d+$/.test(seg) && isMap(map) && map.items.some((p) => isScalar(p.key) && typeof p.key.value === 'number')) return Number(seg);
  return seg;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
};

/** `value` written at `indent` spaces as YAML lines (each ending in a newline). */
function yamlLines(doc: Document, value: unknown, indent: number): string {
  const d = new Document(null, { version: '1.2' });
  d.schema = doc.schema;
  d.contents = createNode(d, value) as never;
  const out = d.toString({ lineWidth: 0, indentSeq: true });
  const pad = ' '.repeat(indent);
  return out
    .split('\n')
    .map((l, i, a) => (i === a.length - 1 ? l : l ? pad + l : l))
    .join('\n');
}

/** The splice for one op, or undefined where the text cannot be patched in place. */
function splice(text: string, doc: Document.Parsed, op: EditOp): string | undefined {
  if (op.op === 'set') {
    const f = find(doc, op.path);
    if (f && isScalar(f.node) && isScalarValue(op.value) && f.node.range) return setScalar(text, doc, f.node, op.value as string | number | boolean | null, op.path);
    if (f) return undefined;
    const d = deepestExisting(doc, op.path);
    if (isMap(d.node) && d.node.flow && !d.node.items.length) {
      // `2024: {}` (a year just added) gets its first figure as a block, like the other years.
      const rest = op.path.slice(d.depth);
      let value: unknown = op.value;
      for (let i = rest.length - 1; i >= 1; i--) value = { [String(rest[i])]: value };
      return expandEmpty(text, doc, op.path.slice(0, d.depth), d.node, new Map([[rest[0]!, value]]));
    }
    if (isMap(d.node) && d.node.flow && d.node.items.length && d.node.range && op.path.length - d.depth === 1) {
      // `values: { "2022": 1, "2023": 2 }` gains `, "2024": 3` before its closing brace.
      const close = text.lastIndexOf('}', d.node.range[1] - 1);
      if (close <= d.node.range[0]) return undefined;
      let at = close;
      while (text[at - 1] === ' ') at--;
      const one = new Document(null, { version: '1.2' });
      one.schema = doc.schema;
      const pairMap = one.createNode(new Map([[keyFor(d.node, op.path[d.depth]!), op.value]])) as YAMLMap;
      pairMap.flow = true;
      one.contents = pairMap as never;
      const inner = one.toString({ lineWidth: 0 }).trim().replace(/^\{\s*/, '').replace(/\s*\}$/, '');
      if (inner.includes('\n')) return undefined;
      return `${text.slice(0, at)}, ${inner}${text.slice(at)}`;
    }
    if (!isMap(d.node) || d.node.flow || !d.node.items.length) return undefined;
    const rest = op.path.slice(d.depth);
    let value: unknown = op.value;
    for (let i = rest.length - 1; i >= 1; i--) value = { [String(rest[i])]: value };
    const last = d.node.items[d.node.items.length - 1]!;
    const firstKey = d.node.items[0]!.key as Node;
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range)?.[1];
    if (!firstKey.range || lastEnd === undefined) return undefined;
    const indent = firstKey.range[0] - lineStart(text, firstKey.range[0]);
    const at = text[lastEnd - 1] === '\n' ? lastEnd : lineEnd(text, lastEnd);
    const before = at === text.length && !text.endsWith('\n') ? `${text}\n` : text.slice(0, at);
    return before + yamlLines(doc, new Map([[keyFor(d.node, rest[0]!), value]]), indent) + text.slice(at);
  }
  const parentPath = op.op === 'delete' ? op.path.slice(0, -1) : op.path;
  const parent = find(doc, parentPath);
  if (op.op === 'insert' && isSeq(parent?.node) && parent.node.flow && !parent.node.items.length) {
    return expandEmpty(text, doc, op.path, parent.node, [op.value]);
  }
  if (op.op === 'delete' && (isSeq(parent?.node) || isMap(parent?.node)) && (parent.node as YAMLSeq).flow) {
    return deleteInFlow(text, parent.node as YAMLSeq | YAMLMap, op.path[op.path.length - 1]!);
  }
  if (!parent || (!isSeq(parent.node) && !isMap(parent.node)) || (parent.node as YAMLSeq).flow) return undefined;
  const blocks = itemBlocks(text, parent.node as YAMLSeq | YAMLMap);
  if (!blocks) return undefined;
  if (op.op === 'delete') {
    const key = op.path[op.path.length - 1]!;
    const i = isSeq(parent.node) ? Number(key) : (parent.node as YAMLMap).items.findIndex((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
    const b = blocks[i];
    if (!b) return undefined;
    if (blocks.length > 1) {
      const first = (parent.node as YAMLMap).items?.[0]?.key as Node | undefined;
      if (i === 0 && isMap(parent.node) && first?.range && b[0] === first.range[0]) {
        // `- title: …` loses its first key: the next key moves up beside the `- `.
        const next = (parent.node.items[1]!.key as Node).range;
        return next ? text.slice(0, b[0]) + text.slice(next[0]) : undefined;
      }
      return text.slice(0, b[0]) + text.slice(b[1]);
    }
    // The last entry gone, the key keeps an empty `[]` or `{}` (a bare `key:` would read as nothing).
    const owner = find(doc, parentPath.slice(0, -1))?.node;
    const ownerKey = isMap(owner) ? (owner.items.find((p) => p.value === parent.node)?.key as Node | undefined) : undefined;
    if (!ownerKey?.range) return undefined;
    const colon = text.indexOf(':', ownerKey.range[1]);
    if (colon < 0 || colon >= b[0]) return undefined;
    const empty = isSeq(parent.node) ? ' []' : ' {}';
    return text.slice(0, colon + 1) + empty + text.slice(colon + 1, b[0]) + text.slice(b[1]);
  }
  if (!isSeq(parent.node)) return undefined;
  if (op.op === 'insert') {
    const seq = parent.node;
    const index = Math.max(0, Math.min(op.index, seq.items.length));
    const firstStart = blocks[0]![0];
    const dashCol = text.slice(firstStart).search(/-/);
    const lines = yamlLines(doc, [op.value], dashCol);
    if (index < blocks.length) return text.slice(0, blocks[index]![0]) + lines + text.slice(blocks[index]![0]);
    const end = blocks[blocks.length - 1]![2];
    const before = text.slice(0, end);
    return (before.endsWith('\n') || before === '' ? before : `${before}\n`) + lines + text.slice(end);
  }
  // move: the items' blocks of lines reordered, the text around them untouched.
  const pieces = blocks.map(([a, , b]) => {
    const p = text.slice(a, b);
    return p.endsWith('\n') ? p : `${p}\n`;
  });
  const [moved] = pieces.splice(op.from, 1);
  pieces.splice(op.to, 0, moved!);
  const start = blocks[0]![0];
  const end = blocks[blocks.length - 1]![2];
  let joined = pieces.join('');
  if (!text.slice(start, end).endsWith('\n')) joined = joined.slice(0, -1);
  return text.slice(0, start) + joined + text.slice(end);
}

/** `{ "2022": 1, "2023": 2 }` without "2023": the entry and one comma go. */
function deleteInFlow(text: string, coll: YAMLSeq | YAMLMap, key: Seg): string | undefined {
  const items = coll.items as unknown[];
  const i = isSeq(coll) ? Number(key) : (coll as YAMLMap).items.findIndex((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
  const span = (item: unknown): [number, number] | undefined => {
    const a = (isPair(item) ? item.key : item) as Node | null;
    const b = (isPair(item) ? (item.value ?? item.key) : item) as Node | null;
    return a?.range && b?.range ? [a.range[0], b.range[1]] : undefined;
  };
  const here = span(items[i]);
  if (!here) return undefined;
  if (items.length === 1) {
    const [open, close] = coll.range ?? [];
    return open === undefined || close === undefined ? undefined : `${text.slice(0, open)}${isSeq(coll) ? '[]' : '{}'}${text.slice(close)}`;
  }
  if (i + 1 < items.length) {
    const next = span(items[i + 1]);
    return next ? text.slice(0, here[0]) + text.slice(next[0]) : undefined;
  }
  const prev = span(items[i - 1]);
  return prev ? text.slice(0, prev[1]) + text.slice(here[1]) : undefined;
}

/**
 * An empty `{}` or `[]` that is the value of a block mapping's key, replaced by `value` written as
 * a block under that key (two spaces deeper than the key).
 */
function expandEmpty(text: string, doc: Document, path: readonly Seg[], node: YAMLMap | YAMLSeq, value: unknown): string | undefined {
  if (!node.range || !path.length) return undefined;
  const [r0, r1] = node.range;
  if (!/^[{[]\s*[}\]]$/.test(text.slice(r0, r1))) return undefined;
  const parent = find(doc, path.slice(0, -1))?.node;
  if (!isMap(parent) || parent.flow) return undefined;
  const key = parent.items.find((p) => p.value === node)?.key as Node | undefined;
  if (!key?.range) return undefined;
  const indent = key.range[0] - lineStart(text, key.range[0]) + 2;
  let a = r0;
  while (text[a - 1] === ' ') a--;
  return `${text.slice(0, a)}\n${yamlLines(doc, value, indent).replace(/\n$/, '')}${text.slice(r1)}`;
}

/**
 * Each item of a block collection as whole lines [start, end): from its line (its `- ` or its
 * key) to the line where the next one starts. Undefined when an item shares a line with
 * something else (`- key: value` as the first key of a list item's map, a flow collection).
 */
function itemBlocks(text: string, coll: YAMLSeq | YAMLMap): [number, number, number][] | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const item of coll.items as unknown[]) {
    const node = (isPair(item) ? item.key : item) as Node | null;
    const last = (isPair(item) ? (item.value ?? item.key) : item) as Node | null;
    if (!node?.range || !last?.range) return undefined;
    const ls = lineStart(text, node.range[0]);
    const prefix = text.slice(ls, node.range[0]);
    // The first key of a list item's mapping shares the line with its `- `: that entry starts at the key.
    const firstOfItem = isMap(coll) && !starts.length && /^ *(?:- +)+$/.test(prefix);
    if (!firstOfItem && (isSeq(coll) ? !/^ *- +$/.test(prefix) : !/^ *$/.test(prefix))) return undefined;
    starts.push(firstOfItem ? node.range[0] : ls);
    ends.push(text[last.range[1] - 1] === '\n' ? last.range[1] : lineEnd(text, last.range[1]));
  }
  if (!starts.length) return undefined;
  // [start, end of its own lines, where the next item starts]: comments between two items stay
  // with the item they precede when one is deleted, and travel with the one before when moved.
  return starts.map((s, i) => [s, ends[i]!, i + 1 < starts.length ? starts[i + 1]! : ends[i]!]);
}

/** One scalar's text replaced; the comment after it, and every other byte, stay. */
function setScalar(text: string, doc: Document, node: Scalar, value: string | number | boolean | null, path: readonly Seg[]): string | undefined {
  const [r0, r1] = node.range!;
  const wasBlock = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  const styled = typeof value === 'string' ? styledString(node, value) : { value, type: Scalar.PLAIN as Scalar.Type };
  const s = new Scalar(styled.value);
  s.type = styled.type;
  const d = new Document(null, { version: '1.2' });
  d.schema = doc.schema;
  d.contents = s as never;
  const written = d.toString({ lineWidth: 0 });
  const isBlock = styled.type === Scalar.BLOCK_LITERAL || styled.type === Scalar.BLOCK_FOLDED;
  if (!isBlock) {
    if (wasBlock) return undefined;
    const one = written.replace(/\n$/, '');
    if (one.includes('\n')) return undefined;
    return text.slice(0, r0) + one + text.slice(r1);
  }
  // Block: the header line keeps its comment; the body is indented as the old one was, or two
  // spaces deeper than the key (or the `- `) it belongs to.
  const nl = written.indexOf('\n');
  const header = written.slice(0, nl);
  const bodyLines = written.slice(nl + 1).replace(/\n$/, '').split('\n');
  let indent: number;
  let tail: string;
  let replaceEnd: number;
  let suffix = '';
  if (wasBlock) {
    const headerEnd = text.indexOf('\n', r0);
    if (headerEnd < 0 || headerEnd >= r1) return undefined;
    tail = text.slice(r0, headerEnd).replace(/^[|>][-+0-9]*/, '');
    const oldBody = text.slice(headerEnd + 1, r1);
    const firstLine = oldBody.split('\n').find((l) => l.trim());
    indent = firstLine ? firstLine.length - firstLine.trimStart().length : 2;
    // Blank lines after the block (before the next key) are the file's layout, not the value's.
    const m = /\n((?:[ \t]*\n)*)$/.exec(`\n${oldBody}`);
    suffix = m ? m[1]! : '';
    replaceEnd = r1;
  } else {
    const ls = lineStart(text, r0);
    const le = lineEnd(text, r1);
    tail = text.slice(r1, le).replace(/\n$/, '');
    if (tail.trim() && !/^\s+#/.test(tail)) return undefined;
    replaceEnd = le;
    const parentPath = path.slice(0, -1);
    const parent = find(doc, parentPath)?.node;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => p.value === node);
      const k = pair?.key as Node | undefined;
      if (!k?.range) return undefined;
      indent = k.range[0] - lineStart(text, k.range[0]) + 2;
    } else indent = r0 - ls;
  }
  const pad = ' '.repeat(indent);
  const body = bodyLines.map((l) => (l ? pad + l : l)).join('\n') + '\n';
  return text.slice(0, r0) + header + tail + '\n' + body + suffix + text.slice(replaceEnd);
}

/**
 * Applies the ops in order and answers the new text. Each op is spliced into the text when the
 * result parses to exactly what the Document edit gives; otherwise the Document is written.
 */
export function applyOps(text: string, ops: readonly EditOp[]): string {
  let current = text;
  for (const op of ops) {
    const doc = parseForEdit(current);
    if (doc.errors.length) throw new EditRefused('文件当前有 YAML 语法错误，请先在文本编辑器中改正或重新载入后再编辑');
    if (op.op === 'set' && op.value !== null && typeof op.value === 'object') {
      // A whole mapping or list set at once (a table row, an evidence list) becomes the edits
      // of what differs, so its unchanged entries keep their lines and comments.
      const f = find(doc, op.path);
      if (f && (isMap(f.node) || isSeq(f.node)) && !f.node.flow) {
        current = applyOps(current, diffOps(op.path, f.node.toJSON(), op.value));
        continue;
      }
    }
    const expected = doc.clone();
    applyToDocument(expected, op);
    const want = expected.toJS();
    let next: string | undefined;
    try {
      next = splice(current, doc, op);
    } catch {
      next = undefined;
    }
    if (next !== undefined) {
      const re = parseForEdit(next);
      if (re.errors.length || !isDeepStrictEqual(re.toJS(), want)) next = undefined;
    }
    current = next ?? expected.toString({ lineWidth: 0 });
  }
  return current;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The edits that turn `old` into `value` at `path`: entries that did not change are not touched. */
export function diffOps(path: readonly Seg[], old: unknown, value: unknown): EditOp[] {
  if (isRecord(old) && isRecord(value)) {
    const ops: EditOp[] = [];
    for (const k of Object.keys(old)) if (!Object.hasOwn(value, k)) ops.push({ op: 'delete', path: [...path, k] });
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(old, k)) ops.push(...diffOps([...path, k], old[k], v));
      else ops.push({ op: 'set', path: [...path, k], value: v });
    }
    return ops;
  }
  if (Array.isArray(old) && Array.isArray(value)) {
    const ops: EditOp[] = [];
    const common = Math.min(old.length, value.length);
    for (let i = 0; i < common; i++) ops.push(...diffOps([...path, i], old[i], value[i]));
    for (let i = common; i < value.length; i++) ops.push({ op: 'insert', path: [...path], index: i, value: value[i] });
    for (let i = old.length - 1; i >= value.length; i--) ops.push({ op: 'delete', path: [...path, i] });
    return ops;
  }
  return isDeepStrictEqual(old, value) ? [] : [{ op: 'set', path: [...path], value }];
}
