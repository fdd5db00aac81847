import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findCategory, loadCatalogue, loadProgram } from '../../src/program/load.js';
import type { Catalogue } from '../../src/program/indicators.js';
import type { Category, Program } from '../../src/program/schema.js';
import { applicantSchema, type Applicant } from '../../src/schema/applicant.js';

/** Helpers shared by the schema and evaluate tests: the bundled examples as parsed applicants. */

export const EXAMPLES = ['xuhui-demo-district', 'minhang-pilot-district', 'zhangjiang-demo-park', 'caohejing-pilot-park'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

const rawCache = new Map<string, unknown>();

/** The example's YAML as plain data (the schema's input), a fresh deep clone each call. */
export function exampleRaw(name: ExampleName): any {
  if (!rawCache.has(name)) rawCache.set(name, parse(readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), 'utf8')));
  return structuredClone(rawCache.get(name));
}

/** The example parsed by the applicant schema, a fresh deep clone each call (safe to mutate). */
export function example(name: ExampleName = 'xuhui-demo-district'): Applicant {
  return applicantSchema.parse(exampleRaw(name));
}

export interface Round {
  program: Program;
  catalogue: Catalogue;
  category(id: string): Category;
}

export async function shanghai(): Promise<Round> {
  const program = await loadProgram('2022-shanghai');
  const catalogue = await loadCatalogue();
  return {
    program,
    catalogue,
    category(id: string) {
      const c = findCategory(program, id);
      if (!c) throw new Error(`no category ${id}`);
      return c;
    },
  };
}
