import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../common/paths.js';
import type { Catalogue } from '../program/indicators.js';
import { listPrograms, loadCatalogue, loadProgram } from '../program/load.js';
import type { Program } from '../program/schema.js';
import { applicantSchema } from './applicant.js';

/**
 * Where the schema is published: the file ships in the npm package (schema/), and a package's
 * files are served at this address once it is published, so a `$schema` line naming it works
 * wherever the data file is copied or e-mailed, unlike a path relative to the file.
 */
export function schemaUrl(): string {
  const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return `https://unpkg.com/shenbao@${version}/schema/applicant.schema.json`;
}

/** The codes an applicant file may use, from the rounds and the indicator catalogue shipped in data/. */
export interface SchemaVocabulary {
  programs: Program[];
  catalogue: Catalogue;
}

type Json = Record<string, unknown>;

/**
 * Standard validators (ajv in strict mode) reject what zod writes for a few constructs: a format
 * they do not know (email) and `type: [a, b]`. Rewritten to plain draft-07 keywords.
 */
function portable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = portable(v);
  if (out.format === 'email') {
    delete out.format;
    out.pattern ??= '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
  }
  if (Array.isArray(out.type)) {
    const types = out.type as string[];
    delete out.type;
    out.anyOf = types.map((type) => ({ type }));
  }
  if (typeof out.pattern === 'string') out.pattern = literalPattern(out.pattern);
  return out;
}

/**
 * A pattern with its characters written as themselves. The bundled CLI is pure ASCII
 * (tools/bundle.mjs): a regular expression's 〔 is \u3014 there, which means the same to a
 * validator but made `shenbao schema` from the bundle differ from the committed schema and from
 * the library's. An escape preceded by a backslash of its own (\\u3014, a backslash and text) is
 * kept.
 */
function literalPattern(pattern: string): string {
  return pattern.replace(/(\\*)\\u([0-9a-fA-F]{4})/g, (m, slashes: string, hex: string) => {
    const code = parseInt(hex, 16);
    // Only what the bundler escaped, beyond ASCII: \u002e stays a literal dot, not "any character".
    return slashes.length % 2 || code < 0x80 ? m : `${slashes}${String.fromCharCode(code)}`;
  });
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** JSON Schema of the file as typed (input side of the transforms), for editors' completion. */
export function applicantJsonSchema(vocabulary?: SchemaVocabulary): Record<string, unknown> {
  const schema = portable(z.toJSONSchema(applicantSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' })) as Json;
  // Split files may carry `include:`; the loader removes it before validation.
  const props = schema.properties as Record<string, Json>;
  props.include = { title: '引用文件', description: '把申报数据拆分到多个文件时，列出其余文件（相对路径）', type: 'array', items: { type: 'string' } };
  if (vocabulary) {
    const { programs, catalogue } = vocabulary;
    props.program!.enum = programs.map((p) => p.id);
    props.program!.description = `申报批次：${programs.map((p) => `${p.id}（${p.name}）`).join('；')}`;
    const categories = programs.flatMap((p) => p.categories);
    props.category!.enum = unique(categories.flatMap((c) => [c.id, c.short_name]));
    props.category!.description = `申报类别代码或简称：${unique(categories.map((c) => `${c.id}（${c.short_name}）`)).join('、')}`;
    const applicant = (props.applicant!.properties as Record<string, Json>);
    const kinds = programs.flatMap((p) => p.applicant_kinds);
    applicant.kind!.enum = unique(kinds.map((k) => k.id));
    applicant.kind!.description = `申报主体类型：${unique(kinds.map((k) => `${k.id}（${k.name}）`)).join('、')}`;
    const conditions = categories.flatMap((c) => c.conditions);
    props.conditions!.propertyNames = { type: 'string', enum: unique(conditions.map((c) => c.id)) };
    // Derived indicators (ratios) are computed, never typed: not offered.
    const typed = catalogue.indicators.filter((i) => !i.derived);
    const perYear = props.indicators!.additionalProperties as Json;
    perYear.propertyNames = { type: 'string', enum: typed.map((i) => i.id) };
    perYear.description = `指标代码: 数值。可用的指标：${typed.map((i) => `${i.id}（${i.name}）`).join('、')}`;
  }
  return { $schema: schema.$schema, $id: schemaUrl(), ...schema, title: 'shenbao 申报数据文件' };
}

/** The schema with every code the shipped rounds and catalogue allow (`shenbao schema`, schema/applicant.schema.json). */
export async function publishedJsonSchema(): Promise<Record<string, unknown>> {
  const programs = await Promise.all(listPrograms().map((id) => loadProgram(id)));
  return applicantJsonSchema({ programs, catalogue: await loadCatalogue() });
}
