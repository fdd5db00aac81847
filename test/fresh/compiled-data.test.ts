/**
 * The shipped rounds, catalogue and font table compiled to JSON by `npm run build`
 * (src/program/compile.ts) must be exactly what parsing and checking the YAML gives: the loaders
 * use the JSON instead of the YAML whenever it is not older, so any difference would be a silent
 * change of the rules (or of which font stands in for which).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileData } from '../../src/program/compile.js';
import { listPrograms, loadCatalogue, loadProgram } from '../../src/program/load.js';

describe('rounds and catalogue compiled at build time', () => {
  it('are the parsed YAML, value for value', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'shenbao-compiled-'));
    const written = await compileData(out);
    expect(written.map((f) => path.relative(out, f)).sort()).toEqual(['fonts.json', 'indicators.json', ...listPrograms().map((id) => path.join('programs', `${id}.json`))].sort());
    const fonts = JSON.parse(readFileSync(path.join(out, 'fonts.json'), 'utf8'));
    expect(fonts).toEqual(parse(readFileSync('data/fonts.yaml', 'utf8')));
    expect(Object.keys(fonts.families)).toContain('仿宋_GB2312');
    expect(JSON.parse(readFileSync(path.join(out, 'indicators.json'), 'utf8'))).toEqual(await loadCatalogue());
    for (const id of listPrograms()) {
      const program = JSON.parse(readFileSync(path.join(out, 'programs', `${id}.json`), 'utf8'));
      expect(program, id).toEqual(await loadProgram(id));
      expect(program.categories.length, id).toBeGreaterThan(0);
    }
    // The step leaves the loaders reading compiled files again.
    expect(process.env.SHENBAO_NO_COMPILED_DATA).toBeUndefined();
  });
});
