/**
 * Family name (as the DOCX writes it) → a font file and face, in this order: the user's folder,
 * the system's font folders, then the free stand-ins listed in data/fonts.yaml. Every stand-in is
 * reported; the report is what `shenbao doctor` prints.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { basename, delimiter, dirname, join, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { UserError } from '../../common/diagnostics.js';
import { readFaces } from './sfnt.js';
import { compiledData } from '../../common/compiled.js';

export interface FontAliases {
  families: Record<string, { aliases: string[]; fallback: string[] }>;
  unknown: { eastAsia: string; latin: string };
  /** Free faces that install with `npm install`: npm package name → font files inside it. */
  bundled?: Record<string, string[]>;
  /**
   * Free faces published on npm only as web fonts split by unicode-range: npm package name → the
   * CSS files that map each range to a woff2 chunk. The chunks of one CSS serve as one face.
   */
  chunked?: Record<string, string[]>;
}

/** One woff2 file of a split web font and the code points it serves (sorted, inclusive ranges). */
export interface FontChunk {
  file: string;
  ranges: [number, number][];
}

export interface FaceRef {
  file: string;
  index: number;
  postscript?: string;
  /** The name the face was found under. */
  matched: string;
  bold: boolean;
  /** A face split into chunks (file is then the CSS that lists them). */
  chunks?: FontChunk[];
  /** The npm package the face came with, for stand-ins installed with shenbao. */
  package?: string;
}

export interface FontReport {
  /** The family the DOCX asks for, e.g. 仿宋_GB2312. */
  requested: string;
  /** The face that serves it; undefined when nothing at all was found. */
  file?: string;
  face?: string;
  /** Where it came from. */
  source?: 'user' | 'system' | 'fallback' | 'bundled';
  /** True when the face is not the requested family (a stand-in). */
  substitute: boolean;
  /** The npm package that brought the stand-in, when it came with shenbao. */
  package?: string;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve('.');
    dir = up;
  }
}

let aliasCache: FontAliases | undefined;
export function loadAliases(): FontAliases {
  if (!aliasCache) {
    const file = join(packageRoot(), 'data', 'fonts.yaml');
    aliasCache = compiledData<FontAliases>(file, 'fonts.json') ?? (parse(readFileSync(file, 'utf8')) as FontAliases);
  }
  return aliasCache;
}

/**
 * The system's font folders; SHENBAO_SYSTEM_FONT_DIRS (folders separated as in PATH) replaces
 * them, for fonts kept somewhere unusual, or none at all to see what a bare machine gets.
 */
export function systemFontDirs(): string[] {
  const fromEnv = process.env.SHENBAO_SYSTEM_FONT_DIRS;
  if (fromEnv !== undefined) return fromEnv.split(delimiter).filter(Boolean);
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return [join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts'), join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Microsoft', 'Windows', 'Fonts')];
    case 'darwin':
      return ['/Library/Fonts', '/System/Library/Fonts', '/System/Library/Fonts/Supplemental', join(home, 'Library', 'Fonts')];
    default:
      return ['/usr/share/fonts', '/usr/local/share/fonts', join(home, '.fonts'), join(home, '.local', 'share', 'fonts')];
  }
}

const key = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

interface Index {
  /** name key → faces (file order). */
  byName: Map<string, FaceRef[]>;
}

const FONT_FILE = /\.(ttf|otf|ttc)$/i;

/**
 * Font files under dir. A link to a font file is followed wherever it points (distributions link
 * fonts between packages), a link to a folder only within the tree that was asked for, and no
 * folder is read twice, so `--fonts /` or a link loop cannot send the walk through /proc or round in circles.
 */
function walk(dir: string, out: string[]): void {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return;
  }
  const seen = new Set<string>();
  const inTree = (p: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const visit = (real: string, depth: number): void => {
    if (depth > 6 || seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = readdirSync(real).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(real, e);
      let target: string;
      let st;
      try {
        target = realpathSync(p);
        st = statSync(target);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (inTree(target)) visit(target, depth + 1);
      }
      else if (st.isFile() && FONT_FILE.test(e)) out.push(p);
    }
  };
  visit(root, 0);
}

const indexCache = new Map<string, Index>();
function indexDirs(dirs: string[], explicitFiles: string[] = []): Index {
  const cacheKey = [...dirs, '', ...explicitFiles].join('\n');
  const hit = indexCache.get(cacheKey);
  if (hit) return hit;
  const byName = new Map<string, FaceRef[]>();
  const add = (name: string, ref: FaceRef): void => {
    const k = key(name);
    const list = byName.get(k) ?? [];
    list.push(ref);
    byName.set(k, list);
  };
  const groups = dirs.map((dir) => {
    const files: string[] = [];
    walk(dir, files);
    return files;
  });
  groups.push(explicitFiles);
  for (const files of groups) {
    for (const file of files) {
      const faces = readFaces(file);
      for (const f of faces) {
        const ref = (matched: string): FaceRef => ({ file, index: f.index, postscript: f.postscript, matched, bold: f.bold });
        // Italic faces answer only to their own PostScript and file names.
        if (!f.italic) for (const n of f.names) add(n, ref(n));
        // "Noto Serif CJK SC Bold" style keys for the bold face of a family.
        if (f.bold && !f.italic) for (const n of f.names) add(`${n} Bold`, ref(`${n} Bold`));
        if (f.postscript) add(f.postscript, ref(f.postscript));
        if (faces.length === 1) add(basename(file), ref(basename(file)));
      }
    }
  }
  // Prefer regular faces for a plain family name: a bold face is only first if nothing else has the name.
  const idx = { byName };
  indexCache.set(cacheKey, idx);
  return idx;
}

function lookup(index: Index, names: string[], preferBold = false): FaceRef | undefined {
  for (const n of names) {
    const list = index.byName.get(key(n));
    if (list?.length) {
      return list.find((f) => f.bold === preferBold) ?? list[0];
    }
  }
  return undefined;
}

/**
 * The stand-ins data/fonts.yaml lists under `bundled`, as files inside the npm packages installed
 * with shenbao; a package that is not installed (npm install --omit=optional, a trimmed copy) is
 * skipped, and the roles it served fall through to “not found”.
 */
export function bundledFontFiles(): string[] {
  const { bundled = {} } = loadAliases();
  const require = createRequire(import.meta.url);
  const files: string[] = [];
  for (const [pkg, list] of Object.entries(bundled)) {
    const dir = (require.resolve.paths(pkg) ?? []).map((d) => join(d, pkg)).find((d) => existsSync(d));
    if (!dir) continue;
    for (const f of list) if (existsSync(join(dir, f))) files.push(join(dir, f));
  }
  return files;
}

const hex = (s: string): number => parseInt(s, 16);

/**
 * The @font-face rules of a web font's CSS: family, weight, woff2 file and unicode-range. Only
 * what Fontsource-style and lxgw webfont CSS files write is understood: `url(...)` with a
 * relative path, `U+XXXX`, `U+XXXX-YYYY` and `U+4??` ranges.
 */
export function parseChunkedCss(cssFile: string): { family: string; bold: boolean; chunks: FontChunk[] }[] {
  const css = readFileSync(cssFile, 'utf8');
  const byFace = new Map<string, { family: string; bold: boolean; chunks: FontChunk[] }>();
  for (const m of css.matchAll(/@font-face\s*\{([^}]*)\}/g)) {
    const body = m[1]!;
    const family = /font-family:\s*['"]?([^;'"]+)['"]?/.exec(body)?.[1]?.trim();
    const url = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(body)?.[1];
    const range = /unicode-range:\s*([^;]+)/.exec(body)?.[1];
    if (!family || !url || !range || /font-style:\s*(italic|oblique)/.test(body)) continue;
    const bold = Number(/font-weight:\s*(\d+)/.exec(body)?.[1] ?? 400) >= 700;
    const ranges: [number, number][] = [];
    for (const part of range.split(',')) {
      const r = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
      if (!r) continue;
      if (r[1]!.includes('?')) ranges.push([hex(r[1]!.replace(/\?/g, '0')), hex(r[1]!.replace(/\?/g, 'f'))]);
      else ranges.push([hex(r[1]!), hex(r[2] ?? r[1]!)]);
    }
    const k = `${family}\n${bold}`;
    const face = byFace.get(k) ?? { family, bold, chunks: [] };
    face.chunks.push({ file: join(dirname(cssFile), url), ranges: ranges.sort((a, b) => a[0] - b[0]) });
    byFace.set(k, face);
  }
  return [...byFace.values()];
}

/** The CSS files of the split web fonts data/fonts.yaml lists under `chunked`, with their npm package. */
export function chunkedFontFiles(): { pkg: string; css: string }[] {
  const { chunked = {} } = loadAliases();
  const require = createRequire(import.meta.url);
  const out: { pkg: string; css: string }[] = [];
  for (const [pkg, list] of Object.entries(chunked)) {
    const dir = (require.resolve.paths(pkg) ?? []).map((d) => join(d, pkg)).find((d) => existsSync(d));
    if (!dir) continue;
    for (const f of list) if (existsSync(join(dir, f))) out.push({ pkg, css: join(dir, f) });
  }
  return out;
}

/** npm package a bundled file lies in (the folder after the last node_modules). */
function packageOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0 || i + 1 >= parts.length) return undefined;
  return parts[i + 1]!.startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
}

export interface ResolveOptions {
  /** A folder of fonts the user names (--fonts DIR); searched first. */
  fonts?: string;
  /** Replace the system folders (tests). */
  systemDirs?: string[];
  /** Leave out the stand-ins installed from npm (tests of what happens without them). */
  noBundled?: boolean;
}

export interface ResolvedFamily {
  report: FontReport;
  face?: FaceRef;
}

/** Canonical family for a name the DOCX uses (仿宋 → 仿宋_GB2312), or undefined if unknown. */
export function canonicalFamily(name: string): string | undefined {
  const { families } = loadAliases();
  if (families[name]) return name;
  const k = key(name);
  for (const [fam, def] of Object.entries(families)) if (def.aliases.some((a) => key(a) === k)) return fam;
  return undefined;
}

/**
 * The stand-ins installed from npm, indexed once per process: every document of a package or a
 * batch asks for them, and parsing the split web font's CSS (97 chunks of unicode ranges) cost
 * more than laying out a short letter.
 */
let bundledCache: Index | undefined;
function bundledIndex(): Index {
  if (bundledCache) return bundledCache;
  const idx = indexDirs([], bundledFontFiles());
  // A copy: the cached index of the files is shared with other lookups.
  const byName = new Map([...idx.byName].map(([k, v]) => [k, [...v]]));
  for (const { pkg, css } of chunkedFontFiles()) {
    for (const face of parseChunkedCss(css)) {
      if (!face.chunks.length) continue;
      const k = key(face.bold ? `${face.family} Bold` : face.family);
      byName.set(k, [...(byName.get(k) ?? []), { file: css, index: 0, matched: face.family, bold: face.bold, chunks: face.chunks, package: pkg }]);
    }
  }
  bundledCache = { byName };
  return bundledCache;
}

export class FontResolver {
  private readonly cache = new Map<string, ResolvedFamily>();
  private userIndex?: Index;
  private sysIndex?: Index;

  constructor(private readonly options: ResolveOptions = {}) {}

  private user(): Index | undefined {
    if (!this.options.fonts) return undefined;
    if (!this.userIndex) {
      let isDir = false;
      try {
        isDir = statSync(this.options.fonts).isDirectory();
      } catch {
        // reported below
      }
      // A mistyped --fonts would otherwise fall through to stand-ins without a word.
      if (!isDir) throw new UserError([{ severity: 'error', code: 'fonts.dir', file: this.options.fonts, message: `字体目录不存在或不是文件夹：${this.options.fonts}` }], 2);
    }
    this.userIndex ??= indexDirs([resolve(this.options.fonts)]);
    return this.userIndex;
  }
  private system(): Index {
    this.sysIndex ??= indexDirs(this.options.systemDirs ?? systemFontDirs());
    return this.sysIndex;
  }
  private bundled(): Index | undefined {
    if (this.options.noBundled) return undefined;
    return bundledIndex();
  }

  /** Resolve a family the DOCX names; `script` picks the default for names data/fonts.yaml does not know. */
  resolve(requested: string, script: 'eastAsia' | 'latin'): ResolvedFamily {
    const cacheKey = `${script}:${requested}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const aliases = loadAliases();
    const fam = canonicalFamily(requested);
    const names = fam ? [requested, ...aliases.families[fam]!.aliases] : [requested];
    let result: ResolvedFamily | undefined;
    for (const [source, index] of [['user', this.user()], ['system', this.system()]] as const) {
      if (!index) continue;
      const face = lookup(index, names);
      if (face) {
        result = { face, report: { requested, file: face.file, face: face.postscript ?? face.matched, source, substitute: false } };
        break;
      }
    }
    if (!result) {
      const fallbackFamily = fam ?? (script === 'eastAsia' ? aliases.unknown.eastAsia : aliases.unknown.latin);
      const fallback = aliases.families[fallbackFamily]?.fallback ?? [];
      const chain = fam ? fallback : [...(aliases.families[fallbackFamily]?.aliases ?? []), ...fallback];
      // The system's CJK fonts before the ones installed from npm: a machine that has Noto CJK
      // or the like set up has chosen them.
      for (const [source, index] of [['user', this.user()], ['system', this.system()], ['bundled', this.bundled()]] as const) {
        if (!index) continue;
        const face = lookup(index, chain, /bold/i.test(chain[0] ?? ''));
        if (face) {
          const report: FontReport = { requested, file: face.file, face: face.postscript ?? face.matched, source: source === 'system' ? 'fallback' : source, substitute: true };
          if (source === 'bundled') report.package = face.package ?? packageOf(face.file);
          result = { face, report };
          break;
        }
      }
    }
    result ??= { report: { requested, substitute: true } };
    this.cache.set(cacheKey, result);
    return result;
  }
}
