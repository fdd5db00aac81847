/**
 * Property-based (issue 6): applicants made from a valid base by random hostile mutations
 * (strings with CJK, punctuation, emoji, template syntax, control characters, very long text;
 * numbers negative, NaN, infinite, huge; dates impossible or malformed; fields missing, of the
 * wrong type or unknown; now and then a character inserted into the YAML text itself).
 *
 * For every one: validation never throws; either it fails with at least one Chinese message
 * located at file:line:col, or every document renders without an error and every DOCX opens
 * (each XML part strictly well-formed, valid UTF-8, only XML 1.0 characters). About 20 of the
 * valid ones also go through the native PDF engine. The seed is fixed: a failure reproduces.
 *
 * SHENBAO_PROPERTY_RUNS changes the number of runs (default 200), SHENBAO_PROPERTY_SEED the seed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatDiagnostic, type Diagnostic } from '../../src/common/diagnostics.js';
import { renderDocuments } from '../../src/docx/render.js';
import { evaluate } from '../../src/evaluate/index.js';
import { nativeConverter } from '../../src/pdf/engine.js';
import { validateFile } from '../../src/schema/validate.js';
import { assertDocxOpens, MINIMAL, ROOT, tmp, removeTemps } from './helpers.js';

afterAll(removeTemps);

const RUNS = Number(process.env.SHENBAO_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.SHENBAO_PROPERTY_SEED ?? 20220218);
const PDF_RUNS = 20;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const BASES: Json[] = [parse(MINIMAL) as Json, parse(readFileSync(join(ROOT, 'examples/xuhui-demo-district.yaml'), 'utf8')) as Json];

// ── Arbitraries ──────────────────────────────────────────────────────────────

const SPECIALS = [
  '{x}', '{#x}', '{/x}', '{^x}', '{{x}}', '{{#each x}}', '{{/each}}', '{@raw}', '{.}', '{$index}', '{-w:p x}', '{%img}', '{ }', '{', '}',
  '<w:p>', '</w:t>', '<w:br/>', '&amp;', '&lt;', '&#1;', '&', ']]>', '<![CDATA[', '<!--', '<?xml?>',
  '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\ufffe', '\uffff', '\ufeff',
  '\ud800', '\udfff', '\u200b', '\u200d', '\u202e', '\u2028', '\u2029', '\u00ad', '\u3000', '\t', '\n', '\r\n', '\n\n', ' ',
  '😀', '👨‍👩‍👧', '🇨🇳', '𠀀', '\ue000', 'é', 'e\u0301', 'ﷺ', 'א',
  '：', '，', '。', '〔2022〕', '（一）', '一、', '1.', '——', '……', '“', '”', '《》', '%', '‰', '¥',
  '\\', '"', "'", '#', ': ', '- ', '---', '...', '*', '&a', '*a', '!!str', '!!js/function', '~', 'null', 'true', 'no', '0x1F', '1e3', '=cmd|x',
];

const cjk = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)), minLength: 1, maxLength: 30 });
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 4, arbitrary: cjk },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const longText = fc.tuple(cjk, fc.integer({ min: 500, max: 4000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
const hostileString = fc.oneof(
  { weight: 10, arbitrary: fc.array(piece, { minLength: 1, maxLength: 8 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.constant('') },
);
const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -10, max: 10 }),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1e308, 1e-300, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.constantFrom('1,000', '１２３', 'NaN', '1e3', '0x10', '12万', '3.5%', ''),
);
const hostileDate: fc.Arbitrary<Json> = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2022-02-30', '2021-02-29', '2022-13-01', '2022-00-10', '0000-01-01', '9999-12-31', '2022/02/15', '2022-2-5', '2022年2月15日', '20220215', '2022-02-15T10:00:00Z', '2022-02', '2022'),
  hostileString,
);
const wrongType: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  hostileString,
);
const extraKey = fc.oneof(fc.constantFrom('extra', 'Name', 'short-name', '备注', 'include', '__proto__', 'constructor', 'toString', 'hasOwnProperty'), fc.string({ minLength: 1, maxLength: 10 }));

type Mutation =
  | { kind: 'string' | 'number' | 'date' | 'wrong-type' | 'delete'; pick: number; value: Json }
  | { kind: 'extra'; pick: number; key: string; value: Json }
  | { kind: 'paragraphs'; pick: number; value: string[] }
  | { kind: 'category'; value: string }
  | { kind: 'program'; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('string' as const), pick: fc.nat(), value: hostileString }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), value: hostileNumber }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('date' as const), pick: fc.nat(), value: hostileDate }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrong-type' as const), pick: fc.nat(), value: wrongType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), value: fc.constant(null) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: extraKey, value: wrongType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paragraphs' as const), pick: fc.nat(), value: fc.array(hostileString, { minLength: 1, maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('category' as const), value: fc.constantFrom('demo-district', 'pilot-district', 'demo-park', 'pilot-park', '示范城区', '试点园区', 'demo-city', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('program' as const), value: fc.constantFrom('2022-shanghai', '2022-national', '2099-nowhere', '../2022-shanghai') }) },
);

const applicantCase = fc.record({
  base: fc.constantFrom(0, 0, 0, 1),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  // Now and then a character inserted into the YAML text itself.
  text: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ at: fc.nat(), insert: piece }) }),
});

// ── Applying mutations ───────────────────────────────────────────────────────

function entries(value: Json, path: Path = [], out: { path: Path; value: Json }[] = []): { path: Path; value: Json }[] {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => entries(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) entries(v, [...path, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Json {
  let v = root;
  for (const seg of path.slice(0, -1)) v = (v as Record<string, Json>)[seg as string]!;
  return v;
}

/** Sets a property as data, even "__proto__" (as a YAML key would be). */
function setOwn(obj: Json, key: string | number, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}

function apply(root: Json, m: Mutation): void {
  const obj = root as Record<string, Json>;
  if (m.kind === 'category' || m.kind === 'program') {
    obj[m.kind] = m.value;
    return;
  }
  const all = entries(root).filter((e) => e.path.length > 0);
  const pick = <T>(list: T[]): T | undefined => (list.length ? list[m.pick % list.length] : undefined);
  let target: { path: Path; value: Json } | undefined;
  switch (m.kind) {
    case 'string':
      target = pick(all.filter((e) => typeof e.value === 'string'));
      break;
    case 'number':
      target = pick(all.filter((e) => typeof e.value === 'number'));
      break;
    case 'date':
      target = pick(all.filter((e) => typeof e.value === 'string' && /^\d{4}-\d{1,2}(-\d{1,2})?$/.test(e.value)));
      break;
    case 'paragraphs':
      target = pick(all.filter((e) => ['overview', 'paragraphs', 'statement', 'text', 'content', 'guiding_ideas', 'overall_goal'].includes(String(e.path.at(-1)))));
      break;
    case 'extra': {
      const containers = entries(root).filter((e) => e.value && typeof e.value === 'object' && !Array.isArray(e.value));
      const c = pick(containers)!;
      setOwn(c.value, m.key, m.value);
      return;
    }
    default:
      target = pick(all);
  }
  if (!target) return;
  const parent = parentOf(root, target.path);
  const key = target.path.at(-1)!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key as string];
  } else setOwn(parent, key, m.value as Json);
}

// ── The property ─────────────────────────────────────────────────────────────

const HAN = /[\u4e00-\u9fff]/;

describe('the oracle: the strict DOCX check rejects what Word rejects', () => {
  const letter = readFileSync(join(ROOT, 'templates/2022-shanghai/letter.docx'));
  const withDocument = (edit: (xml: Buffer) => Buffer) => {
    const zip = new PizZip(letter);
    zip.file('word/document.xml', edit(Buffer.from(zip.file('word/document.xml')!.asUint8Array())));
    return zip.generate({ type: 'nodebuffer' });
  };
  const insert = (xml: Buffer, bytes: number[]) => {
    const at = xml.indexOf('</w:t>');
    return Buffer.concat([xml.subarray(0, at), Buffer.from(bytes), xml.subarray(at)]);
  };

  it('accepts a shipped template', () => {
    expect(() => assertDocxOpens(letter, 'letter.docx')).not.toThrow();
  });

  it.each([
    ['a lone surrogate written as CESU-8 (invalid UTF-8)', withDocument((x) => insert(x, [0xed, 0xa0, 0x80])), /not valid UTF-8/],
    ['a raw control character', withDocument((x) => insert(x, [0x01])), /U\+1 is not allowed/],
    ['a character reference to a control character', withDocument((x) => insert(x, [...Buffer.from('&#x1F;')])), /&#x1F; is not allowed/],
    ['U+FFFE', withDocument((x) => insert(x, [0xef, 0xbf, 0xbe])), /U\+FFFE is not allowed/],
    ['markup that is not well-formed', withDocument((x) => Buffer.from(x.toString('utf8').replace('</w:body>', ''))), /document\.xml/],
    ['no main document', (() => { const z = new PizZip(letter); z.remove('word/document.xml'); return z.generate({ type: 'nodebuffer' }); })(), /main document part/],
    ['not a zip', Buffer.from('PK but not really'), /not a zip/],
  ])('rejects %s', (_why, bytes, reason) => {
    expect(() => assertDocxOpens(bytes as Buffer, 'x.docx')).toThrow(reason as RegExp);
  });
});

describe('applicants generated from the schema, mutated at random', () => {
  it(`either fail validation with located Chinese messages or render every document to a DOCX that opens (${RUNS} runs, seed ${SEED})`, async () => {
    const dir = tmp('property');
    const file = join(dir, 'applicant.yaml');
    const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
    // Random text has characters no font has: blanks accepted here (the default refusal is tested in values.test.ts).
    const converter = nativeConverter({ allowBlank: true });
    const stats = { valid: 0, invalid: 0, pdf: 0, documents: 0, warnings: new Map<string, number>() };

    await fc.assert(
      fc.asyncProperty(applicantCase, async (c) => {
        const data = structuredClone(BASES[c.base]!);
        for (const m of c.mutations) apply(data, m);
        let text = stringify(data, { lineWidth: 0 });
        if (c.text) {
          const at = c.text.at % (text.length + 1);
          text = text.slice(0, at) + c.text.insert + text.slice(at);
        }
        writeFileSync(file, text);

        // Never throws for bad data (a throw fails the property).
        const r = await validateFile(file);
        if (!r.ok) {
          stats.invalid++;
          const errors = r.diagnostics.filter((d) => d.severity === 'error');
          expect(errors.length, 'invalid without an error').toBeGreaterThan(0);
          for (const d of r.diagnostics) {
            expect(d.message, JSON.stringify(d)).toMatch(HAN);
            const line = formatDiagnostic(d);
            expect(line).not.toMatch(/undefined|\[object Object\]|    at /);
          }
          const located = errors.filter((d: Diagnostic) => d.file === shown && (d.line ?? 0) >= 1 && (d.col ?? 0) >= 1);
          expect(located.length, `no error located at file:line:col: ${JSON.stringify(errors)}`).toBeGreaterThan(0);
          return;
        }

        stats.valid++;
        for (const w of r.diagnostics) stats.warnings.set(w.code, (stats.warnings.get(w.code) ?? 0) + 1);
        const evaluation = evaluate(r.applicant, r.program, r.category, r.catalogue);
        const rendered = renderDocuments({ ...r, evaluation });
        expect(rendered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(rendered.files.map((f) => f.materialId)).toEqual(r.program.materials.map((m) => m.id));
        for (const f of rendered.files) {
          assertDocxOpens(f.bytes, f.fileName);
          stats.documents++;
        }
        // Spread the PDF runs over the valid applicants.
        if (stats.pdf < PDF_RUNS && stats.valid % 4 === 1) {
          stats.pdf++;
          const pdf = await converter.convert(rendered.files.map((f) => ({ name: f.fileName, bytes: f.bytes })));
          expect(pdf.pdfs).toHaveLength(rendered.files.length);
          for (const p of pdf.pdfs) {
            expect(Buffer.from(p.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
            expect(p.pages).toBeGreaterThanOrEqual(1);
          }
          for (const d of pdf.diagnostics) expect(d.severity).toBe('warning');
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    // Not vacuous: both outcomes were exercised, and the PDF engine ran.
    expect(stats.valid + stats.invalid).toBe(RUNS);
    if (RUNS >= 200) {
      expect(stats.valid).toBeGreaterThanOrEqual(40);
      expect(stats.invalid).toBeGreaterThanOrEqual(40);
      expect(stats.pdf).toBeGreaterThanOrEqual(15);
    }
    console.info(`property: ${stats.valid} valid (${stats.documents} DOCX, ${stats.pdf} PDF sets), ${stats.invalid} invalid; warnings ${JSON.stringify(Object.fromEntries(stats.warnings))}`);
  }, 120_000);
});
