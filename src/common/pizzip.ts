/**
 * PizZip with its codecs tuned, for every module that reads or writes a zip (DOCX, packages):
 * import PizZip from here, not from 'pizzip', so the codecs are in place before the first zip.
 * - Reading: Node's zlib inflates instead of pako (JavaScript), several times faster. Inflating
 *   has one right answer, so the bytes read are the same.
 * - Writing: DEFLATE_MEMO, pako's own DEFLATE with each entry's result remembered
 *   (common/deflate-cache.ts): the same compressed bytes, so the zip is the one DEFLATE makes.
 *   pako stays the compressor because zlib builds differ in what they output.
 */
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import PizZip from 'pizzip';
import { memoDeflate } from './deflate-cache.js';

interface Compression {
  magic: string;
  compress(input: Uint8Array, options: { level?: number }): Uint8Array;
  uncompress(input: Uint8Array): Uint8Array;
  compressInputType: string | null;
  uncompressInputType: string | null;
}
const compressions = (PizZip as unknown as { compressions: Record<string, Compression> }).compressions;

/** pako's version as PizZip resolves it: part of what names a remembered deflate. */
function pakoVersion(): string {
  try {
    const require = createRequire(createRequire(import.meta.url).resolve('pizzip'));
    return (require('pako/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const DEFLATE_MEMO = 'DEFLATE_MEMO';
const MAX_PART_BYTES = 256 << 20;
if (!compressions[DEFLATE_MEMO]) {
  const deflate = compressions.DEFLATE!;
  const engine = `pako-${pakoVersion()}-raw`;
  compressions[DEFLATE_MEMO] = { ...deflate, compress: (input, options) => memoDeflate(`${engine}-${options.level ?? -1}`, input, (b) => deflate.compress(b, options)) };
  // A plain Uint8Array of exactly the part's bytes, as pako returned (PizZip treats a Buffer as
  // another kind of input, and hands out .buffer: zlib's chunk is larger). No part of a DOCX comes
  // near the cap; a zip bomb stops there instead of at the end of memory.
  deflate.uncompress = (input) => new Uint8Array(inflateRawSync(input, { maxOutputLength: MAX_PART_BYTES }));
  compressions[DEFLATE_MEMO].uncompress = deflate.uncompress;
}

export default PizZip;
