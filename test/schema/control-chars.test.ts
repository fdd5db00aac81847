import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/schema/validate.js';

describe('control characters in values', () => {
  it('are reported where they were typed, with the field, and do not make the file invalid', async () => {
    const r = await validateFile('test/fixtures/hostile/control-chars.yaml');
    expect(r.ok).toBe(true);
    const w = r.diagnostics.filter((d) => d.code === 'rule.control-char');
    const name = w.find((d) => d.path?.join('.') === 'contact.name')!;
    expect(name.label).toBe('联系人');
    expect(name.line).toBeGreaterThan(1);
    expect(name.message).toContain('U+0001');
    expect(name.message).toContain('生成文件时将删除');
    expect(w.some((d) => d.path?.join('.') === 'report.overview')).toBe(true);
  });
});
