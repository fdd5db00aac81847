/**
 * The README's screenshots of `shenbao edit` (docs/editor.png, docs/office.png), taken by hand
 * after `npm run build`: `npx tsx tools/screenshots.ts`. Works on copies of examples/ in a temp
 * folder, so the examples are never written. Not part of the tests: a picture is for people.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/edit/chromium.js';
import { startEdit } from '../src/edit/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const docs = path.join(root, 'docs');

async function shot(target: string, file: string, prepare: (page: Page) => Promise<void>): Promise<void> {
  const server = await startEdit(target, { port: 0, version: 'screenshot' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(server.url);
    await prepare(page);
    await page.screenshot({ path: path.join(docs, file) });
    process.stdout.write(`已保存 docs/${file}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'shenbao-screenshots-'));
try {
  mkdirSync(docs, { recursive: true });
  for (const n of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'))) cpSync(path.join(root, 'examples', n), path.join(work, n));

  // The page shows the file as it was named: a short name, not the temp folder's.
  process.chdir(work);
  await shot('xuhui-demo-district.yaml', 'editor.png', async (page) => {
    const number = page.locator('[id="field-letter.number"]');
    await number.waitFor();
    await page.locator('#preview-frame').waitFor();
    // A located error, as an official would see one: at its field, in the problems list.
    await number.fill('徐府[2022]8号');
    await page.locator('[id="field-letter.number"][aria-invalid="true"]').waitFor();
    await page.evaluate(() => document.getElementById('field-letter')?.scrollIntoView());
    await page.waitForTimeout(1500);
  });

  await shot('.', 'office.png', async (page) => {
    await page.getByRole('table').first().waitFor();
    await page.waitForTimeout(500);
  });
} finally {
  process.chdir(root);
  rmSync(work, { recursive: true, force: true });
}
