/**
 * HarfBuzz subsetting (hb-subset, the wasm build harfbuzzjs ships) with the source face kept
 * loaded between calls: a 26 MB .ttc is copied into wasm memory once per process, not once per
 * document. hb_face_create takes the face index, so a .ttc face needs no extraction.
 */
import { diskCache, type DiskCache } from '../../common/cache.js';
import { UserError } from '../../common/diagnostics.js';
import { readFileSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface HbExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_data(b: number, len: number): number;
  hb_blob_get_length(b: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_unicode_set(i: number): number;
  hb_subset_input_set(i: number, which: number): number;
  hb_subset_input_get_flags(i: number): number;
  hb_subset_input_set_flags(i: number, f: number): void;
  hb_set_add(s: number, v: number): void;
  hb_set_clear(s: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_NAME_ID = 4;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
const HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4;
const SUBSET_FLAGS = HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE;

const wasmPath = (): string => createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
let wasmModule: WebAssembly.Module | undefined;
function newInstance(): HbExports {
  wasmModule ??= new WebAssembly.Module(readFileSync(wasmPath()));
  const exports = new WebAssembly.Instance(wasmModule, {}).exports as unknown as HbExports;
  exports._initialize();
  return exports;
}

/**
 * harfbuzzjs's wasm memory is fixed at 64 MB and one Noto CJK collection is 20–27 MB, so each
 * face gets its own wasm instance (the module is compiled once) and stays loaded for the life of
 * the process: a batch or a package reads each font file once, not once per document. The file
 * is read straight into wasm memory, asynchronously, on libuv's thread pool, when a subset is
 * not in the cache.
 * The least recently used faces are dropped beyond MAX_LOADED.
 */
interface Loaded {
  hb: HbExports;
  face: number;
  ready: Promise<void>;
}
/** A font the engine cannot embed is the user's to replace (often a damaged file in --fonts): say which, in Chinese. */
function fontError(file: string, what: string): UserError {
  return new UserError([{ severity: 'error', code: 'pdf.font-subset', file, message: `字体 ${file} ${what}；请从字体目录中移除或换用其他字体文件，可用 shenbao doctor 查看各字体的来源` }], 2);
}

const MAX_LOADED = 6;
const loaded = new Map<string, Loaded>();

/**
 * wawoff2's decompress answers with a view into its own wasm heap, which its next call reuses:
 * with subsets made side by side, two chunks whose files were read in the same tick were
 * decompressed before the first was copied out, and HarfBuzz got the second chunk's bytes twice
 * (hb_subset then failed on a face whose data had changed under it, in about half the runs of
 * `package` with the npm Kai). One call at a time, each result copied before the next starts.
 */
let woff2Queue: Promise<unknown> = Promise.resolve();
export function decompressWoff2(bytes: Uint8Array): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const decompress = require('wawoff2/decompress.js') as (b: Uint8Array) => Promise<Uint8Array>;
  const run = woff2Queue.then(async () => (await decompress(bytes)).slice());
  woff2Queue = run.catch(() => undefined);
  return run;
}

/** A woff2 file (a chunk of a split web font) as the OpenType font HarfBuzz reads. */
async function readWoff2Into(file: string, hb: HbExports): Promise<{ ptr: number; size: number }> {
  let sfnt: Uint8Array;
  try {
    sfnt = await decompressWoff2(await readFile(file));
  } catch {
    throw fontError(file, '无法解压（WOFF2 文件可能已损坏）');
  }
  const ptr = hb.malloc(sfnt.length);
  if (!ptr) throw fontError(file, '字体文件过大，无法子集化');
  new Uint8Array(hb.memory.buffer, ptr, sfnt.length).set(sfnt);
  return { ptr, size: sfnt.length };
}

async function readInto(file: string, hb: HbExports): Promise<{ ptr: number; size: number }> {
  if (/\.woff2$/i.test(file)) return readWoff2Into(file, hb);
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const ptr = hb.malloc(size);
    if (!ptr) throw fontError(file, '字体文件过大，无法子集化');
    let done = 0;
    while (done < size) {
      // The memory cannot grow (it is at its maximum), so this view stays valid during the read.
      const { bytesRead } = await fh.read(new Uint8Array(hb.memory.buffer, ptr + done, size - done), 0, size - done, done);
      if (bytesRead <= 0) break;
      done += bytesRead;
    }
    return { ptr, size: done };
  } finally {
    await fh.close();
  }
}

function entryFor(file: string, index: number): Loaded {
  const k = `${file}#${index}`;
  const hit = loaded.get(k);
  if (hit) {
    loaded.delete(k);
    loaded.set(k, hit);
    return hit;
  }
  const hb = newInstance();
  const entry: Loaded = { hb, face: 0, ready: Promise.resolve() };
  entry.ready = readInto(file, hb).then(({ ptr, size }) => {
    const blob = hb.hb_blob_create(ptr, size, HB_MEMORY_MODE_WRITABLE, 0, 0);
    entry.face = hb.hb_face_create(blob, index);
    hb.hb_blob_destroy(blob);
  });
  // Reported when the face is subset; a prefetch nobody awaits must not be an unhandled rejection.
  entry.ready.catch(() => undefined);
  loaded.set(k, entry);
  // Dropping the last reference to an instance frees its memory.
  while (loaded.size > MAX_LOADED) loaded.delete(loaded.keys().next().value!);
  return entry;
}

/**
 * Subsets already made, in this process and on disk: HarfBuzz spends 10–40 ms on a CJK face per
 * document, and the same document (a package built again after a change elsewhere, the page
 * numbering of a bound set, a batch re-run) asks for the same characters of the same file. The
 * key is everything the bytes depend on: HarfBuzz's build, the flags, the font file (path,
 * size and modification time), the face and the code points.
 */
const SUBSET_CACHE_BYTES = 256 << 20;
const MEMORY_SUBSETS = 64;
const memorySubsets = new Map<string, Uint8Array>();
let disk: DiskCache | undefined | null = null;
let hbVersion: string | undefined;

function subsetKey(file: string, index: number, codePoints: number[]): string | undefined {
  try {
    const st = statSync(file);
    if (hbVersion === undefined) {
      // The wasm file itself stands for HarfBuzz's version (the package does not export its package.json).
      const wasm = statSync(wasmPath());
      hbVersion = `${wasm.size}:${wasm.mtimeMs}`;
    }
    return ['subset-1', hbVersion, SUBSET_FLAGS, file, st.size, st.mtimeMs, index, codePoints.join(',')].join('\n');
  } catch {
    return undefined;
  }
}

/**
 * A plain OpenType font holding only the given code points (plus .notdef), with the name table
 * kept and no layout features: our layout places every glyph itself.
 */
export async function subsetFace(file: string, index: number, codePoints: Iterable<number>): Promise<Uint8Array> {
  const cps = [...codePoints];
  const key = subsetKey(file, index, cps);
  if (key === undefined) return makeSubset(file, index, cps);
  const inMemory = memorySubsets.get(key);
  if (inMemory) return inMemory.slice();
  if (disk === null) disk = diskCache('subsets', SUBSET_CACHE_BYTES);
  let bytes = disk?.get(key);
  if (!bytes) {
    bytes = await makeSubset(file, index, cps);
    disk?.set(key, bytes);
  }
  memorySubsets.set(key, bytes);
  while (memorySubsets.size > MEMORY_SUBSETS) memorySubsets.delete(memorySubsets.keys().next().value!);
  return bytes.slice();
}

async function makeSubset(file: string, index: number, codePoints: number[]): Promise<Uint8Array> {
  const entry = entryFor(file, index);
  await entry.ready;
  const { hb: h, face } = entry;
  const input = h.hb_subset_input_create_or_fail();
  if (!input) throw fontError(file, '无法开始子集化');
  try {
    const unicodes = h.hb_subset_input_unicode_set(input);
    for (const cp of codePoints) h.hb_set_add(unicodes, cp);
    // No GSUB/GPOS features: the PDF shows the glyph each code point maps to.
    h.hb_set_clear(h.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
    const nameIds = h.hb_subset_input_set(input, HB_SUBSET_SETS_NAME_ID);
    for (const id of [0, 1, 2, 3, 4, 5, 6]) h.hb_set_add(nameIds, id);
    // Desubroutinized CFF: a few hundred glyphs of a 65,000-glyph CJK face use a small part of its
    // subroutines, so flattening them is both faster (no subroutine closure and renumbering) and
    // smaller than keeping them. (Dropping the vertical metrics as well is slower: fontkit then
    // computes each glyph's vertical metrics from its outline when pdf-lib embeds the subset.)
    h.hb_subset_input_set_flags(input, h.hb_subset_input_get_flags(input) | SUBSET_FLAGS);
    const subset = h.hb_subset_or_fail(face, input);
    if (!subset) throw fontError(file, `无法子集化第 ${index} 个字形（字体文件可能已损坏）`);
    const blob = h.hb_face_reference_blob(subset);
    const ptr = h.hb_blob_get_data(blob, 0);
    const len = h.hb_blob_get_length(blob);
    const out = new Uint8Array(h.memory.buffer).slice(ptr, ptr + len);
    h.hb_blob_destroy(blob);
    h.hb_face_destroy(subset);
    if (!len) throw fontError(file, `第 ${index} 个字形子集为空（字体文件可能已损坏）`);
    return out;
  } finally {
    h.hb_subset_input_destroy(input);
  }
}
