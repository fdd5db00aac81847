/**
 * The README's two commands on a machine with no font of its own (SHENBAO_SYSTEM_FONT_DIRS set
 * to nothing hides the system's fonts): the stand-ins that `npm install` brings must draw every
 * character of every document, and the output must stay short. Runs the built CLI (npm run build).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PizZip from 'pizzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfPagesText, pdfTextRuns } from '../pdf-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/shenbao.js');
const BARE = { SHENBAO_SYSTEM_FONT_DIRS: '', SHENBAO_CONFIG: path.join(ROOT, 'no-config.yaml') };

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, ...env } }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

/** Every character the DOCX's body, headers and footers write (w:t), whitespace left out. */
function docxChars(bytes: Buffer): Set<string> {
  const zip = new PizZip(bytes);
  const chars = new Set<string>();
  for (const name of Object.keys(zip.files).filter((n) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(n))) {
    const xml = zip.file(name)!.asText();
    for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)) {
      const text = m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
      // Word joiners (src/docx/keep.ts) are drawn as nothing.
      for (const ch of text) if (/\S/u.test(ch) && !/\p{Default_Ignorable_Code_Point}/u.test(ch)) chars.add(ch);
    }
  }
  return chars;
}

/** The text of each level-2 heading (style Heading2, set in 楷体_GB2312), whitespace left out. */
function heading2Texts(bytes: Buffer): string[] {
  const xml = new PizZip(bytes).file('word/document.xml')!.asText();
  const out: string[] = [];
  for (const p of xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []) {
    if (!/<w:pStyle w:val="Heading2"\/>/.test(p)) continue;
    const text = [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('').replace(/\s+/g, '');
    if (text) out.push(text);
  }
  return out;
}

describe('a machine with only Node and npm', () => {
  let out: string;
  let run: { code: number; out: string; err: string };
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'shenbao-bare-'));
    run = await cli(['package', 'examples/xuhui-demo-district.yaml', '--out', out], BARE);
  }, 180_000);

  it('`shenbao package` succeeds and says it in fewer than 30 lines', () => {
    expect(run.code, run.err).toBe(0);
    const lines = `${run.out}${run.err}`.split('\n').filter((l) => l.trim());
    expect(lines.length).toBeLessThan(30);
    expect(run.err).not.toContain('所有可用字体中都没有字符');
  });

  it('draws every character of every document in its PDF (read back with pdf.js)', async () => {
    const dir = path.join(out, readdirSync(out).find((f) => !f.endsWith('.zip'))!);
    const docs = readdirSync(dir).filter((f) => f.endsWith('.docx'));
    expect(docs.length).toBeGreaterThanOrEqual(3);
    for (const docx of docs) {
      const wanted = docxChars(readFileSync(path.join(dir, docx)));
      const pages = await pdfPagesText(readFileSync(path.join(dir, docx.replace(/\.docx$/, '.pdf'))));
      const drawn = new Set([...pages.join('')]);
      // A one-page letter prints no page number (GB/T 9704 10.1): the footer's "— N —" is never drawn.
      if (pages.length === 1) wanted.delete('—');
      const missing = [...wanted].filter((ch) => !drawn.has(ch));
      expect(missing, docx).toEqual([]);
      expect(wanted.size, docx).toBeGreaterThan(100);
    }
  });

  it('sets level-2 headings (楷体_GB2312) in the Kai face installed from npm, LXGW WenKai, not the Song stand-in', async () => {
    const dir = path.join(out, readdirSync(out).find((f) => !f.endsWith('.zip'))!);
    const docx = readdirSync(dir).find((f) => f.startsWith('02-') && f.endsWith('.docx'))!;
    const headings = heading2Texts(readFileSync(path.join(dir, docx)));
    expect(headings.length, docx).toBeGreaterThanOrEqual(3);
    const runs = await pdfTextRuns(readFileSync(path.join(dir, docx.replace(/\.docx$/, '.pdf'))));
    const chars = runs.flatMap((r) => [...r.str].filter((ch) => /\S/u.test(ch)).map((ch) => ({ ch, font: r.font.replace(/^[A-Z]{6}\+/, '') })));
    const text = chars.map((c) => c.ch).join('');
    for (const h of headings) {
      const at = text.indexOf(h);
      expect(at, h).toBeGreaterThanOrEqual(0);
      const start = [...text.slice(0, at)].length;
      const fonts = new Set(chars.slice(start, start + [...h].length).map((c) => c.font));
      expect([...fonts], h).toEqual(['LXGWWenKai-Regular']);
    }
    // Body text stays in the Song stand-in.
    expect(chars.filter((c) => c.font === 'LXGWWenKai-Regular').length).toBeLessThan(chars.length / 4);
  });

  it('`shenbao doctor` names a stand-in installed from npm for every role', async () => {
    const r = await cli(['doctor', '--json'], BARE);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { fonts: { requested: string; file?: string; source?: string }[] };
    for (const f of report.fonts) {
      expect(f.source, f.requested).toBe('bundled');
      expect(f.file, f.requested).toContain(`${path.sep}node_modules${path.sep}`);
    }
    const file = (role: string) => report.fonts.find((f) => f.requested === role)!.file;
    // Hei is a sans face, the Song roles a serif one, 小标宋 the bold serif.
    expect(file('黑体')).not.toBe(file('仿宋_GB2312'));
    expect(file('方正小标宋简体')).not.toBe(file('仿宋_GB2312'));
    // 楷体 is served by a Kai face of its own, and doctor says which npm package brings it.
    const kai = report.fonts.find((f) => f.requested === '楷体_GB2312') as { face?: string; package?: string; file?: string };
    expect(kai.face).toBe('LXGW WenKai');
    expect(kai.package).toBe('lxgw-wenkai-webfont');
    expect(kai.file).not.toBe(file('宋体'));
    const text = await cli(['doctor'], BARE);
    expect(text.out).toMatch(/楷体_GB2312：LXGW WenKai（[^）]*npm 包 lxgw-wenkai-webfont/);
  });
});
