/**
 * Writes templates/<round>/*.docx from tools/templates.ts and templates/common/*.docx (the
 * package and batch documents) from tools/common-templates.ts, so the shipped templates are
 * reviewable as code and reproducible byte for byte. Run: npm run templates
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAllTemplates } from './templates.js';
import { buildCommonTemplates } from './common-templates.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = resolve(process.argv[2] ?? join(root, 'templates'));

for (const [round, files] of Object.entries({ ...buildAllTemplates(), common: buildCommonTemplates() })) {
  const dir = join(outRoot, round);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    writeFileSync(join(dir, name), bytes);
    console.log(`${join(dir, name)}  ${bytes.length} 字节`);
  }
}
