/**
 * Formatting rules shared by every view model and by the template filters, so a figure is
 * written the same way whether the model computed it or a user's customised template did.
 */

import { formatNumber, roundHalfUp, trimZeros } from '../common/format.js';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const SMALL_UNITS = ['', '十', '百', '千'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

function fourDigits(n: number): string {
  // n in 0..9999, written with internal zeros collapsed (一千零五, 一百一十).
  let out = '';
  let zero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + SMALL_UNITS[pos]!;
  }
  return out;
}

/** 1 → 一, 10 → 十, 15 → 十五, 21 → 二十一, 105 → 一百零五, 20000 → 二万. */
export function chineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 0) return String(value);
  if (value === 0) return '零';
  const groups: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 10000)) groups.push(n % 10000);
  let out = '';
  let needZero = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      needZero = out.length > 0;
      continue;
    }
    if (out && (needZero || g < 1000)) out += '零';
    out += fourDigits(g) + BIG_UNITS[i]!;
    needZero = false;
  }
  // 一十 → 十 at the start (十五, not 一十五), as written in headings and dates.
  return out.startsWith('一十') ? out.slice(1) : out;
}

export { formatDateZh as formatDate } from '../common/format.js';
import { formatDateZh as formatDate } from '../common/format.js';

/** "2023-06" → "2023年6月", "2023" → "2023年底" (a deadline given as a year means its end). */
export function formatDeadline(value: string): string {
  if (/^\d{4}$/.test(value.trim())) return `${value.trim()}年底`;
  return formatDate(value);
}

/** 1234567.5 → "1,234,567.5"; decimals fixed when given. */
export function thousands(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return '';
  // One rounding rule (half up) for every figure the tool prints, checklist and report alike.
  return decimals === undefined ? trimZeros(formatNumber(value, 4)) : formatNumber(value, decimals);
}

/**
 * An amount held in 万元: below 1亿 as "1,250万元", from 1亿 up as "1.25亿元" (two decimals,
 * trailing zeros dropped). `unit: '元'` converts from yuan first.
 */
export function formatAmount(value: number, unit: '万元' | '元' = '万元'): string {
  if (!Number.isFinite(value)) return '';
  const wan = unit === '元' ? value / 10000 : value;
  if (Math.abs(wan) >= 10000) return `${trimZeros((wan / 10000).toFixed(2))}亿元`;
  return `${thousands(roundHalfUp(wan, 2))}万元`;
}

/** A large count: 123456 → "12.35万", 3.2e8 → "3.2亿", below 1万 with thousands separators. */
export function formatWan(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Math.abs(value) >= 1e8) return `${trimZeros((value / 1e8).toFixed(2))}亿`;
  if (Math.abs(value) >= 1e4) return `${trimZeros((value / 1e4).toFixed(2))}万`;
  return thousands(value);
}

/** A value already in percent: 0.062 → "0.062%", 12.5 → "12.5%". */
export function formatPercent(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return '';
  return `${trimZeros(roundHalfUp(value, decimals).toFixed(decimals))}%`;
}

/** Growth from `previous` to `current` in percent, or undefined when it has no meaning. */
export function growthRate(previous: number | undefined, current: number | undefined): number | undefined {
  if (previous === undefined || current === undefined || previous === 0) return undefined;
  return ((current - previous) / Math.abs(previous)) * 100;
}

/** Growth as printed in a table: "12.5%", "-3.2%", "—" when undefined (no base year or base 0). */
export function formatGrowth(previous: number | undefined, current: number | undefined, decimals = 1): string {
  const g = growthRate(previous, current);
  if (g === undefined) return '—';
  // Fixed decimals: a column of growth rates reads 22.0%, 17.9%, not 22%, 17.9%.
  const s = g.toFixed(decimals);
  return `${/^-0(\.0*)?$/.test(s) ? s.slice(1) : s}%`;
}

/** Growth in prose: "增长12.5%", "下降3.2%", "持平". */
export function describeGrowth(previous: number | undefined, current: number | undefined, decimals = 1): string {
  const g = growthRate(previous, current);
  if (g === undefined) return '';
  const rounded = Number(g.toFixed(decimals));
  if (rounded === 0) return '持平';
  return `${rounded > 0 ? '增长' : '下降'}${trimZeros(Math.abs(g).toFixed(decimals))}%`;
}

/** Heading numbers of GB/T 9704 practice, by level 1–4 and 1-based index: 一、（一）1.（1）. */
export function headingNumber(level: number, index: number): string {
  switch (level) {
    case 1:
      return `${chineseNumeral(index)}、`;
    case 2:
      return `（${chineseNumeral(index)}）`;
    case 3:
      return `${index}.`;
    default:
      return `（${index}）`;
  }
}

/**
 * Characters XML 1.0 forbids: a value carrying them would make Word refuse the file. Lone
 * surrogates (a YAML "\uD800" escape) count too: written out they become invalid UTF-8.
 */
// eslint-disable-next-line no-control-regex
export { XML_INVALID } from '../common/xml.js';
