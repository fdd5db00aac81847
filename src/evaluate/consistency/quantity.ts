import { roundHalfUp } from '../../common/format.js';

/**
 * Quantities as districts write them in prose: 23,140件, 15.96万件, 20.56亿元, 三家, 十二项,
 * 5—8家, 4200余家, 0.15%以上, 34.1%. Units are split into a base (件, 元, %) and a scale
 * (万, 亿) so 亿元 and 万元 compare.
 */

export type Qualifier = 'exact' | 'min' | 'max' | 'approx';

export interface Quantity {
  /** Offsets in the scanned text: the number's first character and the end of its unit. */
  start: number;
  end: number;
  /** As written, in the written unit (20.56 for 20.56亿元); `high` for a range. */
  value: number;
  high?: number;
  /** Decimal places written: the precision a comparison rounds to. */
  decimals: number;
  base: string;
  /** Multiplier of the written unit over its base (1e8 for 亿元). */
  scale: number;
  /** The unit as written (亿元, 万件, %). */
  unit: string;
  qualifier: Qualifier;
}

const ZH_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 十二 → 12, 两百零五 → 205, 三 → 3; undefined for anything else. */
export function parseChineseNumeral(s: string): number | undefined {
  if (!s) return undefined;
  let total = 0;
  let digit: number | undefined;
  for (const ch of s) {
    // 零 only marks a skipped place (两百零五).
    if ((ch === '零' || ch === '〇') && total > 0 && digit === undefined) continue;
    if (ch in ZH_DIGIT) {
      if (digit !== undefined) return undefined;
      digit = ZH_DIGIT[ch];
    } else if (ch in ZH_UNIT) {
      total += (digit ?? 1) * ZH_UNIT[ch]!;
      digit = undefined;
    } else return undefined;
  }
  return total + (digit ?? 0);
}

/** Written unit → base and scale. Groups of words that count the same thing share a base. */
const UNITS: [string, string, number][] = [
  ['亿元', '元', 1e8],
  ['万元', '元', 1e4],
  ['千元', '元', 1e3],
  ['元', '元', 1],
  ['万件', '件', 1e4],
  ['件', '件', 1],
  ['万项', '件', 1e4],
  ['项', '件', 1],
  ['万人次', '人次', 1e4],
  ['人次', '人次', 1],
  ['万人', '人', 1e4],
  ['人', '人', 1],
  ['万次', '次', 1e4],
  ['次', '次', 1],
  ['家次', '家次', 1],
  ['万家', '家', 1e4],
  ['家', '家', 1],
  ['个', '家', 1],
  ['%', '%', 1],
  ['％', '%', 1],
  ['个百分点', '百分点', 1],
  ['倍', '倍', 1],
  ['名', '名', 1],
  ['位', '名', 1],
];

/** The base and scale of an indicator's unit from the catalogue (件, 万元, 万人, %, 名). */
export function unitOf(unit: string): { base: string; scale: number } | undefined {
  const u = UNITS.find(([w]) => w === unit);
  return u ? { base: u[1], scale: u[2] } : undefined;
}

const NUM = String.raw`\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+`;
const UNIT_ALT = UNITS.map(([w]) => w.replace('%', '%')).sort((a, b) => b.length - a.length).join('|');
const QUANTITY = new RegExp(
  String.raw`(?:(超过|高于|逾|突破|不低于|不少于|不到|不足|低于|近|约|接近)\s*)?(${NUM})(?:\s*(?:—|－|-|~|～|至|到)\s*(${NUM}))?(余|多)?(${UNIT_ALT})(以上|以内|以下|左右)?`,
  'g',
);

function parseNumber(s: string): { value: number; decimals: number } | undefined {
  if (/^[\d,，.]+$/.test(s)) {
    const plain = s.replace(/[,，]/g, '');
    const dot = plain.indexOf('.');
    return { value: Number(plain), decimals: dot < 0 ? 0 : plain.length - dot - 1 };
  }
  const v = parseChineseNumeral(s);
  return v === undefined ? undefined : { value: v, decimals: 0 };
}

/** Every quantity in `text`, in order. Years (2021年) and ordinals (第一) are not quantities. */
export function findQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  for (const m of text.matchAll(QUANTITY)) {
    const [whole, pre, n1, n2, more, unit, post] = m;
    const numStart = m.index! + whole.indexOf(n1!, pre?.length ?? 0);
    const before = text[numStart - 1] ?? '';
    // 第一名, 十四五, a number glued to a Latin code (ISO9001): not amounts.
    if (before === '第' || /[A-Za-z0-9.]/.test(before)) continue;
    const a = parseNumber(n1!);
    if (!a) continue;
    const b = n2 ? parseNumber(n2) : undefined;
    const [, base, scale] = UNITS.find(([w]) => w === unit)!;
    let qualifier: Qualifier = 'exact';
    if (more || post === '以上' || pre === '超过' || pre === '高于' || pre === '逾' || pre === '突破' || pre === '不低于' || pre === '不少于') qualifier = 'min';
    else if (post === '以内' || post === '以下' || pre === '不到' || pre === '不足' || pre === '低于') qualifier = 'max';
    else if (pre === '近' || pre === '约' || pre === '接近' || post === '左右') qualifier = 'approx';
    out.push({
      start: numStart,
      end: m.index! + whole.length - (post?.length ?? 0),
      value: a.value,
      high: b?.value,
      decimals: Math.max(a.decimals, b?.decimals ?? 0),
      base,
      scale,
      unit: unit!,
      qualifier,
    });
  }
  return out;
}


/**
 * Whether a figure from the table (already in the written unit) reads as the written one: equal
 * at the written precision (rounded, or cut off as some write it), inside a range, or on the
 * right side of 以上 / 以内; 约 and 近 allow 5%.
 */
export function agrees(q: Pick<Quantity, 'value' | 'high' | 'decimals' | 'qualifier'>, actual: number): boolean {
  const eps = 1e-9 * Math.max(1, Math.abs(actual));
  if (q.high !== undefined) return actual >= q.value - eps && actual <= q.high + eps;
  const step = 10 ** -q.decimals;
  switch (q.qualifier) {
    case 'min':
      return actual >= q.value - eps;
    case 'max':
      return actual <= q.value + eps;
    case 'approx':
      return Math.abs(actual - q.value) <= Math.max(0.05 * Math.abs(q.value), step / 2) + eps;
    default:
      return Math.abs(roundHalfUp(actual, q.decimals) - q.value) < step / 2 || Math.abs(Math.trunc(actual / step + 1e-9) * step - q.value) < step / 2;
  }
}

/** The table's figure shown at the written precision, for messages (23,140 → 23140, 205600万元 → 20.56). */
export function showAt(v: number, decimals: number): string {
  return roundHalfUp(v, decimals).toFixed(decimals);
}
