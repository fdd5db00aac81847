import { describe, expect, it } from 'vitest';
import { agrees, findQuantities, parseChineseNumeral } from '../../src/evaluate/consistency/quantity.js';

const read = (text: string) => findQuantities(text).map((q) => ({ text: text.slice(q.start, q.end), value: q.value, high: q.high, unit: q.unit, decimals: q.decimals, qualifier: q.qualifier }));

describe('quantities as districts write them', () => {
  it('thousands separators, 万 and 亿, decimals', () => {
    expect(read('有效发明专利23,140件，有效注册商标15.96万件，质押融资20.56亿元')).toEqual([
      { text: '23,140件', value: 23140, high: undefined, unit: '件', decimals: 0, qualifier: 'exact' },
      { text: '15.96万件', value: 15.96, high: undefined, unit: '万件', decimals: 2, qualifier: 'exact' },
      { text: '20.56亿元', value: 20.56, high: undefined, unit: '亿元', decimals: 2, qualifier: 'exact' },
    ]);
  });

  it('Chinese numerals for small counts, ranges and 以上 / 余 / 近', () => {
    expect(read('新增三家，完成十二项，新设5—8家，服务4200余家次，占比0.15%以上，近2000人次')).toEqual([
      { text: '三家', value: 3, high: undefined, unit: '家', decimals: 0, qualifier: 'exact' },
      { text: '十二项', value: 12, high: undefined, unit: '项', decimals: 0, qualifier: 'exact' },
      { text: '5—8家', value: 5, high: 8, unit: '家', decimals: 0, qualifier: 'exact' },
      { text: '4200余家次', value: 4200, high: undefined, unit: '家次', decimals: 0, qualifier: 'min' },
      { text: '0.15%', value: 0.15, high: undefined, unit: '%', decimals: 2, qualifier: 'min' },
      { text: '2000人次', value: 2000, high: undefined, unit: '人次', decimals: 0, qualifier: 'approx' },
    ]);
  });

  it('years, ordinals and plan names are not quantities', () => {
    expect(read('2021年第一名，“十四五”规划，ISO9001')).toEqual([]);
  });

  it('Chinese numerals', () => {
    expect([parseChineseNumeral('十二'), parseChineseNumeral('两百零五'), parseChineseNumeral('三'), parseChineseNumeral('二十'), parseChineseNumeral('十')]).toEqual([12, 205, 3, 20, 10]);
    expect(parseChineseNumeral('三三')).toBeUndefined();
  });
});

describe('a stated figure agrees with the table at the precision written', () => {
  const q = (value: number, decimals: number, qualifier: 'exact' | 'min' | 'max' | 'approx' = 'exact', high?: number) => ({ value, decimals, qualifier, high });
  it('rounded (or cut off) at the written decimals', () => {
    expect(agrees(q(34.1, 1), 34.066)).toBe(true);
    expect(agrees(q(34.07, 2), 34.066)).toBe(true);
    expect(agrees(q(207.5, 1), 207.53)).toBe(true);
    expect(agrees(q(207.5, 1), 207.56)).toBe(true); // cut off, as some districts write
    expect(agrees(q(207.5, 1), 207.66)).toBe(false);
    expect(agrees(q(34.2, 1), 34.066)).toBe(false);
    expect(agrees(q(23140, 0), 23410)).toBe(false);
  });
  it('以上, 以内, ranges and 约', () => {
    expect(agrees(q(200, 0, 'min'), 248)).toBe(true);
    expect(agrees(q(300, 0, 'min'), 248)).toBe(false);
    expect(agrees(q(60, 0, 'max'), 75)).toBe(false);
    expect(agrees(q(220, 0, 'exact', 230), 227)).toBe(true);
    expect(agrees(q(230, 0, 'exact', 240), 227)).toBe(false);
    expect(agrees(q(2000, 0, 'approx'), 1950)).toBe(true);
    expect(agrees(q(2000, 0, 'approx'), 1500)).toBe(false);
  });
});
