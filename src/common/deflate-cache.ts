/**
 * Deflated bytes remembered by what was deflated: a package built again from the same data
 * deflates the same fonts, PDFs and DOCX parts, byte for byte, and deflating is a fifth of
 * building it (pako, the zip's compressor, is JavaScript). The result is whatever the compressor
 * gave the first time, so the output keeps its bytes; the key names the compressor and its
 * version, and a self-check (its output for a fixed sample) that changes with its behaviour.
 * Small inputs are deflated again (hashing them costs about as much); large ones are also kept
 * on disk (src/common/cache.ts).
 */
import { createHash } from 'node:crypto';
import { diskCache, type DiskCache } from './cache.js';

const MIN_BYTES = 8 << 10;
const DISK_MIN_BYTES = 16 << 10;
const MEMORY_BYTES = 64 << 20;
const DISK_BYTES = 256 << 20;

const memory = new Map<string, Uint8Array>();
let memoryBytes = 0;
let disk: DiskCache | undefined | null = null;
const engines = new Map<string, string>();

/** A sample with repeats at several distances: enough to tell two deflate implementations apart. */
function sample(): Uint8Array {
  const out = new Uint8Array(16 << 10);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = i % 97 < 40 ? out[Math.max(0, i - 300)]! : x >> 23;
  }
  return out;
}

/**
 * `compress(input)`, or what it gave for the same input before. `engine` names the compressor
 * and its settings (e.g. "pako-2.1.0-raw-6"); `compress` must be a pure function of its input.
 */
export function memoDeflate(engine: string, input: Uint8Array, compress: (input: Uint8Array) => Uint8Array): Uint8Array {
  if (input.length < MIN_BYTES) return compress(input);
  let id = engines.get(engine);
  if (id === undefined) {
    id = `${engine}:${createHash('sha256').update(compress(sample())).digest('hex').slice(0, 16)}`;
    engines.set(engine, id);
  }
  const key = `deflate-1\n${id}\n${createHash('sha256').update(input).digest('hex')}`;
  const hit = memory.get(key);
  if (hit) return hit.slice();
  if (input.length >= DISK_MIN_BYTES) {
    if (disk === null) disk = diskCache('deflate', DISK_BYTES);
    const stored = disk?.get(key);
    if (stored) return remember(key, stored);
  }
  const out = compress(input);
  if (input.length >= DISK_MIN_BYTES) disk?.set(key, out);
  return remember(key, out);
}

function remember(key: string, bytes: Uint8Array): Uint8Array {
  memory.set(key, bytes);
  memoryBytes += bytes.length;
  while (memoryBytes > MEMORY_BYTES && memory.size > 1) {
    const [k, v] = memory.entries().next().value!;
    memory.delete(k);
    memoryBytes -= v.length;
  }
  return bytes.slice();
}
