/**
 * The template checks remember on disk only templates that passed (src/docx/render.ts): a broken
 * template is refused every time with its reason, whatever the cache holds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTemplateFile } from '../../src/docx/render.js';

const ROOT = resolve(import.meta.dirname, '../..');
const cacheDir = mkdtempSync(join(tmpdir(), 'shenbao-tplcache-'));
// Read by the first check of this process: set before any.
process.env.SHENBAO_CACHE_DIR = cacheDir;
delete process.env.SHENBAO_CACHE;
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  delete process.env.SHENBAO_CACHE_DIR;
});

const entries = (): string[] => {
  try {
    return readdirSync(join(cacheDir, 'templates'));
  } catch {
    return [];
  }
};

describe('template checks remembered', () => {
  it('stores a verdict for a template that passed, and none for one that failed, which fails again', () => {
    const letter = readFileSync(join(ROOT, 'templates/2022-shanghai/letter.docx'));
    expect(checkTemplateFile(letter, 'letter.docx')).toBeUndefined();
    expect(entries()).toHaveLength(1);
    expect(checkTemplateFile(letter, 'letter.docx')).toBeUndefined();

    const zip = new PizZip(letter);
    zip.file('word/document.xml', zip.file('word/document.xml')!.asText().replace('</w:body>', '<w:p></w:body>'));
    const broken = zip.generate({ type: 'nodebuffer' });
    for (let i = 0; i < 2; i++) {
      const d = checkTemplateFile(broken, 'letter.docx');
      expect(d?.message).toContain('word/document.xml 不是格式正确的 XML');
    }
    expect(entries()).toHaveLength(1);
  });
});
