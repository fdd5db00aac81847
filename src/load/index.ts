import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { DataPath, Diagnostic, SourcePosition } from '../common/diagnostics.js';
import { UserError } from '../common/diagnostics.js';
import { MAX_SOURCE_BYTES, readTextSource, sourceTooLarge } from './source.js';
import { parseYaml, pathKey, type YamlPositions } from './yaml.js';
import { checkBudgets } from './budget.js';
import { normalizeData } from './normalize.js';

export { readTextSource, decodeText, describeIoError, MAX_SOURCE_BYTES, sourceTooLarge } from './source.js';
export { parseYaml, pathKey, MAX_ALIAS_COUNT } from './yaml.js';
export { MAX_FIELD_CHARS, MAX_TOTAL_CHARS } from './budget.js';
export { normalizeText } from './normalize.js';

/**
 * Raw data with every value's origin kept, so that validation, evaluation and rendering can
 * point a user at file:line:col long after parsing.
 */
export interface LocatedData {
  /** The file the user named. */
  file: string;
  data: Record<string, unknown> | undefined;
  /** All files read (the main file first, then includes). */
  files: string[];
  /**
   * The bytes of each of `files` as they were read and parsed (undefined for text given in
   * memory): what a hash of the data must name, since the file may change after it was read.
   */
  bytes: (Buffer | undefined)[];
  diagnostics: Diagnostic[];
  /** Where the value at `path` starts; for a path that does not exist, its nearest existing ancestor. */
  locate(path: DataPath): SourcePosition;
  /** Where the key of `path` is written, if it exists. */
  locateKey(path: DataPath): SourcePosition | undefined;
  /**
   * Where character `offset` of the string at `path` was typed: inside a `|` block a number in
   * the third paragraph is several lines below the field. Falls back to locate(path).
   */
  locateText(path: DataPath, offset: number): SourcePosition;
}

const MAX_INCLUDE_DEPTH = 4;
/** All files of one applicant together (characters read): an include list cannot make the loader read gigabytes. */
const MAX_TOTAL_SOURCE_CHARS = MAX_SOURCE_BYTES;

/**
 * Reads an applicant file. An applicant may be split over several files with a root
 * `include:` list (paths relative to the including file); mappings merge, any other value
 * given twice is an error naming both places.
 */
export interface LoadOptions {
  /**
   * The main file's text as it is being edited (the editor's unsaved state): used instead of
   * reading `file`, with the same positions and diagnostics; includes are still read from disk,
   * relative to `file`.
   */
  text?: string;
}

export async function loadYamlFile(file: string, options: LoadOptions = {}): Promise<LocatedData> {
  const positions = new Map<string, SourcePosition>();
  const keyPositions = new Map<string, SourcePosition>();
  const textPositions = new Map<string, (offset: number) => SourcePosition>();
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const bytes: (Buffer | undefined)[] = [];
  const displayBase = process.cwd();
  const show = (f: string) => {
    const rel = path.relative(displayBase, f);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : f;
  };

  const readOne = async (abs: string, depth: number, includedFrom?: SourcePosition, own?: Map<string, SourcePosition>): Promise<Record<string, unknown> | undefined> => {
    const shown = show(abs);
    if (files.includes(shown)) {
      diagnostics.push({ severity: 'error', code: 'include.cycle', ...includedFrom, message: `重复引用了文件 ${shown}（include 不能循环或重复）` });
      return undefined;
    }
    files.push(shown);
    let text: string;
    try {
      const src = depth === 0 && options.text !== undefined ? memorySource(options.text, abs) : await readTextSource(abs);
      diagnostics.push(...src.warnings.map((w) => ({ ...w, file: shown })));
      bytes[files.indexOf(shown)] = src.bytes;
      text = src.text;
      totalChars += text.length;
      if (includedFrom && totalChars > MAX_TOTAL_SOURCE_CHARS) {
        diagnostics.push({ severity: 'error', code: 'include.too-large', ...includedFrom, message: `引用的文件合计超过 ${MAX_TOTAL_SOURCE_CHARS / 10_000} 万字符的上限，未读取 ${shown}` });
        return undefined;
      }
    } catch (err) {
      if (err instanceof UserError) {
        if (includedFrom) {
          diagnostics.push(
            ...err.diagnostics.map((d) => ({ ...d, ...includedFrom, message: `引用的文件 ${shown} ${d.message}` })),
          );
          return undefined;
        }
        throw new UserError(err.diagnostics.map((d) => ({ ...d, file: shown })), err.exitCode);
      }
      throw err;
    }
    const parsed = parseYaml(text, shown);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) return undefined;
    const data = parsed.data;
    if (data === undefined || data === null) {
      diagnostics.push({ severity: 'error', code: 'source.empty', file: shown, line: 1, col: 1, message: '文件为空：没有任何申报数据（可用 shenbao init 生成带注释的模板）' });
      return undefined;
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      diagnostics.push({
        severity: 'error',
        code: 'source.root',
        file: shown,
        line: 1,
        col: 1,
        message: `文件根部应为“字段: 值”的映射，实际为${Array.isArray(data) ? '列表' : '单个值'}`,
      });
      return undefined;
    }
    const record = data as Record<string, unknown>;
    // Positions are worked out only when asked for (parseYaml): a finding, an include, a cleaned text.
    const where = parsed.where;
    diagnostics.push(
      ...normalizeData(
        record,
        (p) => where().positions.get(pathKey(p)),
        (p, kept) => {
          // Offsets into the cleaned text still point at the characters the user typed.
          const k = pathKey(p);
          const texts = where().textPositions;
          const original = texts.get(k);
          if (original) texts.set(k, (offset) => original(kept[Math.min(Math.max(0, offset), kept.length - 1)]!));
        },
      ),
    );
    if (own) for (const [k, v] of where().keyPositions) own.set(k, v);
    const includes = record.include;
    delete record.include;
    addSource(where, shown);

    if (includes === undefined) return record;
    // An included file's keys are compared with these: every position so far is needed now.
    placed();
    const includePos = where().positions.get(pathKey(['include']));
    const list = typeof includes === 'string' ? [includes] : includes;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      diagnostics.push({ severity: 'error', code: 'include.type', ...includePos, path: ['include'], label: '引用文件', message: 'include 应为文件路径的列表' });
      return record;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      diagnostics.push({ severity: 'error', code: 'include.depth', ...includePos, path: ['include'], label: '引用文件', message: `include 嵌套超过 ${MAX_INCLUDE_DEPTH} 层` });
      return record;
    }
    let merged = record;
    for (const [i, rel] of (list as string[]).entries()) {
      const at = where().positions.get(pathKey(['include', i])) ?? includePos;
      const target = path.resolve(path.dirname(abs), rel);
      // Confined by where the file really is, so a symlink inside the folder cannot lead out of it.
      const real = realpathOrUndefined(target);
      if (real && !inside(real, root)) {
        diagnostics.push({
          severity: 'error',
          code: 'include.outside',
          ...at,
          path: ['include', i],
          label: '引用文件',
          message: `引用的文件 ${rel} 不在申报数据文件所在的文件夹之内，未读取；include 只能引用同一文件夹及其子文件夹中的文件`,
        });
        continue;
      }
      const childKeys = new Map<string, SourcePosition>();
      const child = await readOne(target, depth + 1, at, childKeys);
      if (child) merged = mergeInto(merged, child, [], diagnostics, positions, childKeys, show(path.resolve(path.dirname(abs), rel)));
    }
    return merged;
  };

  // Positions from the first file win, so a conflict is reported where the second value is.
  function mergePosition(map: Map<string, SourcePosition>, k: string, v: SourcePosition) {
    if (!map.has(k)) map.set(k, v);
  }
  // Each file's positions join the maps in the order the files were read, but only once a
  // position is asked for: until then a file read by the fast path has none worked out.
  const pending: (() => void)[] = [];
  let positionsMerged = false;
  function addSource(where: () => YamlPositions, shown: string): void {
    const merge = () => {
      const w = where();
      for (const [k, v] of w.positions) if (k !== pathKey([]) && !k.startsWith('["include"')) mergePosition(positions, k, v);
      for (const [k, v] of w.keyPositions) if (!k.startsWith('["include"')) mergePosition(keyPositions, k, v);
      for (const [k, v] of w.textPositions) if (!textPositions.has(k)) textPositions.set(k, v);
      if (!positions.has(pathKey([]))) positions.set(pathKey([]), { file: shown, line: 1, col: 1 });
    };
    if (positionsMerged) merge();
    else pending.push(merge);
  }
  function placed(): void {
    if (positionsMerged) return;
    positionsMerged = true;
    for (const merge of pending.splice(0)) merge();
  }

  const abs = path.resolve(file);
  let totalChars = 0;
  const root = realpathOrUndefined(path.dirname(abs)) ?? path.dirname(abs);
  const data = await readOne(abs, 0);

  const locate = (p: DataPath): SourcePosition => {
    placed();
    const exact = positions.get(pathKey(p));
    if (exact) return exact;
    // A missing field is reported at its parent's key ("letter:"), where it belongs.
    for (let n = p.length - 1; n >= 0; n--) {
      const k = pathKey(p.slice(0, n));
      const hit = keyPositions.get(k) ?? positions.get(k);
      if (hit) return hit;
    }
    return { file: show(abs), line: 1, col: 1 };
  };
  const locateKey = (p: DataPath) => {
    placed();
    return keyPositions.get(pathKey(p));
  };
  if (data && !diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...checkBudgets(data, locate));
  const locateText = (p: DataPath, offset: number) => {
    placed();
    return textPositions.get(pathKey(p))?.(offset) ?? locate(p);
  };
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { file: show(abs), data: failed ? undefined : data, files, bytes: files.map((_, i) => bytes[i]), diagnostics, locate, locateKey, locateText };
}

/** Text held in memory obeys the same size limit as a file read from disk. */
function memorySource(text: string, file: string): { text: string; warnings: Diagnostic[]; bytes?: Buffer } {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_SOURCE_BYTES) throw sourceTooLarge(file, size, 2);
  return { text, warnings: [] };
}

function mergeInto(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
  at: (string | number)[],
  diagnostics: Diagnostic[],
  positions: Map<string, SourcePosition>,
  extraKeys: Map<string, SourcePosition>,
  extraFile: string,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(extra)) {
    const here = [...at, key];
    if (!Object.hasOwn(base, key)) {
      base[key] = value;
      continue;
    }
    const old = base[key];
    if (isPlainObject(old) && isPlainObject(value)) {
      mergeInto(old, value, here, diagnostics, positions, extraKeys, extraFile);
      continue;
    }
    const first = positions.get(pathKey(here));
    diagnostics.push({
      severity: 'error',
      code: 'include.conflict',
      file: extraFile,
      ...extraKeys.get(pathKey(here)),
      path: here,
      message: `字段在多个文件中重复出现${first ? `（另见 ${first.file}:${first.line}:${first.col}）` : ''}；拆分的文件只能各写不同的字段`,
    });
  }
  return base;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/** Synchronous: node:fs/promises would be loaded for this one call, a few milliseconds of `validate`'s start-up. */
function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
