import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applicantJsonSchema, publishedJsonSchema, schemaUrl } from '../../src/schema/json-schema.js';

const examples = () => readdirSync('examples').filter((f) => f.endsWith('.yaml'));
/** Strict ajv, as an editor or a CI step would use it: unknown keywords, formats and union types are errors. */
const strictAjv = () => new Ajv({ strict: true, allErrors: true });

describe('committed JSON Schema', () => {
  it('matches the zod schema and the shipped rounds (run `npm run schema` after changing src/schema/applicant.ts or data/)', async () => {
    const committed = JSON.parse(readFileSync('schema/applicant.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(await publishedJsonSchema())));
  });

  it('gives editors the Chinese labels and the split-file include', () => {
    const s = applicantJsonSchema() as any;
    expect(s.properties.letter.properties.number.title).toBe('发文字号');
    expect(s.properties.include.title).toBe('引用文件');
    expect(s.required).toEqual(expect.arrayContaining(['program', 'category', 'applicant', 'letter', 'report', 'plan']));
  });

  it('is referenced by every example through yaml-language-server', () => {
    const files = examples();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const text = readFileSync(`examples/${f}`, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/applicant.schema.json');
    }
  });

  it('names its published address, the one `init` writes', () => {
    const s = JSON.parse(readFileSync('schema/applicant.schema.json', 'utf8'));
    expect(s.$id).toBe(schemaUrl());
    expect(schemaUrl()).toMatch(/^https:\/\/.*\/shenbao@\d+\.\d+\.\d+\/schema\/applicant\.schema\.json$/);
  });
});

describe('the schema in a standard validator (ajv, strict mode)', () => {
  const schema = JSON.parse(readFileSync('schema/applicant.schema.json', 'utf8'));

  it('compiles, and accepts every example as YAML loads it (dates stay strings)', () => {
    const validate = strictAjv().compile(schema);
    for (const f of examples()) {
      const data = parse(readFileSync(`examples/${f}`, 'utf8'));
      expect(validate(data) ? [] : validate.errors, f).toEqual([]);
    }
  });

  it('lists the allowed rounds, categories, kinds, indicator and condition codes', () => {
    expect(schema.properties.program.enum).toEqual(['2022-national', '2022-shanghai']);
    expect(schema.properties.category.enum).toEqual(expect.arrayContaining(['pilot-park', '试点园区', 'demo-district', '示范城区']));
    expect(schema.properties.applicant.properties.kind.enum).toContain('district_government');
    expect(schema.properties.conditions.propertyNames.enum).toContain('sh-demo-district-subject');
    const indicators = schema.properties.indicators.additionalProperties.propertyNames.enum as string[];
    expect(indicators).toContain('invention_patents');
    // Ratios are computed from their parts, never typed.
    expect(indicators).not.toContain('invention_patents_per_10k');
    expect(schema.properties.program.description).toMatch(/申报批次/);
  });

  it('rejects a wrong code where the tool would, naming the field', () => {
    const validate = strictAjv().compile(schema);
    const data = parse(readFileSync('examples/xuhui-demo-district.yaml', 'utf8'));
    const wrong = (patch: (d: any) => void) => {
      const d = structuredClone(data);
      patch(d);
      expect(validate(d)).toBe(false);
      return validate.errors!.map((e: { instancePath: string }) => e.instancePath).join(' ');
    };
    expect(wrong((d) => (d.program = '2023-shanghai'))).toContain('/program');
    expect(wrong((d) => (d.category = '示范城市群'))).toContain('/category');
    expect(wrong((d) => (d.applicant.kind = 'company'))).toContain('/applicant/kind');
    expect(wrong((d) => (d.indicators['2021'].invention_patentz = 1))).toContain('/indicators/2021');
    expect(wrong((d) => (d.conditions['no-such-condition'] = { met: true }))).toContain('/conditions');
  });
});
