/**
 * The office view in a real browser (Debian's chromium driven by playwright-core) over a copy of
 * examples/ with a second 示范园区 applicant (the examples alone never exceed a quota): every
 * example listed with the verdict `check` gives, a choice over a quota refused on screen with
 * nothing written, a valid choice written in the order set with the keyboard, and an applicant's
 * name opening its editor.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { readSelection } from '../../src/batch/summary.js';
import { validateFile, type ValidApplicant } from '../../src/schema/validate.js';
import { startEdit } from '../../src/edit/index.js';
import { UI_DIR, type EditServer } from '../../src/edit/server.js';
import { chromiumPath, launchChromium, noChromiumReason } from './chromium.js';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const exampleFiles = readdirSync(EXAMPLES).filter((n) => n.endsWith('.yaml')).sort();

const BUILT = existsSync(path.join(UI_DIR, 'app.js'));
const skipReason = !chromiumPath ? noChromiumReason : !BUILT ? '编辑器页面尚未构建（npm run build），跳过浏览器测试' : '';
if (skipReason) console.warn(`browser-office.test.ts: ${skipReason}`);

let dir: string;
let server: EditServer;
let browser: Browser;
let page: Page;
const SELECT = () => path.join(dir, '推荐名单.yaml');

const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
const choose = (id: string) => row(id).getByRole('checkbox');

describe.skipIf(Boolean(skipReason))('shenbao edit DIR in a browser: the office view', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'shenbao-office-browser-'));
    for (const n of exampleFiles) cpSync(path.join(EXAMPLES, n), path.join(dir, n));
    const doc = parseDocument(readFileSync(path.join(EXAMPLES, 'zhangjiang-demo-park.yaml'), 'utf8'));
    doc.setIn(['applicant', 'name'], '上海市北高新技术服务业园区管理委员会');
    doc.setIn(['applicant', 'short_name'], '市北高新园区');
    writeFileSync(path.join(dir, 'shibei-demo-park.yaml'), doc.toString());
    server = await startEdit(dir, { port: 0, version: 'test' });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('table').waitFor();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists every example with the verdict `check` gives, in a captioned table', async () => {
    await expect(page.getByRole('table').locator('caption').textContent()).resolves.toContain('申报单位（7 个）');
    for (const name of exampleFiles) {
      const c = await check(path.join(dir, name));
      const text = (await row(name).textContent()) ?? '';
      expect(text, name).toContain(c.applicant.applicant.applicant.name);
      expect(text, name).toContain(c.applicant.category.name);
      const verdict = c.evaluation.eligible ? '符合全部条件' : c.evaluation.counts.unmet ? '有不符合项' : c.evaluation.counts.pending ? '有待补充项' : '有待人工确认项';
      expect(text, name).toContain(verdict);
      expect(text, name).toContain(`符合 ${c.evaluation.counts.met}`);
    }
    // The quota summary per category.
    await expect(page.locator('section.quota[data-category="demo-park"] .quota-line').textContent()).resolves.toMatch(/^名额 1，已选 0/);
    // Sorting by category puts the round's categories in its own order (示范城区 first).
    await page.getByRole('button', { name: /申报类别/ }).click();
    expect(await page.locator('thead th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('tbody tr').first().getAttribute('data-id')).toBe('xuhui-demo-district.yaml');
  });

  it('refuses a choice over a category\'s quota on saving, says why, and writes nothing', async () => {
    await choose('zhangjiang-demo-park.yaml').check();
    await page.getByLabel('推荐上海市北高新技术服务业园区管理委员会').check();
    await expect(page.locator('section.quota[data-category="demo-park"] .quota-line').textContent()).resolves.toContain('名额 1，已选 2（超出名额）');
    await page.getByRole('button', { name: '保存推荐名单' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('示范园区推荐名额为 1 个，推荐名单选择了 2 个（张江高新区、市北高新园区），超出名额');
    expect(existsSync(SELECT())).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('推荐名单'))).toEqual([]);
  });

  it('writes a valid choice in the order set with the keyboard, as a list batch --select accepts', async () => {
    await choose('shibei-demo-park.yaml').uncheck();
    await choose('caohejing-pilot-park.yaml').check();
    await choose('lingang-long-name-pilot-park.yaml').focus();
    await page.keyboard.press('Space');
    // 临港 before 漕河泾 within 试点园区, by keyboard alone.
    const up = page.getByRole('button', { name: '上移 临港新片区' });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('section.quota[data-category="pilot-park"] ol li .name').allTextContents()).resolves.toEqual(['临港新片区', '漕河泾开发区']);
    await page.getByRole('button', { name: '保存推荐名单' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toContain(SELECT());
    expect(await page.getByRole('alert').count()).toBe(0);

    const entries: ValidApplicant[] = [];
    for (const n of [...exampleFiles, 'shibei-demo-park.yaml']) {
      const r = await validateFile(path.join(dir, n));
      if (r.ok) entries.push(r);
    }
    const sel = readSelection(SELECT(), entries);
    expect(sel.chosen.map((v) => v.applicant.applicant.short_name)).toEqual(['张江高新区', '临港新片区', '漕河泾开发区']);
  });

  it('opens an applicant\'s editor from its name, and comes back', async () => {
    // A choice not yet saved survives a look at one applicant.
    await choose('suzhou-demo-city.yaml').check();
    await row('xuhui-demo-district.yaml').getByRole('link', { name: '上海市徐汇区人民政府' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/applicant/'));
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toBe('#/applicant/xuhui-demo-district.yaml');
    // The editor's page names the applicant once it has loaded its file.
    await page.getByRole('heading', { level: 1, name: '上海市徐汇区人民政府' }).waitFor({ timeout: 15_000 });
    // And back to the office's table.
    await page.getByRole('link', { name: '← 返回申报单位汇总' }).click();
    await page.getByRole('table').waitFor();
    expect(await row('xuhui-demo-district.yaml').count()).toBe(1);
    expect(await choose('suzhou-demo-city.yaml').isChecked()).toBe(true);
    expect(await page.getByText('有未保存的更改').count()).toBe(1);
  });
});
