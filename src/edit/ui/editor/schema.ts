/**
 * Reading the published applicant JSON Schema (FormSpec.schema) into the few shapes the form
 * knows how to draw. The form is generated from this, so a field added to the schema appears in
 * the editor without any change here.
 */
export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  $ref?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
};

export type Shape =
  | { kind: 'object'; props: [string, JsonSchema][]; required: Set<string> }
  /** A key/value mapping (`additionalProperties` schema): years, condition codes. */
  | { kind: 'map'; keys?: string[]; value: JsonSchema }
  | { kind: 'list'; item: JsonSchema }
  /** Long text: the schema marks it as `string | string[]` (one block scalar or a list of paragraphs). */
  | { kind: 'prose' }
  | { kind: 'enum'; options: { value: string; label: string }[] }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'string' };

/** Follows a local `$ref` (`#/definitions/x`) against the root schema. */
export function deref(root: JsonSchema, s: JsonSchema): JsonSchema {
  let cur = s;
  for (let i = 0; i < 10 && typeof cur.$ref === 'string'; i++) {
    const parts = cur.$ref.replace(/^#\//, '').split('/');
    let next: unknown = root;
    for (const p of parts) next = (next as Record<string, unknown> | undefined)?.[p];
    if (!next || typeof next !== 'object') break;
    // The referring node's title and description win: they name the field, the definition the type.
    cur = { ...(next as JsonSchema), ...(cur.title ? { title: cur.title } : {}), ...(cur.description ? { description: cur.description } : {}) };
    delete cur.$ref;
    if (typeof (next as JsonSchema).$ref === 'string') cur.$ref = (next as JsonSchema).$ref;
  }
  return cur;
}

/**
 * Chinese names of enum values, as the schema's descriptions list them:
 * "申报主体类型：city_government（市人民政府）、district_government（区人民政府）…".
 */
export function enumLabels(description: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!description) return out;
  for (const m of description.matchAll(/([A-Za-z0-9_.-]+)（([^）]+)）/g)) out.set(m[1]!, m[2]!);
  return out;
}

function isStringList(s: JsonSchema | undefined): boolean {
  return !!s && s.type === 'array' && !!s.items && (s.items as JsonSchema).type === 'string';
}

export function shapeOf(root: JsonSchema, raw: JsonSchema): Shape {
  const s = deref(root, raw);
  if (s.anyOf) {
    const alts = s.anyOf.map((a) => deref(root, a));
    if (alts.some((a) => a.type === 'string') && alts.some(isStringList)) return { kind: 'prose' };
    // string | number (a phone number written bare), integer | string (a deadline): a text box.
    if (alts.every((a) => a.type === 'string' || a.type === 'number' || a.type === 'integer')) return { kind: 'string' };
    return shapeOf(root, alts[0]!);
  }
  if (Array.isArray(s.enum)) {
    const labels = enumLabels(s.description);
    const values = s.enum.map(String);
    // Chinese aliases accepted in the file (示范城区 for demo-district) are not offered as choices of their own.
    const names = new Set(labels.values());
    const options = values.filter((v) => !names.has(v)).map((v) => ({ value: v, label: labels.get(v) ? `${labels.get(v)}（${v}）` : v }));
    return { kind: 'enum', options };
  }
  switch (s.type) {
    case 'object': {
      if (s.properties) return { kind: 'object', props: Object.entries(s.properties), required: new Set(s.required ?? []) };
      const value = typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      const keys = Array.isArray(s.propertyNames?.enum) ? s.propertyNames.enum.map(String) : undefined;
      return { kind: 'map', keys, value };
    }
    case 'array':
      return { kind: 'list', item: s.items ?? { type: 'string' } };
    case 'number':
      return { kind: 'number', integer: false };
    case 'integer':
      return { kind: 'number', integer: true };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return { kind: 'string' };
  }
}

/** The schema node at a data path (list indexes and map keys step into items / values). */
export function schemaAt(root: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let cur: JsonSchema | undefined = root;
  for (const seg of path) {
    if (!cur) return undefined;
    let sh: JsonSchema = deref(root, cur);
    if (sh.anyOf) {
      const alt = sh.anyOf.map((a) => deref(root, a)).find((a) => a.type === 'object' || a.type === 'array');
      if (!alt) return undefined;
      sh = alt;
    }
    if (typeof seg === 'number') cur = sh.items;
    else cur = sh.properties?.[seg] ?? (typeof sh.additionalProperties === 'object' ? sh.additionalProperties : undefined);
  }
  return cur ? deref(root, cur) : undefined;
}

/** A fresh value for a new list item or map entry: required fields present and empty, so the form shows them. */
export function emptyValue(root: JsonSchema, raw: JsonSchema): unknown {
  const sh = shapeOf(root, raw);
  switch (sh.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of sh.props) if (sh.required.has(k)) o[k] = emptyValue(root, v);
      return o;
    }
    case 'map':
      return {};
    case 'list':
      return [];
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'prose':
      return '';
    case 'enum':
      return sh.options[0]?.value ?? '';
    default:
      return '';
  }
}

/**
 * A data path in words, from the schema's Chinese titles: "创建工作报告 › 近三年知识产权工作总结
 * 第 2 项 › 正文段落". `keyName` names map keys the schema cannot (a condition by its title).
 */
export function describePath(root: JsonSchema, path: readonly (string | number)[], keyName: (key: string) => string | undefined = () => undefined): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') {
      if (parts.length) parts[parts.length - 1] += ` 第 ${seg + 1} 项`;
      continue;
    }
    const parent = schemaAt(root, path.slice(0, i));
    const isProp = !!parent && !!deref(root, parent).properties?.[seg];
    const named = isProp ? schemaAt(root, path.slice(0, i + 1))?.title : (keyName(seg) ?? seg);
    // A map's value schema repeats the map's own title (当年指标 under 近三年指标): the key says more.
    if (named && named !== parts[parts.length - 1]) parts.push(named);
  }
  return parts.join(' › ');
}
