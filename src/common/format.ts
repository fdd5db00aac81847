/**
 * Number and date wording shared by every stage that speaks to people (check reasons, view
 * models, summaries), so a figure reads the same in the checklist and in the report.
 */

/** 1234567.891 → "1,234,567.89"; trailing zeros kept to the given decimals. */
export function formatNumber(n: number, decimals = 0): string {
  const fixed = roundHalfUp(n, decimals).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const digits = sign ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${sign}${grouped}.${frac}` : `${sign}${grouped}`;
}

/** Percent value (already ×100) with fixed decimals: (0.0625, 3) → "0.063%"; rounded half up like every figure. */
export function formatPercent(value: number, decimals = 2): string {
  return `${formatNumber(value, decimals)}%`;
}

/**
 * An indicator's figure as the documents' tables print it (the unit is in its own column): a
 * percent without its sign and without trailing zeros, 1,850 and not 1,850.00 (decimals only
 * where the figure has them, so large sums fit their column). The check's findings quote figures
 * through it too, so a finding and the table it points at read alike.
 */
export function formatIndicator(ind: { kind?: string; decimals?: number } | undefined, value: number | undefined): string {
  if (value === undefined) return '—';
  if (!Number.isFinite(value)) return '';
  const decimals = ind?.decimals ?? 0;
  if (ind?.kind === 'percent') return trimZeros(roundHalfUp(value, decimals).toFixed(decimals));
  return formatNumber(value, Number.isInteger(value) ? 0 : decimals);
}

/** "12.50" → "12.5", "3.00" → "3": a figure's decimals only as far as it has them. */
export function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** toFixed rounds 1.005 down (binary floats); official figures are rounded half up. */
export function roundHalfUp(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((n + Number.EPSILON * Math.sign(n)) * f) / f;
}

/** "2022-02-15" → "2022年2月15日" (GB/T 9704: Arabic numerals, no zero padding); "2023-06" → "2023年6月". */
export function formatDateZh(iso: string): string {
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(iso.trim());
  if (!m) {
    const y = /^(\d{4})$/.exec(iso.trim());
    return y ? `${y[1]}年` : iso;
  }
  const [, y, mo, d] = m;
  return d ? `${y}年${Number(mo)}月${Number(d)}日` : `${y}年${Number(mo)}月`;
}

/** Code-unit order: the same on every machine, whatever its locale or ICU data. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Width of a string in Hanzi on the 3号 grid: printable ASCII (Latin letters, digits, half-width
 * marks) counts half. Used to decide line fits (titles, 署名) before any font is at hand.
 */
export function hanziWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\x20-\x7e]/.test(ch) ? 0.5 : 1;
  return w;
}

/** Hanzi on one line of the GB/T 9704 type area (28 × 22 grid). */
export const LINE_HANZI = 28;

/**
 * Heading levels the documents number (一、（一）1.（1））; deeper headings have no number or
 * style left. The report's 工作总结 sits under its 一、 part, so its sections start at the
 * second level. Validation (schema/rules.ts), the report's model (model/build.ts) and the
 * editor's section tree agree through these.
 */
export const HEADING_LEVELS = 4;
export const SUMMARY_FIRST_LEVEL = 2;
