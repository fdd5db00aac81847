import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applicantJsonSchema } from '../../src/schema/json-schema.js';

describe('committed JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` after changing src/schema/applicant.ts)', () => {
    const committed = JSON.parse(readFileSync('schema/applicant.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(applicantJsonSchema())));
  });

  it('gives editors the Chinese labels and the split-file include', () => {
    const s = applicantJsonSchema() as any;
    expect(s.properties.letter.properties.number.title).toBe('发文字号');
    expect(s.properties.include.title).toBe('引用文件');
    expect(s.required).toEqual(expect.arrayContaining(['program', 'category', 'applicant', 'letter', 'report', 'plan']));
  });

  it('is referenced by every example through yaml-language-server', () => {
    const files = readdirSync('examples').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const text = readFileSync(`examples/${f}`, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/applicant.schema.json');
    }
  });
});
