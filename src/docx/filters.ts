import expressionsModule from 'docxtemplater/expressions.js';
import type { DXT } from 'docxtemplater';
import { chineseNumeral, describeGrowth, formatAmount, formatDate, formatGrowth, formatPercent, formatWan, thousands } from '../model/format.js';

/**
 * Filters for customised templates ({value | wan}, {cur | growth:prev}). The shipped templates
 * only place ready-made strings from the view model; these exist so a user who adds a raw figure
 * to a template formats it the same way the model does.
 */
/** A finite number from a figure or its text; NaN and infinities are not figures to format (they would print NaN% or Infinity). */
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.replace(/,/g, '')) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
/** Chinese numerals name integers up to 万亿 (below 10^16); beyond that, digits. */
const MAX_CHINESE_NUMERAL = 1e16;
const safe =
  (f: (n: number, ...a: never[]) => string) =>
  (v: unknown, ...args: unknown[]) => {
    const n = num(v);
    return n === undefined ? (v ?? '') : f(n, ...(args as never[]));
  };

export const FILTERS: Record<string, (input: unknown, ...args: unknown[]) => unknown> = {
  /** 1234567 → 1,234,567; {x | thousands:2} for two decimals */
  thousands: safe((n, d?: number) => thousands(n, d)),
  /** a count → 12.35万 / 3.2亿 */
  wan: safe((n) => formatWan(n)),
  /** an amount in 万元 → 1,250万元 / 1.25亿元 */
  amount: safe((n) => formatAmount(n)),
  /** a value in percent → 12.5% */
  percent: safe((n, d?: number) => formatPercent(n, d)),
  /** {current | growth:previous} → 12.5% */
  growth: (v, prev) => formatGrowth(num(prev), num(v)),
  /** {current | growthText:previous} → 增长12.5% */
  growthText: (v, prev) => describeGrowth(num(prev), num(v)),
  /** 12 → 十二 */
  cn: safe((n) => (Number.isSafeInteger(n) && Math.abs(n) < MAX_CHINESE_NUMERAL ? chineseNumeral(n) : thousands(n))),
  /** 2022-02-15 → 2022年2月15日 */
  date: (v) => (typeof v === 'string' ? formatDate(v) : (v ?? '')),
  /** a list → one string joined by 、 (or the given separator) */
  join: (v, sep) => (Array.isArray(v) ? v.join(typeof sep === 'string' ? sep : '、') : (v ?? '')),
};

export const FILTER_NAMES = Object.keys(FILTERS);

type ExpressionParser = typeof import('docxtemplater/expressions.js').default;
// The .d.ts declares an ES default export, but the file is CommonJS (module.exports = parser):
// under NodeNext the default import is module.exports itself.
const expressionParser = ((expressionsModule as { default?: ExpressionParser }).default ??
  expressionsModule) as unknown as ExpressionParser;

export function makeParser(): (tag: string) => DXT.Parser {
  return expressionParser.configure({ filters: FILTERS });
}
