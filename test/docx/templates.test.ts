import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintTemplate, lintTemplates } from '../../src/docx/lint.js';
import { shippedTemplatesDir } from '../../src/docx/render.js';
import { buildAllTemplates, ROUNDS } from '../../tools/templates.js';
import { programs } from '../fixtures/docx/fixture.js';
import { setPart } from './helpers.js';
import PizZip from 'pizzip';

const shipped = (round: string, file: string) => readFileSync(join(shippedTemplatesDir(), round, file));

describe('shipped templates', () => {
  it('are exactly what tools/build-templates.ts generates (run `npm run templates` after editing it)', () => {
    const built = buildAllTemplates();
    for (const [round, files] of Object.entries(built)) {
      for (const [name, bytes] of Object.entries(files)) expect(shipped(round, name).equals(bytes), `${round}/${name}`).toBe(true);
    }
    expect(Object.keys(built)).toEqual(Object.keys(ROUNDS));
  });

  it('carry GB/T 9704 geometry and no theme fonts', () => {
    const xml = (part: string) => {
      return new PizZip(shipped('2022-shanghai', 'report.docx')).file(part)!.asText();
    };
    const doc = xml('word/document.xml');
    expect(doc).toContain('<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
    expect(doc).toContain('<w:docGrid w:type="lines" w:linePitch="579"/>');
    expect(doc).toContain('<w:tblHeader/>');
    const styles = xml('word/styles.xml');
    expect(styles).toMatch(/w:styleId="Normal".*<w:spacing w:val="-5"\/>/);
    expect(styles).not.toMatch(/Theme=/);
    expect(styles).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    expect(xml('word/footer2.xml')).toContain('PageNumberEven');
  });

  it('pass lint for every round', () => {
    for (const round of Object.keys(ROUNDS)) expect(lintTemplates(undefined, programs[round]!), round).toEqual([]);
  });
});

describe('lintTemplates', () => {
  it('names a misspelt tag, inside loops too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lint-'));
    writeFileSync(join(dir, 'letter.docx'), setPart(shipped('2022-shanghai', 'letter.docx'), 'word/document.xml', (x) => x.replace(/\{signer\}/g, '{singer}')));
    writeFileSync(join(dir, 'report.docx'), setPart(shipped('2022-shanghai', 'report.docx'), 'word/document.xml', (x) => x.replace('{line}', '{lines}')));
    const d = lintTemplates(dir, programs['2022-shanghai']!);
    const errors = d.filter((x) => x.severity === 'error');
    expect(errors.map((x) => [x.code, x.received])).toEqual([
      // The 署名 paragraph comes twice (centred over the date, or flush right): each misspelling is named.
      ['lint.unknown-tag', 'singer'],
      ['lint.unknown-tag', 'singer'],
      ['lint.unused-required', 'signer'],
      ['lint.unknown-tag', 'lines'],
    ]);
    expect(errors[0]!.message).toContain('letter.docx');
    expect(errors[0]!.message).toContain('{singer}');
    expect(errors[3]!.message).toContain('conditions › evidence');
    // plan.docx is not in the folder: the shipped one is used, which is only worth a warning.
    expect(d.find((x) => x.code === 'lint.template-missing')?.severity).toBe('warning');
  });

  it('accepts filters, members and outer-scope fields in loops', () => {
    const t = setPart(shipped('2022-shanghai', 'letter.docx'), 'word/document.xml', (x) =>
      x.replace('{closing}', '{closing}{year | cn}{#attachments}{signer}{name | join}{/attachments}'),
    );
    expect(lintTemplate(t, 'letter', 'letter.docx')).toEqual([]);
  });

  it('reports syntax errors with the file and the tag', () => {
    const t = setPart(shipped('2022-shanghai', 'letter.docx'), 'word/document.xml', (x) => x.replace('{#body}', '{#bodies}'));
    const d = lintTemplate(t, 'letter', 'letter.docx');
    expect(d[0]).toMatchObject({ severity: 'error', file: 'letter.docx' });
    expect(d.map((x) => x.message).join()).toMatch(/bod/);
  });
});
