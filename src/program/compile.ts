/**
 * `npm run build` step: the shipped rounds (data/programs/*.yaml) and the indicator catalogue
 * (data/indicators.yaml), parsed and checked exactly as at run time, and the font table
 * (data/fonts.yaml, plain data), written as JSON to dist/data/ for the loaders to read instead of
 * the YAML (common/compiled.ts). A round or catalogue with an error fails the build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { COMPILED_DIR } from '../common/compiled.js';
import { UserError, formatDiagnostic } from '../common/diagnostics.js';
import { DATA_DIR } from '../common/paths.js';
import { listPrograms, loadCatalogue, loadProgram } from './load.js';

export async function compileData(outDir = COMPILED_DIR): Promise<string[]> {
  // Parse the YAML even where an earlier build left JSON behind.
  process.env.SHENBAO_NO_COMPILED_DATA = '1';
  const written: string[] = [];
  const write = (name: string, data: unknown): void => {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(data)}\n`);
    written.push(file);
  };
  write('indicators.json', await loadCatalogue());
  for (const id of listPrograms()) write(path.join('programs', `${id}.json`), await loadProgram(id));
  write('fonts.json', parse(readFileSync(path.join(DATA_DIR, 'fonts.yaml'), 'utf8')));
  delete process.env.SHENBAO_NO_COMPILED_DATA;
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  compileData().catch((err: unknown) => {
    if (err instanceof UserError) for (const d of err.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    else process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
