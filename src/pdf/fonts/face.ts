/**
 * Loaded faces with their metrics (fontkit over the original file, so layout measures exactly
 * what will be embedded), and the choice of face for each character: Hanzi and full-width
 * punctuation from the eastAsia family, the rest from the Latin family, then any other loaded
 * face that has the glyph. A character no face has is reported, never dropped.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { diskCache, type DiskCache } from '../../common/cache.js';
import { VERSION } from '../../common/version.js';
import type { FaceRef, FontChunk, FontReport, ResolveOptions } from './resolve.js';
import { FontResolver, loadAliases } from './resolve.js';

interface FkFont {
  unitsPerEm: number;
  postscriptName: string;
  ascent: number;
  descent: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number; id: number };
  getFont?(name: string): FkFont;
  fonts?: FkFont[];
}

/**
 * What a face answers about characters, kept for the life of the process with the fontkit font it
 * wraps: whether it has a glyph and its advance, looked up in fontkit's cmap once per character,
 * not once per character per document. The answers are also kept on disk between runs
 * (saveFaceMetrics), with the face's ascent, descent and PostScript name: a fresh process that
 * lays out text it has laid out before then never parses the font file (a 26 MB collection, or
 * WOFF2 chunks to decompress), which was a tenth of a one-package run.
 */
class Metrics {
  private readonly hasCache = new Map<number, boolean>();
  private readonly widths = new Map<number, number>();
  private fk?: FkFont;
  readonly ascent: number;
  readonly descent: number;
  private psName?: string;
  /** Answers learned since the disk copy was read or written. */
  dirty = false;
  constructor(
    private readonly open: () => FkFont,
    readonly diskKey?: string,
    stored?: StoredMetrics,
  ) {
    if (stored) {
      this.ascent = stored.ascent;
      this.descent = stored.descent;
      this.psName = stored.ps;
      for (const cp of stored.has) this.hasCache.set(cp, true);
      for (const cp of stored.not) this.hasCache.set(cp, false);
      for (let i = 0; i + 1 < stored.w.length; i += 2) this.widths.set(stored.w[i]!, stored.w[i + 1]!);
    } else {
      const font = this.font;
      this.ascent = font.ascent / font.unitsPerEm;
      this.descent = font.descent / font.unitsPerEm;
      this.dirty = true;
    }
  }
  private get font(): FkFont {
    this.fk ??= this.open();
    return this.fk;
  }
  get postscriptName(): string {
    this.psName ??= this.font.postscriptName ?? '';
    return this.psName;
  }
  has(cp: number): boolean {
    let h = this.hasCache.get(cp);
    if (h === undefined) {
      h = this.font.hasGlyphForCodePoint(cp);
      this.hasCache.set(cp, h);
      this.dirty = true;
    }
    return h;
  }
  advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      const font = this.font;
      w = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
      this.widths.set(cp, w);
      this.dirty = true;
    }
    return w;
  }
  stored(): StoredMetrics {
    const has: number[] = [];
    const not: number[] = [];
    for (const [cp, h] of this.hasCache) (h ? has : not).push(cp);
    const w: number[] = [];
    for (const [cp, adv] of this.widths) w.push(cp, adv);
    return { v: METRICS_FORMAT, ascent: this.ascent, descent: this.descent, ps: this.postscriptName, has, not, w };
  }
}

/** A face's answers as kept on disk: JSON numbers read back as the same doubles, so layout does not change. */
interface StoredMetrics {
  v: number;
  ascent: number;
  descent: number;
  ps: string;
  has: number[];
  not: number[];
  /** Code point, advance in em, code point, advance … */
  w: number[];
}
const METRICS_FORMAT = 1;
const METRICS_CACHE_BYTES = 16 << 20;
let metricsDisk: DiskCache | undefined | null = null;
let fontkitVersion: string | undefined;

/**
 * Names the face by its file (path, size, time, and a digest of its first 4 KB, which holds the
 * table directory with each table's checksum: another font copied over it with the same size and
 * time is still another key) and by what measures it (fontkit's version and shenbao's).
 */
function metricsKey(ref: FaceRef): string | undefined {
  try {
    const fd = openSync(ref.file, 'r');
    let head: Buffer;
    let st: ReturnType<typeof fstatSync>;
    try {
      st = fstatSync(fd);
      head = Buffer.alloc(Math.min(4096, st.size));
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    fontkitVersion ??= (createRequire(import.meta.url)('@pdf-lib/fontkit/package.json') as { version: string }).version;
    const digest = createHash('sha256').update(head).digest('hex').slice(0, 32);
    return ['metrics', METRICS_FORMAT, VERSION, fontkitVersion, ref.file, st.size, st.mtimeMs, digest, ref.index, ref.postscript ?? ''].join('\n');
  } catch {
    return undefined;
  }
}

function readStoredMetrics(key: string): StoredMetrics | undefined {
  if (metricsDisk === null) metricsDisk = diskCache('metrics', METRICS_CACHE_BYTES);
  const bytes = metricsDisk?.get(key);
  if (!bytes) return undefined;
  try {
    const s = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')) as StoredMetrics;
    const numbers = (xs: unknown): boolean => Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (s.v !== METRICS_FORMAT || typeof s.ps !== 'string' || !Number.isFinite(s.ascent) || !Number.isFinite(s.descent) || !numbers(s.has) || !numbers(s.not) || !numbers(s.w)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/**
 * Writes what the faces learned in this process to the disk cache: called after each document,
 * it writes only faces that met new characters, so a run over text seen before writes nothing.
 * Two processes writing the same face leave one of their copies, each a correct subset.
 */
export function saveFaceMetrics(): void {
  for (const m of faceCache.values()) {
    if (!m.dirty || !m.diskKey) continue;
    m.dirty = false;
    if (metricsDisk === null) metricsDisk = diskCache('metrics', METRICS_CACHE_BYTES);
    metricsDisk?.set(m.diskKey, Buffer.from(JSON.stringify(m.stored()), 'utf8'));
  }
}

export class Face {
  readonly used = new Set<number>();
  readonly ascent: number;
  readonly descent: number;
  private readonly metrics: Metrics;
  constructor(
    readonly id: string,
    readonly ref: FaceRef,
    metrics: Metrics,
  ) {
    this.metrics = metrics;
    this.ascent = metrics.ascent;
    this.descent = metrics.descent;
  }
  get postscript(): string {
    return this.metrics.postscriptName || this.ref.postscript || 'Font';
  }
  has(cp: number): boolean {
    return this.metrics.has(cp);
  }
  /** Advance in em. */
  advance(cp: number): number {
    return this.metrics.advance(cp);
  }
  /** The face that draws cp: this one, or for a split face the chunk that has it. */
  forChar(cp: number): Face | undefined {
    return this.has(cp) ? this : undefined;
  }
}

/**
 * A face split into woff2 chunks by unicode-range (a web font package): the family as the layout
 * sees it, with each character drawn by the chunk whose range holds it. Only the chunks a
 * document uses are read, each is a face of its own (subset and embedded separately), and the
 * family's ascent and descent are the first chunk's (the chunks are cut from one font).
 */
class ChunkedFace extends Face {
  private readonly chunkFaces = new Map<string, Face | null>();
  constructor(
    id: string,
    ref: FaceRef,
    private readonly chunks: FontChunk[],
    private readonly register: (face: Face) => void,
  ) {
    super(id, ref, openFace({ ...ref, file: chunkFor(chunks, 0x4e00)?.file ?? chunks[0]!.file, chunks: undefined }));
  }
  override get postscript(): string {
    return this.ref.matched;
  }
  override has(cp: number): boolean {
    return this.forChar(cp) !== undefined;
  }
  override advance(cp: number): number {
    return this.forChar(cp)?.advance(cp) ?? 0;
  }
  override forChar(cp: number): Face | undefined {
    const chunk = chunkFor(this.chunks, cp);
    if (!chunk) return undefined;
    let face = this.chunkFaces.get(chunk.file);
    if (face === undefined) {
      try {
        const ref: FaceRef = { ...this.ref, file: chunk.file, chunks: undefined };
        face = new Face(`${chunk.file}#0`, ref, openFace(ref));
        this.register(face);
      } catch {
        face = null;
      }
      this.chunkFaces.set(chunk.file, face);
    }
    return face?.has(cp) ? face : undefined;
  }
}

function chunkFor(chunks: FontChunk[], cp: number): FontChunk | undefined {
  for (const c of chunks) {
    const r = c.ranges;
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < r[mid]![0]) hi = mid - 1;
      else if (cp > r[mid]![1]) lo = mid + 1;
      else return c;
    }
  }
  return undefined;
}

const fileCache = new Map<string, ArrayBuffer>();
const faceCache = new Map<string, Metrics>();

/** Outline and bitmap tables: the bulk of a font file, and nothing metrics need. */
const OUTLINE_TABLES = new Set(['CFF ', 'CFF2', 'glyf', 'EBDT', 'CBDT', 'sbix', 'SVG ']);
const SPARSE_FROM = 4 << 20;

/**
 * The font file as fontkit will read it for metrics. A large font (a 26 MB Noto CJK collection)
 * is read table by table into a buffer of the file's size, leaving out the outline tables: the
 * cmap, hmtx, vmtx and name tables are about 1 MB of it, and fontkit reads outlines only to
 * draw or, when a face has no vmtx, to derive vertical metrics, so such a face is read whole.
 * Untouched pages of the zero-filled buffer cost no memory. HarfBuzz reads the whole file itself.
 */
function metricsBuffer(file: string): ArrayBuffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const ab = new ArrayBuffer(size);
    const all = new Uint8Array(ab);
    const read = (offset: number, length: number): void => {
      const len = Math.max(0, Math.min(length, size - offset));
      let done = 0;
      while (done < len) {
        const n = readSync(fd, all, offset + done, len - done, offset + done);
        if (n <= 0) break;
        done += n;
      }
    };
    if (size <= SPARSE_FROM) {
      read(0, size);
      return ab;
    }
    const view = new DataView(ab);
    read(0, 12);
    const faces: number[] = [];
    if (size >= 12 && view.getUint32(0) === 0x74746366 /* ttcf */) {
      const count = view.getUint32(8);
      read(12, count * 4);
      for (let i = 0; i < count; i++) faces.push(view.getUint32(12 + i * 4));
    } else faces.push(0);
    for (const off of faces) {
      if (off + 12 > size) continue;
      read(off, 12);
      const numTables = view.getUint16(off + 4);
      read(off + 12, numTables * 16);
      let vertical = false;
      const tables: [string, number, number][] = [];
      for (let t = 0; t < numTables; t++) {
        const rec = off + 12 + t * 16;
        if (rec + 16 > size) break;
        const tag = String.fromCharCode(all[rec]!, all[rec + 1]!, all[rec + 2]!, all[rec + 3]!);
        if (tag === 'vmtx') vertical = true;
        tables.push([tag, view.getUint32(rec + 8), view.getUint32(rec + 12)]);
      }
      for (const [tag, offset, length] of tables) if (!vertical || !OUTLINE_TABLES.has(tag)) read(offset, length);
    }
    return ab;
  } finally {
    closeSync(fd);
  }
}

function openFace(ref: FaceRef): Metrics {
  const k = `${ref.file}#${ref.index}`;
  const hit = faceCache.get(k);
  if (hit) return hit;
  const open = (): FkFont => {
    let buf = fileCache.get(ref.file);
    if (!buf) {
      buf = metricsBuffer(ref.file);
      fileCache.set(ref.file, buf);
    }
    const fk = fontkit as unknown as { create(b: ArrayBuffer, ps?: string): FkFont };
    const isCollection = buf.byteLength >= 4 && new DataView(buf).getUint32(0) === 0x74746366;
    // fontkit's bundled Buffer copies a Uint8Array byte by byte (150 ms for a 26 MB .ttc) but wraps an ArrayBuffer.
    let font = fk.create(buf, isCollection ? ref.postscript : undefined);
    if (font.fonts && !('unitsPerEm' in font && font.unitsPerEm)) font = font.fonts[ref.index]!;
    return font;
  };
  const key = metricsKey(ref);
  const metrics = new Metrics(open, key, key === undefined ? undefined : readStoredMetrics(key));
  faceCache.set(k, metrics);
  return metrics;
}

/** U+2018–U+201D, —, …, · are set in the Hanzi face, as Word does for zh-CN text. */
export function isEastAsian(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff) || cp === 0x2014 || cp === 0x2015 || cp === 0x2026 || (cp >= 0x2018 && cp <= 0x201d) || cp === 0x00b7 ||
    cp === 0x2025 || cp === 0x3000 || (cp >= 0x2460 && cp <= 0x24ff) || (cp >= 0x2160 && cp <= 0x217f)
  );
}

export interface MissingChar {
  char: string;
  where: string;
}

export class FontSet {
  readonly resolver: FontResolver;
  private readonly faces = new Map<string, Face>();
  private readonly split = new Map<string, Face>();
  private readonly byFamily = { eastAsia: new Map<string, Face | undefined>(), latin: new Map<string, Face | undefined>() };
  readonly reports = new Map<string, FontReport>();
  readonly missing: MissingChar[] = [];

  constructor(options: ResolveOptions = {}) {
    this.resolver = new FontResolver(options);
  }

  family(name: string, script: 'eastAsia' | 'latin'): Face | undefined {
    const known = this.byFamily[script];
    const hit = known.get(name);
    if (hit || known.has(name)) return hit;
    const r = this.resolver.resolve(name, script);
    if (!this.reports.has(name)) this.reports.set(name, r.report);
    let face: Face | undefined;
    if (r.face) {
      const id = `${r.face.file}#${r.face.index}`;
      face = this.faces.get(id) ?? this.split.get(id);
      if (!face) {
        try {
          if (r.face.chunks) {
            // Not in `faces`: the writer embeds its chunks, which register themselves as they are used.
            face = new ChunkedFace(id, r.face, r.face.chunks, (f) => this.faces.set(f.id, f));
            this.split.set(id, face);
          } else {
            face = new Face(id, r.face, openFace(r.face));
            this.faces.set(id, face);
          }
        } catch {
          face = undefined;
        }
      }
    }
    known.set(name, face);
    return face;
  }

  /** The face a character is drawn in, or undefined (reported) when no face has it. */
  pick(cp: number, latin: string, eastAsia: string, where: (offset: number) => string, offset: number): Face | undefined {
    const ea = isEastAsian(cp);
    const first = ea ? this.family(eastAsia, 'eastAsia') : this.family(latin, 'latin');
    const inFirst = first?.forChar(cp);
    if (inFirst) return inFirst;
    const second = ea ? this.family(latin, 'latin') : this.family(eastAsia, 'eastAsia');
    const inSecond = second?.forChar(cp);
    if (inSecond) return inSecond;
    for (const f of this.faces.values()) if (f.has(cp)) return f;
    // Last resort: the standard stand-ins, even if the document does not name them.
    for (const fam of ['宋体', '黑体', 'Times New Roman']) {
      const f = this.family(fam, fam === 'Times New Roman' ? 'latin' : 'eastAsia')?.forChar(cp);
      if (f) return f;
    }
    this.missing.push({ char: String.fromCodePoint(cp), where: where(offset) });
    return first ?? second;
  }

  allFaces(): Face[] {
    return [...this.faces.values()];
  }
}

/**
 * Loads every family data/fonts.yaml knows (the shipped templates use all of them) ahead of the
 * first document: the font index and their metrics. A batch worker calls it while the main thread
 * is still validating the applicants. HarfBuzz's copy of a file (a 64 MB wasm instance and a
 * 26 MB read) waits until a subset is not in the cache (harfbuzz.ts): a batch run again needs none.
 */
export function prewarmFonts(options: ResolveOptions = {}): void {
  const set = new FontSet(options);
  for (const fam of Object.keys(loadAliases().families)) set.family(fam, fam === loadAliases().unknown.latin ? 'latin' : 'eastAsia');
}
