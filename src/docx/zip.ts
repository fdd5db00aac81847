import { createRequire } from 'node:module';
import PizZip from 'pizzip';
import { memoDeflate } from '../common/deflate-cache.js';

/**
 * One fixed timestamp for every zip entry, built from local-time fields because the DOS time
 * in a zip header is local time: the same input gives the same bytes in every time zone.
 */
export const FIXED_ZIP_DATE = new Date(2022, 0, 1, 0, 0, 0);

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

/**
 * PizZip's own DEFLATE (pako), each entry's result remembered (common/deflate-cache.ts): the
 * same method byte and the same compressed bytes, so the zip is the one DEFLATE makes.
 */
const MEMO = 'DEFLATE_MEMO';
if (!compressions[MEMO]) {
  const deflate = compressions.DEFLATE!;
  const engine = `pako-${pakoVersion()}-raw`;
  compressions[MEMO] = { ...deflate, compress: (input, options) => memoDeflate(`${engine}-${options.level ?? -1}`, input, (b) => deflate.compress(b, options)) };
}

/** Zip bytes with fixed entry dates and entries in a stable order. */
export function deterministicZip(zip: PizZip): Buffer {
  for (const name of Object.keys(zip.files)) {
    const entry = zip.files[name]!;
    (entry as { date: Date }).date = FIXED_ZIP_DATE;
  }
  return zip.generate({ type: 'nodebuffer', compression: MEMO as 'DEFLATE', compressionOptions: { level: 6 } });
}
