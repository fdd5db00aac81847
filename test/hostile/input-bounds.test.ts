/**
 * Hostile input files (issue 12): devices, FIFOs and symlinks where data should be, includes
 * that reach out of the data folder, prototype keys, alias amplification and pasted blobs.
 * Whatever the input, the CLI ends in bounded time and memory (a child node with a 512 MB heap
 * and a timeout) with a located Chinese message and the documented exit code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnosticsOf, lineOf } from '../cli/helpers.js';
import { loadYamlFile, MAX_FIELD_CHARS } from '../../src/load/index.js';
import { expectNoCrash, hasBuild, MINIMAL, MINIMAL_FILE, OVERVIEW_LINE, removeTemps, replaceLine, run, spawnBounded, tmp, writeFile, yamlQuoted } from './helpers.js';

afterAll(removeTemps);

const fifo = (dir: string, name: string): string => {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
};

/** minimal.yaml with `include:` lines on top. */
const including = (...paths: string[]): string => `include:\n${paths.map((p) => `  - ${p}\n`).join('')}${MINIMAL}`;

describe.skipIf(!hasBuild || process.platform === 'win32')('files that are not regular files are refused before reading', () => {
  it.each([
    ['a device (/dev/zero)', () => '/dev/zero', /设备文件/],
    ['a FIFO named *.yaml', () => fifo(tmp('fifo'), 'a.yaml'), /管道/],
    ['a folder', () => tmp('dir'), /文件夹/],
  ])('%s: exit 2 at once, a Chinese message naming it', async (_, make, reason) => {
    const file = make();
    const r = await spawnBounded(['validate', file], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(reason);
  }, 30_000);

  it.each([
    ['/dev/zero', (dir: string) => { void dir; return '/dev/zero'; }, /不在申报数据文件所在的文件夹之内/],
    ['a symlink to /dev/zero inside the folder', (dir: string) => { symlinkSync('/dev/zero', join(dir, 'zero.yaml')); return 'zero.yaml'; }, /不在申报数据文件所在的文件夹之内/],
    ['a FIFO inside the folder', (dir: string) => { fifo(dir, 'part.yaml'); return 'part.yaml'; }, /不是普通文件（管道）/],
  ])('include of %s: exit 1 at the include line, never a read', async (_, make, reason) => {
    const dir = tmp('inc');
    const target = make(dir);
    const main = writeFile(dir, 'main.yaml', including(target));
    const r = await spawnBounded(['validate', main], { cwd: dir, timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(new RegExp(`main\\.yaml:2:5 .*${reason.source}`));
  }, 30_000);
});

describe('includes stay in the data file’s folder', () => {
  it('/etc/passwd and ../ are refused, and nothing of theirs is printed', async () => {
    const root = tmp('confine');
    writeFile(root, 'secret.yaml', 'leaked_key: 这一行绝不能出现在输出中\n');
    const main = writeFile(join(root, 'data'), 'main.yaml', including('/etc/passwd', '../secret.yaml'));
    const r = await run('validate', main);
    expect(r.code).toBe(1);
    const all = r.out + r.err;
    expect(all.match(/不在申报数据文件所在的文件夹之内/g)).toHaveLength(2);
    expect(all).not.toContain('leaked_key');
    expect(all).not.toContain('这一行绝不能出现');
    expect(all).not.toMatch(/root:|nologin/);
  });

  it('a part in a subfolder is still read', async () => {
    const dir = tmp('subpart');
    const lines = MINIMAL.split('\n');
    const at = lines.indexOf('contact:');
    writeFile(dir, 'parts/contact.yaml', `${lines.slice(at, at + 3).join('\n')}\n`);
    const main = writeFile(dir, 'main.yaml', `include:\n  - parts/contact.yaml\n${[...lines.slice(0, at), ...lines.slice(at + 3)].join('\n')}`);
    const r = await run('validate', main);
    expect(r.code, r.out + r.err).toBe(0);
  });
});

describe('__proto__, constructor and prototype keys', () => {
  it('are refused where they are written, and a later validation in the same process is unaffected', async () => {
    const dir = tmp('proto');
    writeFile(dir, 'part.yaml', '__proto__:\n  polluted: yes\nletter:\n  constructor: 1\n');
    const main = writeFile(dir, 'main.yaml', including('part.yaml'));
    const d = await diagnosticsOf(main);
    expect(d.code).toBe(1);
    const reserved = d.diagnostics.filter((x) => x.code === 'yaml.reserved-key');
    expect(reserved.map((x) => [x.line, x.col])).toEqual([[1, 1], [4, 3]]);
    expect(reserved[0]!.message).toContain('__proto__ 是保留名称');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await run('validate', MINIMAL_FILE)).code).toBe(0);
  });
});

describe.skipIf(!hasBuild)('bounded work on the expanded data', () => {
  it('150 aliases of a 200,000-character string (a 600 KB file): exit 1, located, within 512 MB', async () => {
    const dir = tmp('alias');
    const blob = 'x'.repeat(200_000);
    const text = `${replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: &blob ${blob}`)}\nx_copies:\n${'  - *blob\n'.repeat(150)}`;
    const file = writeFile(dir, 'a.yaml', text);
    const r = await spawnBounded(['validate', '--json', file], { timeoutMs: 30_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    const ds = (JSON.parse(r.out) as { files: { diagnostics: { code: string; line: number; message: string }[] }[] }).files[0]!.diagnostics;
    const field = ds.find((x) => x.code === 'budget.field')!;
    expect(field.line).toBe(lineOf(text, '&blob'));
    expect(field.message).toContain('200000 个字符');
  }, 40_000);

  it('30 aliases of a 40,000-character string: under the field limit, over the total', async () => {
    const dir = tmp('alias-total');
    const text = `${replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: &blob ${'长'.repeat(40_000)}`)}\nx_copies:\n${'  - *blob\n'.repeat(30)}`;
    const d = await diagnosticsOf(writeFile(dir, 'a.yaml', text));
    expect(d.code).toBe(1);
    const total = d.diagnostics.find((x) => x.code === 'budget.total')!;
    expect(total.message).toMatch(/展开引用.*超过 100 万字符的上限/);
    expect(total.line).toBeGreaterThan(lineOf(text, 'x_copies:'));
  });

  it('a 2,000,000-character Latin word (a pasted blob) is refused at its line, within 512 MB', async () => {
    const dir = tmp('word');
    const text = replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: ${'A'.repeat(2_000_000)}`);
    const file = writeFile(dir, 'a.yaml', text);
    const r = await spawnBounded(['package', file, '--out', join(dir, 'out')], { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`a\\.yaml:${lineOf(text, 'overview:')}:13 .*超过单项 ${MAX_FIELD_CHARS / 10_000} 万字符的上限`));
  }, 70_000);

  it('a long field under the limit still renders', async () => {
    const dir = tmp('long-ok');
    const text = replaceLine(MINIMAL, OVERVIEW_LINE, `  overview: ${yamlQuoted('知识产权'.repeat(MAX_FIELD_CHARS / 4 - 10))}`);
    const l = await loadYamlFile(writeFile(dir, 'a.yaml', text));
    expect(l.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });
});

describe.skipIf(!hasBuild || process.platform === 'win32')('batch', () => {
  it('a FIFO named *.yaml in the folder fails alone; the batch never blocks on it', async () => {
    const data = tmp('batch-fifo');
    writeFile(data, 'a.yaml', readFileSync(MINIMAL_FILE));
    fifo(data, 'b.yaml');
    const out = tmp('batch-fifo-out');
    const r = await spawnBounded(['batch', data, '--out', out, '--jobs', '1'], { timeoutMs: 120_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toMatch(/b\.yaml.*不是普通文件（管道）/);
    expect(readFileSync(join(out, '徐汇区-示范城区', 'manifest.json'), 'utf8')).toContain('"eligible"');
  }, 130_000);
});

describe.skipIf(!hasBuild || process.platform === 'win32')('the office\'s other inputs: the select list and shenbao.config.yaml', () => {
  it('a FIFO as the select list or as the config file ends at once with exit 2 and a Chinese reason', async () => {
    const dir = tmp('other-fifo');
    const select = fifo(dir, 'select.yaml');
    const out = tmp('other-fifo-out');
    const bySelect = await spawnBounded(['batch', MINIMAL_FILE, '--out', out, '--jobs', '1', '--select', select], { timeoutMs: 60_000 });
    expect(bySelect.timedOut).toBe(false);
    expectNoCrash(bySelect, expect);
    expect(bySelect.code).toBe(2);
    expect(bySelect.err).toMatch(/无法读取推荐名单：.*管道/);
    const config = fifo(dir, 'shenbao.config.yaml');
    const byConfig = await spawnBounded(['doctor'], { timeoutMs: 60_000, env: { SHENBAO_CONFIG: config } });
    expect(byConfig.timedOut).toBe(false);
    expectNoCrash(byConfig, expect);
    expect(byConfig.code).toBe(2);
    expect(byConfig.err).toMatch(/无法读取配置文件：.*管道/);
  }, 130_000);

  it('an alias bomb in the select list is refused in Chinese, not with the yaml library\'s English', async () => {
    const dir = tmp('select-bomb');
    const lines = ['a: &a ["徐汇区","徐汇区","徐汇区","徐汇区","徐汇区","徐汇区","徐汇区","徐汇区","徐汇区"]'];
    for (let i = 1; i <= 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('select: *i');
    const select = writeFile(dir, 'select.yaml', `${lines.join('\n')}\n`);
    const r = await spawnBounded(['batch', MINIMAL_FILE, '--out', tmp('select-bomb-out'), '--jobs', '1', '--select', select], { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toContain('推荐名单中的引用（*别名）展开次数过多');
    expect(r.err).not.toMatch(/Excessive|alias count/i);
  }, 130_000);
});

describe.skipIf(!hasBuild || process.platform !== 'linux')('outputs that cannot be made', () => {
  it.each([
    ['render', ['render', MINIMAL_FILE, '--out', '/proc/shenbao-x', '--format', 'docx']],
    ['package', ['package', MINIMAL_FILE, '--out', '/proc/shenbao-x']],
    ['schema', ['schema', '--out', '/proc/shenbao-x/schema.json']],
  ])('%s into /proc ends at once: exit 2, a Chinese reason that is not 文件不存在', async (_, args) => {
    const r = await spawnBounded(args, { timeoutMs: 30_000 });
    expect(r.timedOut).toBe(false);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/无法写入.*无法在此位置创建文件或文件夹/);
    expect(r.err).not.toContain('文件不存在');
  }, 40_000);
});

describe('schema --out', () => {
  it('refuses an existing file without --force and replaces it with --force', async () => {
    const dir = tmp('schema');
    const file = writeFile(dir, 'schema.json', '我的文件');
    const r = await run('schema', '--out', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('文件已存在，未覆盖（如需覆盖请加 --force）');
    expect(readFileSync(file, 'utf8')).toBe('我的文件');
    const forced = await run('schema', '--out', file, '--force');
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('properties');
  });
});

describe.skipIf(!hasBuild)('--jobs', () => {
  it('is capped by the cores and memory, and says so', async () => {
    const { maxJobs } = await import('../../src/batch/index.js');
    const data = tmp('jobs');
    writeFile(data, 'a.yaml', readFileSync(MINIMAL_FILE));
    const r = await run('batch', data, '--out', join(tmp('jobs-out'), 'out'), '--jobs', '64');
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toContain(`--jobs 64 超过本机能同时运行的 ${maxJobs()} 个（按 CPU 核数和内存计算），按 ${maxJobs()} 个并行`);
  }, 120_000);
});

describe('numbers no figure can be', () => {
  const PATENTS = '    invention_patents: 17260';
  it('.inf and .nan are named as such, at their line', async () => {
    for (const [value, word] of [['.inf', '无穷大（.inf）'], ['.nan', '非数字（.nan）']] as const) {
      const text = replaceLine(MINIMAL, PATENTS, `    invention_patents: ${value}`);
      const d = await diagnosticsOf(writeFile(tmp('inf'), 'a.yaml', text));
      expect(d.code).toBe(1);
      const hit = d.diagnostics.find((x) => x.path?.join('.') === 'indicators.2019.invention_patents')!;
      expect(hit.message).toBe(`应为有限的数字，实际为${word}`);
      expect(hit.line).toBe(lineOf(text, `invention_patents: ${value}`));
    }
  });

  it('1e308 is refused at its line before any report prints it', async () => {
    const text = replaceLine(MINIMAL, PATENTS, '    invention_patents: 1e308');
    const d = await diagnosticsOf(writeFile(tmp('huge'), 'a.yaml', text));
    expect(d.code).toBe(1);
    const hit = d.diagnostics.find((x) => x.code === 'budget.number')!;
    expect(hit.message).toContain('数值过大');
    expect(hit.line).toBe(lineOf(text, '1e308'));
  });
});

describe('an included file’s values are not echoed', () => {
  it('a wrong value in a part is reported by key and line, without the value', async () => {
    const dir = tmp('echo');
    writeFile(dir, 'part.yaml', 'contact:\n  name: [这段文字属于被引用的文件, 不应出现在消息中]\n  phone: 021-64872222\n');
    const lines = MINIMAL.split('\n');
    const at = lines.indexOf('contact:');
    const main = writeFile(dir, 'main.yaml', `include:\n  - part.yaml\n${[...lines.slice(0, at), ...lines.slice(at + 3)].join('\n')}`);
    const d = await diagnosticsOf(main);
    expect(d.code).toBe(1);
    const hit = d.diagnostics.find((x) => x.path?.join('.') === 'contact.name')!;
    expect(hit.file).toMatch(/part\.yaml$/);
    expect(hit.line).toBe(2);
    expect(JSON.stringify(d.diagnostics)).not.toContain('这段文字属于被引用的文件');
  });
});
