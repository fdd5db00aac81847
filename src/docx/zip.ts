import PizZip, { DEFLATE_MEMO } from '../common/pizzip.js';

/**
 * One fixed timestamp for every zip entry, built from local-time fields because the DOS time
 * in a zip header is local time: the same input gives the same bytes in every time zone.
 */
export const FIXED_ZIP_DATE = new Date(2022, 0, 1, 0, 0, 0);

/** Zip bytes with fixed entry dates and entries in a stable order. */
export function deterministicZip(zip: PizZip): Buffer {
  for (const name of Object.keys(zip.files)) {
    const entry = zip.files[name]!;
    (entry as { date: Date }).date = FIXED_ZIP_DATE;
  }
  return zip.generate({ type: 'nodebuffer', compression: DEFLATE_MEMO as 'DEFLATE', compressionOptions: { level: 6 } });
}
