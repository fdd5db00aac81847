import { z } from 'zod';
import type { DataPath, Diagnostic } from './diagnostics.js';
import { showValue } from './diagnostics.js';
import type { DataPath as Path, SourcePosition } from './diagnostics.js';

/** What issuesToDiagnostics needs of loaded data: the raw values and where each was written. */
export interface Locatable {
  data: unknown;
  locate(path: Path): SourcePosition;
  locateKey(path: Path): SourcePosition | undefined;
}

/** Walks a zod schema along a data path to find the Chinese label (`title` meta) of that field. */
export function labelAt(schema: z.ZodType, path: DataPath): string | undefined {
  let node: z.ZodType | undefined = schema;
  let label: string | undefined;
  for (let i = 0; i <= path.length && node; i++) {
    // Unwrap wrappers, remembering the innermost title on the way.
    let guard = 0;
    let found: string | undefined;
    while (node && guard++ < 20) {
      const meta = z.globalRegistry.get(node) as { title?: string } | undefined;
      if (meta?.title && !found) found = meta.title;
      const def: any = (node as any)._zod.def;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault' || def.type === 'readonly' || def.type === 'catch') node = def.innerType;
      else if (def.type === 'pipe') node = def.in.type === 'transform' ? def.out : def.in;
      else if (def.type === 'lazy') node = def.getter();
      else break;
    }
    label = found;
    if (i === path.length || !node) break;
    const seg = path[i]!;
    const def: any = (node as any)._zod.def;
    if (def.type === 'object') node = def.shape[String(seg)];
    else if (def.type === 'array') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else if (def.type === 'union') {
      node = def.options.find((o: any) => ['object', 'array', 'record'].includes(o._zod.def.type));
    } else node = undefined;
    if (!node) return undefined;
  }
  return label;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是或否（true / false）',
  array: '列表（每项以“- ”开头）',
  object: '映射（“字段: 值”）',
  record: '映射（“字段: 值”）',
  date: '日期',
  null: '空值',
};

function typeOf(v: unknown): string {
  if (v === null) return '空值';
  if (Array.isArray(v)) return '列表';
  if (typeof v === 'object') return '映射';
  if (typeof v === 'string') return '文本';
  if (typeof v === 'number') return Number.isNaN(v) ? '非数字（.nan）' : Number.isFinite(v) ? '数字' : '无穷大（.inf）';
  if (typeof v === 'boolean') return '是/否';
  return typeof v;
}

const hasHan = (s: string) => /[\u4e00-\u9fff]/.test(s);

function messageFor(issue: z.core.$ZodIssue, received: unknown): { message: string; code: string; showReceived: boolean } {
  switch (issue.code) {
    case 'invalid_type': {
      if (received === undefined) return { message: '缺少必填字段', code: 'schema.missing', showReceived: false };
      const want = TYPE_ZH[issue.expected] ?? issue.expected;
      if (typeof received === 'number' && !Number.isFinite(received)) {
        return { message: `应为有限的${want}，实际为${typeOf(received)}`, code: 'schema.not-finite', showReceived: true };
      }
      return { message: `应为${want}，实际为${typeOf(received)}`, code: 'schema.type', showReceived: true };
    }
    case 'unrecognized_keys':
      return { message: '', code: 'schema.unknown-key', showReceived: false };
    case 'invalid_union': {
      if (received === undefined) return { message: '缺少必填字段', code: 'schema.missing', showReceived: false };
      // A union of one-shot alternatives (text or list of texts, number or text): say what fits.
      const nested = (issue.errors ?? []).flat().find((e) => hasHan(e.message));
      return { message: nested?.message ?? `值的类型不正确（实际为${typeOf(received)}）`, code: 'schema.union', showReceived: true };
    }
    case 'too_small': {
      if (hasHan(issue.message)) return { message: issue.message, code: 'schema.too-small', showReceived: true };
      const min = String(issue.minimum);
      if (issue.origin === 'string') return { message: '不能为空', code: 'schema.empty', showReceived: false };
      if (issue.origin === 'array') return { message: `至少应有 ${min} 项`, code: 'schema.too-few', showReceived: true };
      return { message: `不能小于 ${min}`, code: 'schema.too-small', showReceived: true };
    }
    case 'too_big': {
      if (hasHan(issue.message)) return { message: issue.message, code: 'schema.too-big', showReceived: true };
      const max = String(issue.maximum);
      if (issue.origin === 'array') return { message: `最多 ${max} 项`, code: 'schema.too-many', showReceived: true };
      if (issue.origin === 'string') return { message: `最长 ${max} 个字符`, code: 'schema.too-long', showReceived: true };
      return { message: `不能大于 ${max}`, code: 'schema.too-big', showReceived: true };
    }
    case 'invalid_value':
      return { message: `应为以下之一：${issue.values.map(String).join('、')}`, code: 'schema.value', showReceived: true };
    case 'invalid_key': {
      const inner = (issue.issues ?? []).find((e) => hasHan(e.message));
      return { message: inner?.message ?? '字段名不正确', code: 'schema.key', showReceived: false };
    }
    case 'invalid_format':
      return { message: hasHan(issue.message) ? issue.message : '格式不正确', code: 'schema.format', showReceived: true };
    default:
      return { message: hasHan(issue.message) ? issue.message : `不符合要求（${issue.message}）`, code: `schema.${issue.code}`, showReceived: true };
  }
}

/** Every zod issue as a located Chinese diagnostic; never stops at the first. */
export function issuesToDiagnostics(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], located: Locatable): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const pos = located.locateKey(keyPath) ?? located.locate(keyPath);
        const suggestion = suggest(key, known);
        const colon = /[：:]/.test(key) ? '；字段名后的冒号应为半角“:”并加空格' : '';
        out.push({
          severity: 'error',
          code: 'schema.unknown-key',
          ...pos,
          path: keyPath,
          message: `未知字段 ${key}${suggestion ? `，是否应为 ${suggestion}（${labelAt(schema, [...path, suggestion]) ?? ''}）` : ''}${colon}${known.length && !suggestion ? `；此处可用的字段：${known.join('、')}` : ''}`,
        });
      }
      continue;
    }
    const received = valueAt(located.data, path);
    const { message, code, showReceived } = messageFor(issue, received);
    out.push({
      severity: 'error',
      code,
      ...located.locate(path),
      path,
      label: labelAt(schema, path),
      message,
      received: showReceived ? showValue(received) : undefined,
    });
  }
  return dedupe(out);
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${JSON.stringify(d.path)}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function knownKeys(schema: z.ZodType, path: DataPath): string[] {
  let node: any = schema;
  const unwrap = () => {
    for (let g = 0; g < 20 && node; g++) {
      const def = node._zod.def;
      if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) node = def.innerType;
      else if (def.type === 'pipe') node = def.in.type === 'transform' ? def.out : def.in;
      else if (def.type === 'lazy') node = def.getter();
      else break;
    }
  };
  for (const seg of path) {
    unwrap();
    const def = node?._zod.def;
    if (!def) return [];
    if (def.type === 'object') node = def.shape[String(seg)];
    else if (def.type === 'array') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else return [];
  }
  unwrap();
  return node?._zod.def.type === 'object' ? Object.keys(node._zod.def.shape) : [];
}

/** The closest known key by edit distance, for typos like `shortname` or `catagory`. */
export function suggest(key: string, known: string[]): string | undefined {
  const clean = key.replace(/[：:].*$/, '').trim();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(clean.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
