import jsyaml from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar, type YAMLError } from 'yaml';
import type { DataPath, Diagnostic, SourcePosition } from '../common/diagnostics.js';

/** Anchors and aliases are legitimate YAML, but a few hundred expansions is already more than any applicant file needs. */
export const MAX_ALIAS_COUNT = 200;

/**
 * Names that reach into a JavaScript object's prototype when used as keys: no field of an
 * applicant is called so, and merging one would change every object of the process.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface LocatedYaml {
  data: unknown;
  diagnostics: Diagnostic[];
  /**
   * Where each value, key and character was typed. Worked out on first use: a file read through
   * the fast path (below) that nobody reports a finding on never needs it.
   */
  where(): YamlPositions;
}

export interface YamlPositions {
  /** path key (see pathKey) → where the value (or the key, for `keyPositions`) starts */
  positions: Map<string, SourcePosition>;
  keyPositions: Map<string, SourcePosition>;
  /** path key → where character `offset` of that string value was typed (prose findings point inside paragraphs). */
  textPositions: Map<string, (offset: number) => SourcePosition>;
}

export const pathKey = (path: DataPath): string => JSON.stringify(path.map(String));

const YAML_CODE_ZH: Record<string, string> = {
  BAD_INDENT: '缩进不正确（同一层级的字段应左对齐，列表项前的“-”后要有空格）',
  TAB_AS_INDENT: '不能用制表符（Tab）缩进，请改用空格',
  DUPLICATE_KEY: '字段名重复：同一层级的每个字段只能出现一次',
  MISSING_CHAR: '缺少配对的符号（引号或括号没有闭合）',
  BLOCK_AS_IMPLICIT_KEY: '字段写法不正确（可能缺少冒号，或冒号后缺少空格）',
  MULTILINE_IMPLICIT_KEY: '字段名不能跨行（可能缺少冒号，或上一行的引号没有闭合）',
  UNEXPECTED_TOKEN: '出现了意外的符号',
  BAD_ALIAS: '引用（*名称）指向了不存在的锚点（&名称）',
  BAD_SCALAR_START: '值不能以此符号开头；含 @、`、| 等符号的文本请加引号',
  BAD_DIRECTIVE: 'YAML 指令不正确',
  MULTIPLE_DOCS: '一个文件只能有一份数据（不要使用 --- 分隔多份）',
  MULTIPLE_ANCHORS: '同一个值不能有多个锚点',
  MULTIPLE_TAGS: '同一个值不能有多个标签',
  TAG_RESOLVE_FAILED: '不支持的标签：申报数据只能使用普通的文本、数字、列表和映射',
  BLOCK_IN_FLOW: '方括号或花括号内不能使用块写法',
  KEY_OVER_1024_CHARS: '字段名过长',
  DUPLICATE_ANCHOR: '锚点名称重复',
  IMPOSSIBLE: 'YAML 结构无法解析',
};

function yamlDiagnostic(err: YAMLError, file: string, severity: 'error' | 'warning'): Diagnostic {
  const zh = /end with an? [\]}]/.test(err.message) ? '方括号“[ ]”或花括号“{ }”没有闭合（或其后一行缩进不足）' : (YAML_CODE_ZH[err.code] ?? 'YAML 语法错误');
  const detail = err.message.split(' at line ')[0]!.split('\n')[0]!;
  const tag = err.code === 'TAG_RESOLVE_FAILED' ? /Unresolved tag: (\S+)/.exec(detail)?.[1] : undefined;
  return {
    severity,
    code: `yaml.${err.code.toLowerCase()}`,
    file,
    line: err.linePos?.[0].line,
    col: err.linePos?.[0].col,
    // The parser's own sentence is English: it is kept only where no Chinese explanation exists.
    message: tag ? `${zh}（${tag.replace('tag:yaml.org,2002:', '!!')}），请删除该标签` : YAML_CODE_ZH[err.code] ? zh : `${zh}（${detail}）`,
  };
}

/** Lines where a Chinese IME typed the key's colon full-width, or the space after it was forgotten: the commonest mistake by far. */
function colonHints(text: string, file: string): Diagnostic[] {
  const hints: Diagnostic[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*(：|:(?=[^\s:/]))/.exec(line);
    if (!m) return;
    const fullWidth = m[3] === '：';
    hints.push({
      severity: 'error',
      code: fullWidth ? 'yaml.fullwidth-colon' : 'yaml.colon-space',
      file,
      line: i + 1,
      col: m[1]!.length + m[2]!.length + 1,
      message: fullWidth
        ? `字段 ${m[2]} 后面用了全角冒号“：”，应改为半角冒号“:”并加一个空格`
        : `字段 ${m[2]} 的冒号后缺少空格，应写成“${m[2]}: 值”`,
    });
  });
  return hints;
}

/**
 * Reads an applicant's YAML. Two readers give the same data (test/load/fast-yaml.test.ts holds
 * them to it over every YAML file of the repository, test/load/fast-yaml-fuzz.test.ts over
 * generated and mutated ones):
 * - the fast path, js-yaml with the `yaml` package's core schema: about five times faster on
 *   a cold start (measured: about 5 ms against 18 for the 23 KB example; the yaml package is a
 *   generator-driven parser, slow until V8 has optimised it, which a short command never waits
 *   for). It takes only plain files: none of the forms in NOT_PLAIN, nothing js-yaml warns
 *   about or refuses, no key the two could read apart, no alias.
 * - the `yaml` package for every other file, and for positions: its errors are the ones
 *   translated into Chinese, and its nodes carry their places in the file. A file taken by the
 *   fast path is read by it too, but only when a finding needs a position.
 */
export function parseYaml(text: string, file: string): LocatedYaml {
  const fast = fastParse(text);
  if (fast !== undefined) {
    let where: YamlPositions | undefined;
    return { data: fast, diagnostics: [], where: () => (where ??= fullParse(text, file)) };
  }
  const full = fullParse(text, file);
  return { data: full.data, diagnostics: full.diagnostics, where: () => full };
}

/**
 * The YAML 1.2 core schema as the `yaml` package resolves plain scalars
 * (node_modules/yaml/dist/schema/core): js-yaml's own CORE_SCHEMA reads 0b101 as 5, +.5e3 as
 * text and -0 as 0, where yaml reads text, 500 and -0. Anything else is a string, as in `yaml`
 * (dates too).
 */
const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s),
      construct: () => null,
    }),
    new jsyaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
      construct: (s: string) => s[0] === 't' || s[0] === 'T',
    }),
    new jsyaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    }),
    new jsyaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s),
      construct: (s: string) => (/nan$/i.test(s) ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    }),
  ],
});

/**
 * What the fast path leaves to the `yaml` package: every form where the two were seen to read a
 * file apart (review, and a differential fuzz: test/load/fast-yaml-fuzz.test.ts), or where yaml
 * refuses with its own message what js-yaml accepts. Each alternative, in order:
 * - tabs (an error in yaml when they indent) and a carriage return alone as a line break (yaml's
 *   line counter does not count it);
 * - directives, and a document marker with anything after it;
 * - explicit keys (? ), a flow collection used as a key, a flow map holding a collection, and
 *   a flow collection running over more than one line;
 * - a comment glued to a quote or a bracket;
 * - anchors, aliases and tags wherever a node can begin (an alias bomb, a !!js/function);
 * - a list entry with nothing in it (- alone, or - -);
 * - a block scalar's indentation indicator or keep chomping (|2, >+);
 * - a line of spaces only (block scalars end differently around it);
 * - a backslash at the end of a line (an escaped line break in double quotes).
 * Ordinary prose with a spaced "&", "*" or "!" also goes the slow way: slower, never wrong.
 */
const NOT_PLAIN = new RegExp(
  [
    '\\t|\\r(?!\\n)',
    '^%|^(?:---|\\.\\.\\.)[ ]*[^ \\r\\n]',
    '^[ ]*(?:- +)*\\?(?:[ ]|$)|[\\]}][ ]*:(?:[ \\r\\n]|$)|\\{[^}\\n]*(?:[[{]|$)|\\[[^\\]\\n]*$',
    '["\'\\]}]#',
    '(?:^|[\\s[{,:])[&*!]',
    '^[ ]*-(?:[ ]+-)*[ ]*(?:#.*)?\\r?$',
    '(?:^|[ ])[|>](?:[0-9+]|-[0-9])',
    '^[ ]+\\r?$',
    '\\\\\\r?$',
  ].join('|'),
  'm',
);

/** The longest implicit key the `yaml` package accepts (KEY_OVER_1024_CHARS beyond). */
const MAX_KEY = 1024;

/** The data of a plain file, or undefined when the `yaml` package must read it. Exported for its test. */
export function fastParse(text: string): unknown {
  // A byte-order mark is one only at the very start (where ^ must still see the first line);
  // elsewhere yaml and js-yaml read it apart.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (NOT_PLAIN.test(body) || body.includes('\ufeff')) return undefined;
  let data: unknown;
  let warned = false;
  try {
    data = jsyaml.load(text, { schema: CORE_1_2, onWarning: () => (warned = true) });
  } catch {
    return undefined;
  }
  return !warned && isPlainRoot(data) && keysAgree(data, new Set()) ? data : undefined;
}

const isPlainRoot = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keys the two readers would turn into different strings (a null key is "" in `yaml`, "null"
 * in js-yaml), or that the `yaml` path reports (reserved names, over-long keys): those files go
 * the slow way. So does a list or map met twice: only an alias shares one, and walking shared
 * ones once per use would grow exponentially on an alias bomb that slipped past NOT_PLAIN.
 */
function keysAgree(v: unknown, seen: Set<object>): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v)) return v.every((x) => keysAgree(x, seen));
  for (const [k, x] of Object.entries(v)) {
    if (k === '' || k.length > MAX_KEY || RESERVED_KEYS.has(k) || /^(?:~|[Nn]ull|NULL)$/.test(k) || !keysAgree(x, seen)) return false;
  }
  return true;
}

/** The `yaml` package's reading: every diagnostic, with every position. Exported for its test. */
export function fullParse(text: string, file: string): { data: unknown; diagnostics: Diagnostic[] } & YamlPositions {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    schema: 'core',
    // No custom tags are ever resolved: a !!js/function stays an error, never code.
    customTags: [],
    version: '1.2',
  });
  const diagnostics: Diagnostic[] = [
    ...doc.errors.map((e) => yamlDiagnostic(e, file, 'error')),
    ...doc.warnings.map((e) => yamlDiagnostic(e, file, e.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning')),
  ];
  const positions = new Map<string, SourcePosition>();
  const keyPositions = new Map<string, SourcePosition>();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };

  const textPositions = new Map<string, (offset: number) => SourcePosition>();
  // pathKey of path + [seg], built from the parent's key: a file of a few thousand values would
  // otherwise stringify every path from the root, three times per value.
  const childKey = (parent: string, seg: string | number): string => (parent === '[]' ? `[${JSON.stringify(String(seg))}]` : `${parent.slice(0, -1)},${JSON.stringify(String(seg))}]`);
  const walk = (node: unknown, path: (string | number)[], k = pathKey(path)): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.range) positions.set(k, at(n.range[0]));
    if (isScalar(n) && typeof n.value === 'string' && n.range) {
      const offsets = lazyOffsets(text, n.range[0], n.range[1], n.value, n.type);
      textPositions.set(k, (offset) => at(offsets()(offset)));
    }
    if (isMap(n)) {
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const child = [...path, key];
        const ck = childKey(k, key);
        const keyNode = item.key as Node | null;
        if (keyNode?.range) keyPositions.set(ck, at(keyNode.range[0]));
        if (RESERVED_KEYS.has(key)) {
          diagnostics.push({
            severity: 'error',
            code: 'yaml.reserved-key',
            ...(keyNode?.range ? at(keyNode.range[0]) : { file }),
            message: `字段名 ${key} 是保留名称，不能用作申报数据的字段名，请删除`,
          });
        }
        if (item.value && (item.value as Node).range) walk(item.value, child, ck);
        else if (keyNode?.range) positions.set(ck, at(keyNode.range[0]));
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, [...path, i], childKey(k, i)));
    }
  };
  walk(doc.contents, []);

  if (diagnostics.some((d) => d.severity === 'error')) {
    const hints = colonHints(text, file);
    return { data: undefined, positions, keyPositions, textPositions, diagnostics: [...hints, ...diagnostics] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const bomb = /alias count/i.test(String((err as Error).message));
    diagnostics.push({
      severity: 'error',
      code: bomb ? 'yaml.alias-bomb' : 'yaml.convert',
      file,
      line: 1,
      col: 1,
      message: bomb
        ? `引用（*别名）展开次数超过 ${MAX_ALIAS_COUNT} 次上限，可能是恶意构造的文件（“别名炸弹”），已拒绝读取`
        : '无法读取 YAML 内容：文件结构无法转换为申报数据',
    });
    return { data: undefined, positions, keyPositions, textPositions, diagnostics };
  }
  return { data, positions, keyPositions, textPositions, diagnostics };
}

/**
 * Maps a character offset in a scalar's value back to the source offset where it was typed.
 * The value differs from its source: block scalars drop the header and the indentation, folded
 * and flow scalars turn line breaks into spaces, quoted ones unescape. Every value character is
 * still typed in order, so each is matched to the next equal source character (a character the
 * source spells differently, like an escape, keeps the position of the one before).
 */
function lazyOffsets(text: string, start: number, end: number, value: string, type: Scalar.Type | undefined): () => (offset: number) => number {
  let map: Int32Array | undefined;
  return () => {
    if (!map) {
      map = new Int32Array(value.length + 1);
      let i = start;
      if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
        const nl = text.indexOf('\n', start);
        i = nl < 0 || nl >= end ? end : nl + 1;
      } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') i = start + 1;
      for (let k = 0; k < value.length; k++) {
        const j = text.indexOf(value[k]!, i);
        if (j >= 0 && j < end) {
          map[k] = j;
          i = j + 1;
        } else map[k] = Math.min(i, Math.max(start, end - 1));
      }
      map[value.length] = i;
    }
    const m = map;
    return (offset) => m[Math.max(0, Math.min(offset, value.length))]!;
  };
}
