/**
 * Debian's chromium for the editor's browser tests, driven by playwright-core. Found at
 * CHROMIUM_PATH, /usr/bin/chromium or chromium-browser, and only if it actually starts (.ci/bare
 * replaces it with a stub that exits 127): without it the browser tests skip and say why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

function works(p: string): boolean {
  if (!existsSync(p)) return false;
  const r = spawnSync(p, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && /chrom/i.test(r.stdout);
}

export const chromiumPath: string | undefined = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && works(p),
);

export const noChromiumReason = '未找到可运行的 chromium（/usr/bin/chromium、chromium-browser 或环境变量 CHROMIUM_PATH），跳过浏览器测试';

if (!chromiumPath) console.warn(noChromiumReason);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
