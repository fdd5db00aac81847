/**
 * The editor in a real browser (issue 13, "Done when"), one flow over a copy of the 徐汇 example:
 * a wrong 发文字号 is shown at its field within a second, corrected and saved with every comment
 * kept; the preview's PDF (fetched from the URL the page uses) shows the new value, and a report
 * section added in the form; the problems list takes the keyboard to the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startEdit } from '../../src/edit/index.js';
import type { EditorState } from '../../src/edit/protocol.js';
import type { EditServer } from '../../src/edit/server.js';
import { pdfPagesText } from '../pdf-text.js';
import { chromiumPath, launchChromium, noChromiumReason } from './chromium.js';

const EXAMPLE = 'examples/xuhui-demo-district.yaml';
/** A field by its data path (ids contain dots, which CSS would read as classes). */
const field = (path: string) => `[id="field-${path}"]`;

/** Every comment of a YAML file: whole-line comments and those after a value. */
function comments(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /(?:^|\s)(#.*)$/.exec(l)?.[1]?.trim())
    .filter((c): c is string => !!c);
}

describe.skipIf(!chromiumPath)(chromiumPath ? 'shenbao edit: the applicant editor in chromium' : noChromiumReason, () => {
  let dir: string;
  let file: string;
  let server: EditServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-edit-ui-'));
    file = join(dir, 'xuhui.yaml');
    copyFileSync(EXAMPLE, file);
    server = await startEdit(file, { port: 0, version: 'test', uiDir: 'dist/edit/ui' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector(field('letter.number'), { timeout: 15_000 });
    // The first preview (fonts loaded, the engine warmed up) is there before anyone types.
    await page.waitForSelector('#preview-frame', { timeout: 20_000 });
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The preview's PDF text, once the preview shows at least `revision`, fetched from the page's own URL. */
  async function previewText(minRevision: number, material: string): Promise<string> {
    const frame = await page.waitForSelector('#preview-frame', { timeout: 10_000 });
    await page.waitForFunction(
      ([r, m]) => {
        const f = document.getElementById('preview-frame');
        return Number(f?.dataset.revision) >= Number(r) && f?.dataset.material === m;
      },
      [minRevision, material] as const,
      { timeout: 10_000 },
    );
    const src = await frame.getAttribute('data-src');
    expect(src).toContain(`revision=`);
    const res = await fetch(new URL(src!, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    return (await previewPages(res)).join('\n');
  }

  /** Each page's text without the line breaks and spaces the layout puts in. */
  async function previewPages(res: Response): Promise<string[]> {
    return (await pdfPagesText(new Uint8Array(await res.arrayBuffer()))).map((p) => p.replace(/\s+/g, ''));
  }

  async function state(): Promise<EditorState> {
    const res = await fetch(new URL('/api/applicants/0/state', server.url), { headers: { 'X-Shenbao-Token': server.token } });
    return (await res.json()) as EditorState;
  }

  async function revision(): Promise<number> {
    return (await state()).revision;
  }

  /** The server's revision once its state satisfies `ok` (the page's edits have arrived). */
  async function waitForState(ok: (s: EditorState) => boolean): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const s = await state();
      if (ok(s)) return s.revision;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the page did not send its edits within 5 s');
  }

  it('shows a wrong 发文字号 at its field within a second, and clears it when corrected', async () => {
    const input = page.locator(field('letter.number'));
    // Timed inside the page, from the input event to the field marked invalid: what the user waits.
    await page.evaluate(() => {
      const el = document.getElementById('field-letter.number')!;
      const w = window as unknown as { typedAt: number; shownAt: number };
      el.addEventListener('input', () => (w.typedAt = performance.now()), { once: true });
      new MutationObserver((_, obs) => {
        if (el.getAttribute('aria-invalid') === 'true') {
          w.shownAt = performance.now();
          obs.disconnect();
        }
      }).observe(el, { attributes: true });
    });
    await input.fill('徐府[2022]8号');
    await page.waitForSelector(`${field('letter.number')}[aria-invalid="true"]`, { timeout: 5000 });
    const waited = await page.evaluate(() => {
      const w = window as unknown as { typedAt: number; shownAt: number };
      return w.shownAt - w.typedAt;
    });
    expect(waited).toBeLessThan(1000);
    const message = await page.locator(`[id="field-letter.number-diag"]`).innerText();
    expect(message).toContain('徐府[2022]8号');
    expect(await input.getAttribute('aria-describedby')).toContain('field-letter.number-diag');
    // The problems list names the field in Chinese.
    expect(await page.locator('.problems').innerText()).toContain('发文字号');

    await input.fill('徐府〔2022〕9号');
    await page.waitForSelector(`${field('letter.number')}:not([aria-invalid])`, { timeout: 5000 });
    expect(await page.locator('[id="field-letter.number-diag"]').count()).toBe(0);
  });

  it('saves back to the file: the new value, and every comment the file had', async () => {
    const before = readFileSync(file, 'utf8');
    await page.locator('#unsaved-marker').waitFor({ timeout: 2000 });
    await page.keyboard.press('Control+s');
    await page.locator('#unsaved-marker').waitFor({ state: 'detached', timeout: 5000 });
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('number: 徐府〔2022〕9号');
    expect(after).not.toContain('徐府〔2022〕8号');
    const lost = comments(before).filter((c) => !after.includes(c));
    expect(lost).toEqual([]);
    expect(after.split('\n')[0]).toBe(before.split('\n')[0]);
  });

  it("shows the new 发文字号 in the preview's PDF", async () => {
    const text = await previewText(await revision(), 'letter');
    expect(text).toContain('徐府〔2022〕9号');
  });

  it('adds a report section in the form and shows it in the preview', async () => {
    const count = await page.locator('[id="field-report.summary"] > ol.tree > li.section').count();
    await page.getByRole('button', { name: '添加二级标题' }).first().click();
    const title = page.locator(field(`report.summary.${count}.title`));
    await title.waitFor({ timeout: 5000 });
    await title.fill('推进长三角知识产权协同保护');
    await page.locator(field(`report.summary.${count}.paragraphs`)).fill('与长三角兄弟城区签订知识产权保护合作协议，三年联合办案37件。\n\n建立跨区域线索移送机制。');
    await page.selectOption('#preview-material', 'report');
    // The preview shown must be of a revision that has the new section's text.
    const rev = await waitForState((s) => JSON.stringify(s.data).includes('建立跨区域线索移送机制'));
    const text = await previewText(rev, 'report');
    expect(text).toContain('推进长三角知识产权协同保护');
    expect(text).toContain('三年联合办案37件');
    expect(text).toContain('建立跨区域线索移送机制');
    // The frame opens at the page where the edited paragraph is.
    const frame = page.locator('#preview-frame');
    const pages = await previewPages(await fetch(new URL((await frame.getAttribute('data-src'))!, server.url)));
    const at = pages.findIndex((p) => p.includes('三年联合办案37件')) + 1;
    expect(at).toBeGreaterThan(1);
    expect(await frame.getAttribute('src')).toMatch(new RegExp(`#page=${at}$`));
  });

  it('reorders report sections and adds a subsection', async () => {
    type Sec = { title: string; sections?: Sec[] };
    const summary = async () => ((await state()).data as { report: { summary: Sec[] } }).report.summary;
    const before = await summary();
    await page.getByRole('button', { name: `下移二级标题“${before[0]!.title}”` }).click();
    await waitForState((s) => (s.data as { report: { summary: Sec[] } }).report.summary[1]?.title === before[0]!.title);
    expect((await summary()).map((x) => x.title)).toEqual([before[1]!.title, before[0]!.title, ...before.slice(2).map((x) => x.title)]);
    expect(await page.locator(field('report.summary.0.title')).inputValue()).toBe(before[1]!.title);

    await page.getByRole('button', { name: `在二级标题“${before[0]!.title}”下添加下级标题` }).click();
    const child = page.locator(field('report.summary.1.sections.0.title'));
    await child.waitFor({ timeout: 5000 });
    await child.fill('完善工作机制');
    await waitForState((s) => (s.data as { report: { summary: Sec[] } }).report.summary[1]?.sections?.[0]?.title === '完善工作机制');
    // The document numbers the summary （一）1.（1）: a 四级标题 is the last level, offered no child.
    await page.getByRole('button', { name: '在三级标题“完善工作机制”下添加下级标题' }).click();
    await page.locator(field('report.summary.1.sections.0.sections.0.title')).waitFor({ timeout: 5000 });
    expect(await page.locator('.section .level', { hasText: '四级标题 （1）' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^在四级标题.*下添加下级标题$/ }).count()).toBe(0);
    for (let k = 0; k < 4; k++) await page.getByRole('button', { name: '撤销' }).click();
    await waitForState((s) => (s.data as { report: { summary: Sec[] } }).report.summary[0]?.title === before[0]!.title);
  });

  it('takes the keyboard from a problem in the list to its field, and a check item to its condition', async () => {
    // A check item leads to its condition (the check is there while the data is valid).
    await page.locator('button.check-item', { hasText: '工作机制' }).click({ timeout: 5000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^field-conditions\.sh-demo-district-leadership\./);
    await page.locator(field('contact.phone')).fill('电话待定');
    const problem = page.locator('button.problem', { hasText: '联系电话' });
    await problem.waitFor({ timeout: 2000 });
    await problem.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-contact.phone');
  });

  it('undoes the last change with the 撤销 button; outside a text box Ctrl+Shift+Z redoes and Ctrl+Z undoes', async () => {
    await page.getByRole('button', { name: '撤销' }).click();
    await page.waitForFunction(() => (document.getElementById('field-contact.phone') as HTMLInputElement | null)?.value === '021-64872222', undefined, { timeout: 3000 });
    expect(await page.locator(field('contact.phone')).getAttribute('aria-invalid')).toBeNull();
    // Outside a text box the keyboard redoes and undoes the session's changes.
    await page.locator('#problems-title').click();
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction(() => (document.getElementById('field-contact.phone') as HTMLInputElement | null)?.value === '电话待定', undefined, { timeout: 3000 });
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => (document.getElementById('field-contact.phone') as HTMLInputElement | null)?.value === '021-64872222', undefined, { timeout: 3000 });
  });

  it('re-applies an edit made on an outdated revision (another tab changed the data)', async () => {
    const s = await state();
    const res = await fetch(new URL('/api/applicants/0/edit', server.url), {
      method: 'POST',
      headers: { 'X-Shenbao-Token': server.token, 'Content-Type': 'application/json', Origin: new URL(server.url).origin },
      body: JSON.stringify({ baseRevision: s.revision, ops: [{ op: 'set', path: ['contact', 'unit'], value: '徐汇区知识产权局' }] }),
    });
    expect(res.status).toBe(200);
    await page.locator(field('contact.email')).fill('ip@xuhui.example.com');
    await waitForState((st) => JSON.stringify(st.data).includes('ip@xuhui.example.com'));
    const data = (await state()).data as { contact: { unit: string; email: string } };
    expect(data.contact).toMatchObject({ unit: '徐汇区知识产权局', email: 'ip@xuhui.example.com' });
    await page.waitForFunction(() => (document.getElementById('field-contact.unit') as HTMLInputElement | null)?.value === '徐汇区知识产权局', undefined, { timeout: 3000 });
  });

  it("names the plan's baseline year as the plan document does when the period moves", async () => {
    // The document takes an omitted 基期值 from the year before the plan starts (model/build.ts);
    // the form's column and grey hints must name that year too, not the last reporting year.
    const header = () => page.locator('.targets th', { hasText: '基期值' }).innerText();
    const headerSays = (year: number) =>
      page.waitForFunction((y) => [...document.querySelectorAll('.targets th')].some((th) => th.textContent?.includes(`基期值（${y}年）`)), year, { timeout: 5000 });
    type Plan = { plan: { period: { start: number; end: number }; targets: { values: Record<string, number> }[] } };
    const targets = ((await state()).data as Plan).plan.targets.length;
    expect(await header()).toContain('基期值（2021年）');
    // A period a year later, its targets moved with it (a 2022 target outside it is an error).
    // The data has no 2022 figures, so validation (like the document) wants the baselines typed.
    await page.locator(field('plan.period.start')).fill('2023');
    await page.locator(field('plan.period.end')).fill('2025');
    await headerSays(2022);
    for (let i = 0; i < targets; i++) {
      await page.locator(field(`plan.targets.${i}.values.2022`)).fill('');
      await page.locator(field(`plan.targets.${i}.baseline`)).fill('1');
    }
    await page.selectOption('#preview-material', 'plan');
    const rev = await waitForState((s) => {
      const p = (s.data as Plan).plan;
      return p.period.end === 2025 && p.targets.every((t) => !('2022' in t.values) && (t as { baseline?: number }).baseline === 1) && s.diagnostics.every((d) => d.severity !== 'error');
    });
    expect(await previewText(rev, 'plan')).toContain('基期值（2022年）');
  });

  it('builds the whole package (saving first, when asked) and shows where it went', async () => {
    // With unsaved changes the page asks to save first (the package is built from the file on disk).
    await page.locator('#unsaved-marker').waitFor({ timeout: 2000 });
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.getByRole('button', { name: '生成完整申报材料' }).click();
    const banner = page.locator('.banner.package');
    await banner.waitFor({ timeout: 45_000 });
    const text = await banner.innerText();
    expect(text).toContain('申报材料已生成');
    const folder = (await banner.locator('code').first().innerText()).trim();
    expect(existsSync(folder)).toBe(true);
    const files = await banner.locator('ul.package-files > li').allInnerTexts();
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
    for (const f of files) expect(existsSync(join(folder, f))).toBe(true);
    expect(asked).toContain('先保存');
    expect(readFileSync(file, 'utf8')).toContain('ip@xuhui.example.com');
  }, 60_000);

  it('offers to reload when the file changes on disk, and reloads it', async () => {
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: 王晓敏', 'name: 李明'));
    await page.locator(field('contact.position')).fill('知识产权科副科长');
    const banner = page.locator('.banner.warn', { hasText: '已在编辑器之外被修改' });
    await banner.waitFor({ timeout: 3000 });
    await banner.getByRole('button', { name: '重新载入' }).click();
    await page.waitForFunction(() => (document.getElementById('field-contact.name') as HTMLInputElement | null)?.value === '李明', undefined, { timeout: 3000 });
    expect(await page.locator(field('contact.position')).inputValue()).toBe('知识产权科科长');
    await banner.waitFor({ state: 'detached', timeout: 3000 });
  });
});
