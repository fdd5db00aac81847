import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shipped data files (data/*.yaml) as `npm run build` compiled them to JSON (dist/data/, see
 * src/program/compile.ts): parsing YAML with a cold parser is most of what a short command would
 * otherwise spend on them. This file sits one level below dist/ (dist/common, or dist/bundle once
 * bundled), so dist/data is next to it; from the sources (tests) there is none and the YAML is read.
 */
export const COMPILED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** The compiled form of `yamlFile`, when the build made one at least as new as the YAML (the YAML stays the source). */
export function compiledData<T>(yamlFile: string, name: string): T | undefined {
  if (process.env.SHENBAO_NO_COMPILED_DATA) return undefined;
  const json = path.join(COMPILED_DIR, name);
  try {
    if (statSync(json).mtimeMs < statSync(yamlFile).mtimeMs) return undefined;
    return JSON.parse(readFileSync(json, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
