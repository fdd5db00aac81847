import { describe, it, expect } from 'vitest';
import PizZip from 'pizzip';
import { isolateJoinedUnits, joinUnbreakables } from '../../src/docx/keep.js';
import { exampleDocs } from '../pdf/helpers.js';

/**
 * What the DOCX carries so that a figure keeps its unit and a phone number its digits at a line
 * end (src/docx/keep.ts); the line ends themselves are read back from both PDFs in
 * test/pdf/text.test.ts (planted) and test/pdf/native.test.ts (every example).
 */
const WJ = '\u2060';
const show = (s: string) => s.replace(new RegExp(WJ, 'g'), '^');

describe('word joiners where a line must not break', () => {
  it('joins a phone number around its hyphen, a figure to its unit, and leaves other text alone', () => {
    expect(show(joinUnbreakables('联系电话：021-64872222，13800138001'))).toBe('联系电话：021^-^64872222，13800138001');
    expect(show(joinUnbreakables('沪漕开管〔2020〕27号'))).toBe('沪漕开管〔2020〕27^号');
    expect(show(joinUnbreakables('2021年7月15日'))).toBe('2021^年7^月15^日');
    expect(show(joinUnbreakables('经费8710万元，占1,850.00万元的0.05%'))).toBe('经费8710^万^元，占1,850.00^万^元的0.05%');
    expect(joinUnbreakables('第十四个五年规划')).toBe('第十四个五年规划');
    // Idempotent: a value rendered twice (a loop, a re-run) carries each joiner once.
    const once = joinUnbreakables('2022年2月15日，021-64872222');
    expect(joinUnbreakables(once)).toBe(once);
  });

  it('puts each joined figure and unit in a run of its own with the East Asian language en-US, keeping the run\'s properties', () => {
    const run = (t: string) => `<w:r><w:rPr><w:b/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;
    const out = isolateJoinedUnits(run(joinUnbreakables('资金8710万元到位')));
    const runs = [...out.matchAll(/<w:r>(.*?)<\/w:r>/g)].map((m) => m[1]!);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => show(/<w:t[^>]*>([^<]*)<\/w:t>/.exec(r)![1]!))).toEqual(['资金', '8710^万^元', '到位']);
    expect(runs[1]).toContain('<w:b/>');
    expect(runs[1]).toContain('<w:lang w:val="en-US" w:eastAsia="en-US"/>');
    expect(runs[0]).toContain('w:eastAsia="zh-CN"');
    // A run with a break or a tab inside is left whole.
    const mixed = `<w:r><w:t>8710${WJ}万</w:t><w:br/><w:t>元</w:t></w:r>`;
    expect(isolateJoinedUnits(mixed)).toBe(mixed);
  });

  it('writes them into every example document, each in its en-US run', async () => {
    let joined = 0;
    for (const d of await exampleDocs()) {
      const xml = new PizZip(d.bytes).file('word/document.xml')!.asText();
      for (const m of xml.matchAll(/<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t[^>]*>([^<]*)<\/w:t><\/w:r>/gs)) {
        if (!/[0-9]\u2060[\u3400-\u9fff]/.test(m[2]!)) continue;
        joined++;
        expect(m[1] ?? '', `${d.id}: ${show(m[2]!)}`).toContain('w:eastAsia="en-US"');
      }
    }
    expect(joined).toBeGreaterThan(100);
  });
});
