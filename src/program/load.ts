import { readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { DATA_DIR, PROGRAMS_DIR } from '../common/paths.js';
import { compiledData } from '../common/compiled.js';
import { loadYamlFile } from '../load/index.js';
import { issuesToDiagnostics } from '../common/issues.js';
import type { Catalogue } from './indicators.js';
import type { Category, Program } from './schema.js';

const programCache = new Map<string, Program>();
let catalogueCache: Catalogue | undefined;

/** Ids of the rounds shipped in data/programs/. */
export function listPrograms(): string[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A round by id (data/programs/<id>.yaml) or by path to a round file. */
export async function loadProgram(idOrPath: string): Promise<Program> {
  const isPath = /[\\/]|\.ya?ml$/i.test(idOrPath);
  const file = isPath ? path.resolve(idOrPath) : path.join(PROGRAMS_DIR, `${idOrPath}.yaml`);
  const cached = programCache.get(file);
  if (cached) return cached;
  if (!isPath && !listPrograms().includes(idOrPath)) {
    throw new UserError([
      { severity: 'error', code: 'program.unknown', message: `未知的申报批次 ${idOrPath}；可用的批次：${listPrograms().join('、')}` },
    ]);
  }
  const fromBuild = isPath ? undefined : compiledData<Program>(file, path.join('programs', `${idOrPath}.json`));
  if (fromBuild) {
    programCache.set(file, fromBuild);
    return fromBuild;
  }
  const located = await loadYamlFile(file);
  if (!located.data) throw new UserError(located.diagnostics);
  const { programSchema } = await import('./schema.js');
  const parsed = programSchema.safeParse(located.data);
  if (!parsed.success) throw new UserError(issuesToDiagnostics(programSchema, parsed.error.issues, located));
  const catalogue = await loadCatalogue();
  const problems = checkProgramIntegrity(parsed.data, catalogue).map((d) => ({ ...located.locate(d.path ?? []), ...d }));
  if (problems.length) throw new UserError(problems);
  programCache.set(file, parsed.data);
  return parsed.data;
}

export async function loadCatalogue(file = path.join(DATA_DIR, 'indicators.yaml')): Promise<Catalogue> {
  const shipped = file === path.join(DATA_DIR, 'indicators.yaml');
  if (catalogueCache && shipped) return catalogueCache;
  const fromBuild = shipped ? compiledData<Catalogue>(file, 'indicators.json') : undefined;
  if (fromBuild) return (catalogueCache = fromBuild);
  const located = await loadYamlFile(file);
  if (!located.data) throw new UserError(located.diagnostics);
  const { catalogueSchema } = await import('./indicators.js');
  const parsed = catalogueSchema.safeParse(located.data);
  if (!parsed.success) throw new UserError(issuesToDiagnostics(catalogueSchema, parsed.error.issues, located));
  const ids = new Set(parsed.data.indicators.map((i) => i.id));
  const bad: Diagnostic[] = [];
  parsed.data.indicators.forEach((ind, i) => {
    const refs = ind.derived ? (ind.derived.op === 'percent' ? [ind.derived.numerator, ind.derived.denominator] : [ind.derived.of, ind.derived.population]) : [];
    for (const r of refs) if (!ids.has(r)) bad.push({ severity: 'error', code: 'catalogue.ref', ...located.locate(['indicators', i, 'derived']), message: `派生指标 ${ind.id} 引用了不存在的指标 ${r}` });
  });
  if (bad.length) throw new UserError(bad);
  if (shipped) catalogueCache = parsed.data;
  return parsed.data;
}

/** References inside a round that the schema cannot see: kinds, indicators, unique ids. */
export function checkProgramIntegrity(program: Program, catalogue: Catalogue): Diagnostic[] {
  const out: Diagnostic[] = [];
  const kinds = new Set(program.applicant_kinds.map((k) => k.id));
  const indicators = new Set(catalogue.indicators.map((i) => i.id));
  const seen = new Set<string>();
  program.categories.forEach((cat, ci) => {
    cat.kinds.forEach((k, ki) => {
      if (!kinds.has(k)) out.push({ severity: 'error', code: 'program.kind', path: ['categories', ci, 'kinds', ki], message: `类别 ${cat.id} 引用了未定义的申报主体类型 ${k}` });
    });
    cat.conditions.forEach((cond, i) => {
      const p = ['categories', ci, 'conditions', i];
      if (seen.has(cond.id)) out.push({ severity: 'error', code: 'program.duplicate-id', path: [...p, 'id'], message: `条件代码 ${cond.id} 重复` });
      seen.add(cond.id);
      const c = cond.check;
      const refs = c.type === 'ratio' ? [c.numerator, c.denominator] : c.type === 'rank' ? [c.indicator] : [];
      for (const r of refs) if (!indicators.has(r)) out.push({ severity: 'error', code: 'program.indicator', path: [...p, 'check'], message: `条件 ${cond.id} 引用了指标目录中没有的指标 ${r}` });
      if (c.type === 'kind') for (const k of c.kinds) if (!kinds.has(k)) out.push({ severity: 'error', code: 'program.kind', path: [...p, 'check'], message: `条件 ${cond.id} 引用了未定义的申报主体类型 ${k}` });
    });
  });
  return out;
}

/** A category by id, short name (试点园区) or full name. */
export function findCategory(program: Program, key: string): Category | undefined {
  const k = key.trim();
  return program.categories.find((c) => c.id === k || c.short_name === k || c.name === k);
}
