/**
 * The bundled CLI (dist/bundle, what `shenbao` runs) must answer exactly as the compiled modules
 * it is made from (dist/cli): tools/bundle.mjs patches fontkit and commander and rewrites every
 * non-ASCII character as an escape, including those of the prose checks' patterns (Chinese
 * numerals, 较…增长, units). Compared on an applicant whose prose disagrees with its figures.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin/shenbao.js');
const bundled = existsSync(join(ROOT, 'dist/bundle/light.cjs')) && existsSync(join(ROOT, 'dist/cli/main.js'));
const tmp = mkdtempSync(join(tmpdir(), 'shenbao-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function check(file: string, unbundled: boolean): Promise<{ code: number; out: string; err: string }> {
  return cli(['check', file, '--json'], unbundled);
}

function cli(args: string[], unbundled: boolean): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHENBAO_NO_BUNDLE: unbundled ? '1' : '' } }, (error, out, err) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err }),
    );
  });
}

describe.skipIf(!bundled)('the bundled CLI', () => {
  it('prints the JSON Schema that is committed and that the modules print: patterns with their own characters, not the bundle\'s escapes', { timeout: 30_000 }, async () => {
    const [viaBundle, viaModules] = await Promise.all([cli(['schema'], false), cli(['schema'], true)]);
    expect(viaBundle.code, viaBundle.err).toBe(0);
    expect(viaBundle.out).toBe(viaModules.out);
    expect(JSON.parse(viaBundle.out)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema/applicant.schema.json'), 'utf8')));
    expect(viaBundle.out).toContain('〔');
  });

  it('finds the same prose–figure disagreements, in the same Chinese words, as the compiled modules', { timeout: 30_000 }, async () => {
    // 17,260 patents in 2019 become 17,999: the report's 较2019年增长34.1% and 由158.5件 no longer hold.
    const text = readFileSync(join(ROOT, 'examples/xuhui-demo-district.yaml'), 'utf8');
    expect(text).toContain('invention_patents: 17260 ');
    const file = join(tmp, 'changed.yaml');
    writeFileSync(file, text.replace('invention_patents: 17260 ', 'invention_patents: 17999 '));

    const [viaBundle, viaModules] = await Promise.all([check(file, false), check(file, true)]);
    expect(viaBundle.code, viaBundle.err).toBe(0);
    expect(viaBundle).toEqual(viaModules);
    const findings = (JSON.parse(viaBundle.out) as { findings: { code: string; message: string }[] }).findings;
    expect(findings.map((f) => f.code)).toContain('consistency.growth');
    expect(findings.find((f) => f.code === 'consistency.growth')!.message).toContain('较2019年增长34.1%');
  });
});
