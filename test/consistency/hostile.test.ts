import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/index.js';
import { validateFile } from '../../src/schema/validate.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';

const dir = mkdtempSync(join(tmpdir(), 'shenbao-consistency-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const original = readFileSync(join(EXAMPLES_DIR, 'xuhui-demo-district.yaml'), 'utf8');

// Prose made of the pieces the reader looks for, in any order: names, numbers, units, years, claim words.
const token = fc.constantFrom(
  '有效发明专利', '每万人口发明专利拥有量', '质押融资', '占区一般公共预算支出的比例', '专利转让许可', '2019年', '2021年', '2024年', '至', '较', '由', '提高到',
  '年均增长', '三年累计', '同比增长', '翻一番', '分别为', '是2019年的', '倍', '新增', '均', '以上', '余', '、', '，', '。', '；', '\n', '23140', '1,234', '0.15', '十二',
  '三', '件', '万件', '亿元', '万元', '%', '家', '次', '—', '全市', '近三年', '（', '）', '😀', '〔2021〕',
);

describe('any prose', () => {
  it('is read without an exception, and every finding points inside the file (60 runs, fixed seed)', async () => {
    const lines = original.split('\n').length;
    const stats = { valid: 0, findings: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 120 }), async (tokens) => {
        const prose = tokens.join('').replace(/\n/g, '\n    ');
        const file = join(dir, 'p.yaml');
        writeFileSync(file, original.replace('  overview: |\n', `  overview: |\n    ${prose}\n\n`));
        const v = await validateFile(file);
        if (!v.ok) return;
        stats.valid++;
        const findings = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located).findings;
        const total = lines + prose.split('\n').length + 1;
        stats.findings += findings.length;
        for (const f of findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(total);
          expect(f.message).toMatch(/[\u4e00-\u9fff]/);
        }
      }),
      { numRuns: 60, seed: 20220218 },
    );
    // Not vacuous: the files were valid and the reader found things to report.
    expect(stats.valid).toBeGreaterThan(50);
    expect(stats.findings).toBeGreaterThan(0);
  }, 120_000);
});
