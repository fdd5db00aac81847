import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/common/diagnostics.js';
import { decodeText, loadYamlFile, MAX_SOURCE_BYTES, parseYaml, readTextSource } from '../../src/load/index.js';
import { validateFile } from '../../src/schema/validate.js';

/** YAML loading: positions, include:, encodings, and the safety limits. */

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = (...p: string[]) => path.join(here, 'fixtures', ...p);
/** How loadYamlFile names a file: relative to the working directory when inside it. */
const shown = (abs: string) => path.relative(process.cwd(), abs);

const tmp = (name: string, content: string | Uint8Array): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'shenbao-load-')), name);
  writeFileSync(file, content);
  return file;
};

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function whereIs(text: string, needle: string): { line: number; col: number } {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not in text`);
  return { line: line + 1, col: lines[line]!.indexOf(needle) + 1 };
}

describe('positions', () => {
  const file = fx('positions.yaml');
  const text = readFileSync(file, 'utf8');

  it('locates values by data path', async () => {
    const l = await loadYamlFile(file);
    expect(l.diagnostics).toEqual([]);
    expect(l.file).toBe(shown(file));
    expect(l.locate(['letter', 'number'])).toEqual({ file: shown(file), line: 4, col: 11 });
    expect(l.locate(['letter', 'number'])).toEqual({ file: shown(file), ...whereIs(text, '徐府〔2022〕8号') });
    expect(l.locate(['letter', 'date'])).toMatchObject({ line: 5, col: 9 });
    expect(l.locate(['program'])).toMatchObject({ line: 2, col: 10 });
  });

  it('locates list items and flow mappings', async () => {
    const l = await loadYamlFile(file);
    expect(l.locate(['plan', 'targets', 0, 'indicator'])).toMatchObject(whereIs(text, 'invention_patents'));
    expect(l.locate(['plan', 'targets', 0, 'values', '2023'])).toMatchObject({ line: 9, col: text.split('\n')[8]!.indexOf('200') + 1 });
    expect(l.locate(['plan', 'tasks', 0, 'lead'])).toMatchObject({ line: 12, col: 15 }); // after the extra spaces
  });

  it('locates keys separately from values', async () => {
    const l = await loadYamlFile(file);
    expect(l.locateKey(['letter', 'number'])).toMatchObject({ line: 4, col: 3 });
    expect(l.locateKey(['plan', 'tasks', 0, 'lead'])).toMatchObject({ line: 12, col: 7 });
    expect(l.locateKey(['letter', 'signer'])).toBeUndefined();
  });

  it('places a missing field at its parent key ("letter:"), the nearest thing that exists', async () => {
    const l = await loadYamlFile(file);
    expect(l.locate(['letter', 'signer'])).toEqual({ file: shown(file), line: 3, col: 1 });
    expect(l.locate(['letter', 'signer'])).toEqual(l.locateKey(['letter']));
    expect(l.locate(['plan', 'tasks', 0, 'deadline'])).toEqual(l.locate(['plan', 'tasks', 0]));
    expect(l.locate(['plan', 'tasks', 3, 'deadline'])).toEqual(l.locateKey(['plan', 'tasks']));
    expect(l.locate(['nothing', 'here'])).toMatchObject({ file: shown(file), line: 1, col: 1 });
  });

  it('places an empty value on its own line', async () => {
    const l = await loadYamlFile(tmp('empty-value.yaml', 'program: 2022-shanghai\nletter:\n  number:\n  date: 2022-02-15\n'));
    expect(l.data).toEqual({ program: '2022-shanghai', letter: { number: null, date: '2022-02-15' } });
    expect(l.locate(['letter', 'number']).line).toBe(3);
  });

  it('keeps dates as text and numbers as numbers (YAML 1.2 core schema)', async () => {
    const l = await loadYamlFile(file);
    expect((l.data as any).letter.date).toBe('2022-02-15');
    expect((l.data as any).plan.targets[0].values).toEqual({ '2022': 100, '2023': 200 });
  });
});

describe('include', () => {
  it('merges nested mappings from several files, each value located in its own file', async () => {
    const l = await loadYamlFile(fx('include', 'main.yaml'));
    expect(l.diagnostics).toEqual([]);
    expect(l.data).toEqual({
      program: '2022-shanghai',
      applicant: { name: '上海市徐汇区人民政府', short_name: '徐汇区', kind: 'district_government' },
      letter: { number: '徐府〔2022〕8号', date: '2022-02-15' },
    });
    expect('include' in l.data!).toBe(false);
    expect(l.files).toEqual([fx('include', 'main.yaml'), fx('include', 'parts', 'applicant.yaml'), fx('include', 'parts', 'letter.yaml')].map(shown));
    expect(l.locate(['applicant', 'name'])).toEqual({ file: shown(fx('include', 'main.yaml')), line: 6, col: 9 });
    expect(l.locate(['applicant', 'kind'])).toEqual({ file: shown(fx('include', 'parts', 'applicant.yaml')), line: 3, col: 9 });
    expect(l.locate(['letter', 'number'])).toEqual({ file: shown(fx('include', 'parts', 'letter.yaml')), line: 3, col: 11 });
  });

  it('reports a value given in two files, naming both', async () => {
    const l = await loadYamlFile(fx('include', 'conflict-main.yaml'));
    expect(l.data).toBeUndefined();
    const d = l.diagnostics.find((x) => x.code === 'include.conflict')!;
    expect(d.severity).toBe('error');
    expect(d.path).toEqual(['applicant', 'name']);
    expect(d).toMatchObject({ file: shown(fx('include', 'parts', 'conflict-part.yaml')), line: 3, col: 3 });
    expect(d.message).toContain(`另见 ${shown(fx('include', 'conflict-main.yaml'))}:3:9`);
    expect(d.message).toContain('拆分的文件只能各写不同的字段');
  });

  it('refuses an include cycle', async () => {
    const l = await loadYamlFile(fx('include', 'cycle-a.yaml'));
    expect(l.data).toBeUndefined();
    const d = l.diagnostics.find((x) => x.code === 'include.cycle')!;
    expect(d.message).toContain('重复引用了文件');
    expect(d.message).toContain('cycle-a.yaml');
    expect(d).toMatchObject({ file: shown(fx('include', 'cycle-b.yaml')), line: 1 });
  });

  it('reports a missing included file at the include line', async () => {
    const l = await loadYamlFile(fx('include', 'missing.yaml'));
    expect(l.data).toBeUndefined();
    const d = l.diagnostics[0]!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('引用的文件');
    expect(d.message).toContain('does-not-exist.yaml');
    expect(d.message).toContain('文件不存在');
    expect(d).toMatchObject({ file: shown(fx('include', 'missing.yaml')), line: 3, col: 5 });
  });

  it('requires include to be a path or a list of paths', async () => {
    const l = await loadYamlFile(tmp('bad-include.yaml', 'include: { a: 1 }\nprogram: x\n'));
    expect(l.diagnostics.map((d) => d.code)).toEqual(['include.type']);
    expect(l.diagnostics[0]!.message).toBe('include 应为文件路径的列表');
  });

  it('validates an applicant split over two files, locating errors in the part', async () => {
    const example = readFileSync(new URL('../../examples/xuhui-demo-district.yaml', import.meta.url), 'utf8');
    const cut = example.indexOf('\n# 创建工作报告');
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-split-'));
    writeFileSync(path.join(dir, 'main.yaml'), `${example.slice(0, cut)}\ninclude:\n  - report-and-plan.yaml\n`);
    const part = example.slice(cut + 1);
    writeFileSync(path.join(dir, 'report-and-plan.yaml'), part);
    const ok = await validateFile(path.join(dir, 'main.yaml'));
    expect(ok.ok).toBe(true);

    const broken = part.replace('  - title: 坚持严格保护，营造一流创新环境', '  - title: 四、坚持严格保护，营造一流创新环境');
    writeFileSync(path.join(dir, 'report-and-plan.yaml'), broken);
    const bad = await validateFile(path.join(dir, 'main.yaml'));
    expect(bad.ok).toBe(false);
    const d = bad.diagnostics.find((x) => x.path?.join('.') === 'report.summary.3.title')!;
    expect(d.message).toContain('标题不要自带编号');
    expect(d.file).toBe(path.join(dir, 'report-and-plan.yaml'));
    expect(d.line).toBe(whereIs(broken, '四、坚持严格保护').line);
  });
});

describe('encodings', () => {
  const TEXT = '# 申报数据\nprogram: 2022-shanghai\nletter:\n  number: 徐府〔2022〕8号\n  signer: 上海市徐汇区人民政府\n';

  it('reads UTF-8 with a BOM; the BOM does not shift columns', async () => {
    const l = await loadYamlFile(tmp('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])));
    expect(l.diagnostics).toEqual([]);
    expect((l.data as any).program).toBe('2022-shanghai');
    expect(Object.keys(l.data!)).toEqual(['program', 'letter']);
    expect(l.locate(['letter', 'number'])).toMatchObject({ line: 4, col: 11 });
  });

  it('reads CRLF line ends with the same positions and no stray \\r', async () => {
    const crlf = TEXT.replace(/\n/g, '\r\n') + 'note: |\r\n  第一段，\r\n  续写。\r\n\r\n  第二段。\r\n';
    const l = await loadYamlFile(tmp('crlf.yaml', crlf));
    expect(l.diagnostics).toEqual([]);
    expect((l.data as any).letter.signer).toBe('上海市徐汇区人民政府');
    expect((l.data as any).note).toBe('第一段，\n续写。\n\n第二段。\n');
    expect(l.locate(['letter', 'number'])).toMatchObject({ line: 4, col: 11 });
    expect(l.locate(['letter', 'signer'])).toMatchObject({ line: 5, col: 11 });
  });

  it('reads BOM + CRLF together', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT.replace(/\n/g, '\r\n'))]);
    const l = await loadYamlFile(tmp('bom-crlf.yaml', bytes));
    expect(l.diagnostics).toEqual([]);
    expect((l.data as any).letter.number).toBe('徐府〔2022〕8号');
  });

  it('decodes GBK with a warning that says so', async () => {
    const gbk = encodeGbk(TEXT);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8
    const file = tmp('gbk.yaml', gbk);
    const l = await loadYamlFile(file);
    expect(l.data).toMatchObject({ letter: { number: '徐府〔2022〕8号', signer: '上海市徐汇区人民政府' } });
    expect(l.diagnostics).toHaveLength(1);
    expect(l.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'source.gbk', file: file });
    expect(l.diagnostics[0]!.message).toContain('不是 UTF-8 编码，已按 GBK（GB18030）解码读取');
    expect(l.locate(['letter', 'signer'])).toMatchObject({ line: 5, col: 11 });
    expect(decodeText(gbk, 'x').encoding).toBe('gb18030');
  });

  it('keeps the GBK warning in a valid applicant', async () => {
    const example = readFileSync(new URL('../../examples/xuhui-demo-district.yaml', import.meta.url), 'utf8');
    const r = await validateFile(tmp('xuhui-gbk.yaml', encodeGbk(example)));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['source.gbk']);
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [['le.yaml', le], ['be.yaml', be]] as const) {
      const l = await loadYamlFile(tmp(name, bytes));
      expect(l.diagnostics, name).toEqual([]);
      expect((l.data as any).letter.number, name).toBe('徐府〔2022〕8号');
      expect(l.locate(['letter', 'number'])).toMatchObject({ line: 4, col: 11 });
    }
    expect(decodeText(le, 'x').encoding).toBe('utf-16');
  });

  it('refuses UTF-16 without a BOM as binary, in Chinese', async () => {
    const err = await loadYamlFile(tmp('u16-nobom.yaml', Buffer.from(TEXT, 'utf16le'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).diagnostics[0]).toMatchObject({ code: 'source.binary' });
    expect((err as UserError).diagnostics[0]!.message).toContain('不是文本文件');
  });

  it('refuses bytes that are neither UTF-8 nor GBK, saying so', () => {
    const latin1 = Buffer.from('program: caf\xe9 na\xefve\n', 'latin1');
    const err = (() => {
      try {
        decodeText(latin1, 'latin1.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    const d = (err as UserError).diagnostics[0]!;
    expect(d.code).toBe('source.encoding');
    expect(d.message).toContain('既不是 UTF-8，也不是 GBK');
    expect(d.file).toBe('latin1.yaml');
  });

  it('refuses binary garbage', () => {
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256));
    expect(() => decodeText(garbage, 'g.bin')).toThrow(UserError);
  });
});

describe('files that cannot be read', () => {
  it('a missing file is an I/O error with exit code 2', async () => {
    const err = (await loadYamlFile(path.join(tmpdir(), 'shenbao-no-such-file.yaml')).catch((e: unknown) => e)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(2);
    expect(err.diagnostics[0]).toMatchObject({ code: 'io.read', message: '文件不存在' });
  });

  it('a directory is an I/O error with exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shenbao-dir-'));
    mkdirSync(path.join(dir, 'a.yaml'));
    const err = (await readTextSource(path.join(dir, 'a.yaml')).catch((e: unknown) => e)) as UserError;
    expect(err.exitCode).toBe(2);
    expect(err.diagnostics[0]!.message).toBe('这是一个文件夹，不是文件');
  });

  it('a file over the size limit is refused before reading', async () => {
    const big = tmp('big.yaml', Buffer.alloc(MAX_SOURCE_BYTES + 1, 0x61));
    const err = (await loadYamlFile(big).catch((e: unknown) => e)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics[0]!.code).toBe('source.too-large');
    expect(err.diagnostics[0]!.message).toContain('超过 4 MB 上限');
  });
});

describe('safe YAML', () => {
  it('never executes a custom tag', () => {
    const r = parseYaml('program: !!js/function "function () { return 1 }"\n', 'f.yaml');
    expect(r.data).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === 'yaml.tag_resolve_failed')!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('不支持的标签');
    expect(d.message).toContain('!!js/function');
    expect(d.line).toBe(1);
  });

  it('bounds alias expansion', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 6; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const r = parseYaml(`${lines.join('\n')}\n`, 'bomb.yaml');
    expect(r.data).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain('yaml.alias-bomb');
  });

  it('allows a few ordinary aliases', () => {
    const r = parseYaml('lead: &lead 区科委\ntasks:\n  - lead: *lead\n  - lead: *lead\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.data).toEqual({ lead: '区科委', tasks: [{ lead: '区科委' }, { lead: '区科委' }] });
  });

  it('refuses duplicate keys', () => {
    const r = parseYaml('program: a\nprogram: b\n', 'f.yaml');
    expect(r.data).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml.duplicate_key', line: 2 });
    expect(r.diagnostics[0]!.message).toContain('字段名重复');
  });

  it('explains a full-width colon at its line and column', () => {
    const r = parseYaml('program: 2022-shanghai\nletter:\n  number：徐府〔2022〕8号\n  date: 2022-02-15\n', 'f.yaml');
    expect(r.data).toBeUndefined();
    const hint = r.diagnostics.find((d) => d.code === 'yaml.fullwidth-colon')!;
    expect(hint).toMatchObject({ line: 3, col: 9 });
    expect(hint.message).toContain('字段 number 后面用了全角冒号');
  });

  it('reports an empty file and a list at the root', async () => {
    const empty = await loadYamlFile(tmp('empty.yaml', '  \n'));
    expect(empty.data).toBeUndefined();
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['source.empty']);
    const list = await loadYamlFile(tmp('list.yaml', '- a\n- b\n'));
    expect(list.diagnostics.map((d) => d.code)).toEqual(['source.root']);
    expect(list.diagnostics[0]!.message).toContain('实际为列表');
  });
});

/**
 * GBK bytes for a string, without an encoding library: build the reverse of the platform's
 * GBK decoder for just the characters needed (ASCII is one byte, as in GBK).
 */
function encodeGbk(text: string): Buffer {
  const wanted = new Set([...text].filter((ch) => ch.charCodeAt(0) > 0x7f));
  const map = new Map<string, [number, number]>();
  const dec = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  outer: for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = dec.decode(pair);
      if (wanted.has(ch) && !map.has(ch)) {
        map.set(ch, [lead, trail]);
        if (map.size === wanted.size) break outer;
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code <= 0x7f) out.push(code);
    else {
      const bytes = map.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
