import { describe, it, expect } from 'vitest';
import {
  chineseNumeral,
  describeGrowth,
  formatAmount,
  formatDate,
  formatDeadline,
  formatGrowth,
  formatPercent,
  formatWan,
  headingNumber,
  thousands,
} from '../../src/model/format.js';
import { hanziWidth } from '../../src/model/build.js';
import { signerLayout } from '../../src/model/layout.js';

describe('chineseNumeral', () => {
  it.each([
    [0, '零'], [1, '一'], [10, '十'], [11, '十一'], [15, '十五'], [20, '二十'], [21, '二十一'], [99, '九十九'],
    [100, '一百'], [105, '一百零五'], [110, '一百一十'], [1001, '一千零一'], [10000, '一万'], [10010, '一万零一十'],
    [20000, '二万'], [100000000, '一亿'],
  ])('%i → %s', (n, s) => expect(chineseNumeral(n)).toBe(s));
});

describe('dates', () => {
  it('has no zero padding (GB/T 9704)', () => {
    expect(formatDate('2022-02-15')).toBe('2022年2月15日');
    expect(formatDate('2021-12-01')).toBe('2021年12月1日');
    expect(formatDate('2023-06')).toBe('2023年6月');
  });
  it('reads a bare year as a deadline at year end', () => {
    expect(formatDeadline('2024')).toBe('2024年底');
    expect(formatDeadline('2023-06')).toBe('2023年6月');
  });
});

describe('numbers', () => {
  it('groups thousands', () => {
    expect(thousands(1234567)).toBe('1,234,567');
    expect(thousands(1234.5, 2)).toBe('1,234.50');
    expect(thousands(-9876543)).toBe('-9,876,543');
    expect(thousands(999)).toBe('999');
  });
  it('writes amounts in 万元 and 亿元', () => {
    expect(formatAmount(1250)).toBe('1,250万元');
    expect(formatAmount(12500)).toBe('1.25亿元');
    expect(formatAmount(20000)).toBe('2亿元');
    expect(formatAmount(35000, '元')).toBe('3.5万元');
  });
  it('writes large counts with 万 and 亿', () => {
    expect(formatWan(9999)).toBe('9,999');
    expect(formatWan(123456)).toBe('12.35万');
    expect(formatWan(320000000)).toBe('3.2亿');
  });
  it('writes percentages', () => {
    expect(formatPercent(0.062, 3)).toBe('0.062%');
    expect(formatPercent(12.5)).toBe('12.5%');
    expect(formatPercent(10)).toBe('10%');
  });
});

describe('growth', () => {
  it('is relative to the previous year', () => {
    expect(formatGrowth(100, 112.5)).toBe('12.5%');
    expect(formatGrowth(100, 96.8)).toBe('-3.2%');
    expect(formatGrowth(3488, 4012)).toBe('15.0%');
  });
  it('is a dash without a usable base', () => {
    expect(formatGrowth(0, 5)).toBe('—');
    expect(formatGrowth(undefined, 5)).toBe('—');
  });
  it('reads as prose', () => {
    expect(describeGrowth(100, 112.5)).toBe('增长12.5%');
    expect(describeGrowth(100, 96.8)).toBe('下降3.2%');
    expect(describeGrowth(100, 100)).toBe('持平');
  });
});

describe('heading numbers', () => {
  it('follow 一、（一）1.（1）', () => {
    expect(headingNumber(1, 3)).toBe('三、');
    expect(headingNumber(2, 12)).toBe('（十二）');
    expect(headingNumber(3, 2)).toBe('2.');
    expect(headingNumber(4, 1)).toBe('（1）');
  });
});

describe('signature', () => {
  it('measures Latin digits as half a Hanzi', () => {
    expect(hanziWidth('2022年2月15日')).toBe(6.5);
  });
  it('centres a name of up to 14.5 Hanzi over the date and sets a longer one flush right', () => {
    // The date's centre is 4 + 6.5 / 2 = 7.25 Hanzi from the right edge: a centred name may be 14.5 wide.
    expect(signerLayout('上海市徐汇区人民政府')).toBe('centred');
    expect(signerLayout('上海市漕河泾新兴技术开发区发展总')).toBe('right');
    expect(signerLayout('上海张江高新技术产业开发区管理委员会')).toBe('right');
  });
});
