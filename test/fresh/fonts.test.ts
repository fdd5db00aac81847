/**
 * Where fonts come from: the user's folder (walked safely), the system's, then the stand-ins
 * installed from npm; and how a character no font has is reported.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledFontFiles, FontResolver } from '../../src/pdf/fonts/resolve.js';
import { missingGlyphDiagnostic } from '../../src/pdf/index.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'shenbao-fonts-'));
const sans = () => bundledFontFiles().find((f) => f.endsWith('NotoSansHans-Regular.otf'))!;

describe('the stand-ins installed with npm', () => {
  it('are there and serve every role when the machine has no font at all', () => {
    const files = bundledFontFiles();
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['NotoSansHans-Regular.otf', 'NotoSerifSC_400Regular.ttf', 'NotoSerifSC_700Bold.ttf']);
    const r = new FontResolver({ systemDirs: [tmp()] });
    const role = (fam: string, script: 'eastAsia' | 'latin' = 'eastAsia') => r.resolve(fam, script).report;
    expect(role('黑体').face).toBe('NotoSansHans-Regular');
    expect(role('方正小标宋简体').face).toBe('NotoSerifSC-Bold');
    for (const fam of ['仿宋_GB2312', '宋体', '楷体_GB2312']) expect(role(fam).face, fam).toBe('NotoSerifSC-Regular');
    expect(role('Times New Roman', 'latin').face).toBe('NotoSerifSC-Regular');
    for (const fam of ['黑体', '仿宋_GB2312']) expect(role(fam)).toMatchObject({ source: 'bundled', substitute: true });
  });

  it('come after the fonts the user names', () => {
    const dir = tmp();
    symlinkSync(sans(), path.join(dir, 'my-hei.otf'));
    const r = new FontResolver({ fonts: dir, systemDirs: [tmp()] }).resolve('黑体', 'eastAsia').report;
    expect(r).toMatchObject({ source: 'user', file: path.join(dir, 'my-hei.otf') });
  });
});

describe('a --fonts folder', () => {
  it('is walked without following links out of it or round a loop', () => {
    const outside = tmp();
    symlinkSync(sans(), path.join(outside, 'outside.otf'));
    const dir = tmp();
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    symlinkSync(outside, path.join(dir, 'elsewhere'));
    symlinkSync('/proc', path.join(dir, 'proc'));
    const r = new FontResolver({ fonts: dir, systemDirs: [tmp()] }).resolve('黑体', 'eastAsia').report;
    // Found only among the npm stand-ins: the folder link that leaves the tree was not followed.
    expect(r.source).toBe('bundled');
  });

  it('that is not there is an error, not a silent fallback', () => {
    const missing = path.join(tmp(), '没有');
    expect(() => new FontResolver({ fonts: missing }).resolve('黑体', 'eastAsia')).toThrow(`字体目录不存在或不是文件夹：${missing}`);
  });
});

describe('a character no font has', () => {
  const places = Array.from({ length: 5 }, (_, i) => `第 ${i + 1} 段第 1 个字符（“”）`);
  it('is one error naming its count and the first three places', () => {
    const d = missingGlyphDiagnostic('\uE000', places, {});
    expect(d.severity).toBe('error');
    expect(d.message).toContain('（U+E000），共 5 处');
    expect(d.message).toContain('第 3 段');
    expect(d.message).not.toContain('第 4 段');
    expect(d.message).toContain('--verbose');
  });
  it('lists every place with --verbose, and is a warning with --allow-blank', () => {
    const d = missingGlyphDiagnostic('\uE000', places, { verbose: true, allowBlank: true });
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('第 5 段');
  });
});
