import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalogueSchema, type Catalogue } from '../../src/program/indicators.js';
import { programSchema, type Program } from '../../src/program/schema.js';

/**
 * The round files are data other code and applicant files depend on (category, condition and
 * indicator ids), and their condition texts must be the notice's own words: these tests keep
 * them honest.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The notice text ships with the rounds (data/notices/), so this check runs everywhere; the
// shared copy beside the repository, where there is one, must be the same text.
const NOTICE = '2022-shanghai-and-national.txt';
const noticePath = resolve(root, 'data/notices', NOTICE);
const sharedNotice = resolve(root, '../shared/notice', NOTICE);

const readYaml = (rel: string): unknown => parse(readFileSync(resolve(root, rel), 'utf8'));

const catalogue: Catalogue = catalogueSchema.parse(readYaml('data/indicators.yaml'));
const indicatorIds = new Set(catalogue.indicators.map((i) => i.id));

const ROUNDS = ['2022-shanghai', '2022-national'] as const;
const programs = Object.fromEntries(
  ROUNDS.map((id) => [id, programSchema.parse(readYaml(`data/programs/${id}.yaml`))]),
) as Record<(typeof ROUNDS)[number], Program>;

/**
 * The notice text mixes half- and full-width brackets and commas and breaks lines (even inside
 * sentences, at page ends), so comparisons ignore whitespace and punctuation width.
 */
const normalise = (s: string): string =>
  s
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/，/g, ',')
    .replace(/；/g, ';')
    .replace(/：/g, ':')
    .replace(/％/g, '%');

/** Every piece of a round file that claims to quote the notice. */
function quotedTexts(p: Program): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  out.push({ where: 'submission.text', text: p.submission.text });
  for (const m of p.milestones) if (m.text) out.push({ where: `milestones.${m.name}`, text: m.text });
  for (const c of p.categories) {
    if (c.basis) out.push({ where: `${c.id}.basis`, text: c.basis });
    for (const cond of c.conditions) out.push({ where: cond.id, text: cond.text });
  }
  return out;
}

describe('indicator catalogue', () => {
  it('has the ids other code depends on', () => {
    expect([...indicatorIds]).toEqual([
      'invention_patents',
      'population',
      'invention_patents_per_10k',
      'high_value_patents',
      'high_value_patents_per_10k',
      'pct_applications',
      'trademarks',
      'madrid_trademarks',
      'geographical_indications',
      'pledge_financing',
      'patent_transfers',
      'service_agencies',
      'ip_funds',
      'general_budget',
      'ip_funds_ratio',
      'performance_rank',
    ]);
  });

  it('has unique ids', () => {
    expect(indicatorIds.size).toBe(catalogue.indicators.length);
  });

  it('derives only from existing, stored indicators', () => {
    for (const ind of catalogue.indicators) {
      if (!ind.derived) continue;
      const refs =
        ind.derived.op === 'per_10k_population'
          ? [ind.derived.of, ind.derived.population]
          : [ind.derived.numerator, ind.derived.denominator];
      for (const ref of refs) {
        expect(indicatorIds.has(ref), `${ind.id} → ${ref}`).toBe(true);
        const target = catalogue.indicators.find((i) => i.id === ref);
        expect(target?.derived, `${ind.id} derives from derived ${ref}`).toBeUndefined();
      }
    }
  });

  it('marks the funds ratio as a percent and the performance rank as a rank', () => {
    const byId = new Map(catalogue.indicators.map((i) => [i.id, i]));
    expect(byId.get('ip_funds_ratio')).toMatchObject({ kind: 'percent', unit: '%', decimals: 3 });
    expect(byId.get('performance_rank')?.kind).toBe('rank');
  });
});

describe('2022-shanghai', () => {
  const p = programs['2022-shanghai'];

  it('sets the Shanghai quotas', () => {
    expect(Object.fromEntries(p.categories.map((c) => [c.id, c.quota]))).toEqual({
      'demo-district': 2,
      'pilot-district': 3,
      'demo-park': 1,
      'pilot-park': 2,
    });
  });

  it('has the Shanghai deadline, recipient and submission', () => {
    expect(p.deadline).toBe('2022-02-18');
    expect(p.recipient).toBe('上海市知识产权局');
    expect(p.submission).toMatchObject({ paper_copies: 2, electronic: true });
    expect(p.notice.number).toBe('沪知局促〔2022〕1号');
    expect(p.notice.parent?.number).toBe('国知办函运字〔2021〕1197号');
  });

  it('lists the materials in the notice order', () => {
    expect(p.materials.map((m) => m.id)).toEqual(['letter', 'report', 'plan']);
    expect(p.materials.every((m) => m.author === 'applicant')).toBe(true);
  });

  it('sets no rank of its own for 位居全市前列: the notice names none, so a person judges the ranks', () => {
    expect(notice()).toContain('知识产权工作绩效考核连续两年位居全市前列');
    const ranking = p.categories.flatMap((c) => c.conditions).find((c) => c.id === 'sh-pilot-district-ranking');
    expect(ranking?.check).toEqual({ type: 'rank', indicator: 'performance_rank', years: 2 });
    expect(p.params).toEqual({});
  });
});

describe('2022-national', () => {
  const p = programs['2022-national'];

  it('has the national deadline, milestone and categories', () => {
    expect(p.deadline).toBe('2022-03-15');
    expect(p.notice).toMatchObject({ number: '国知办函运字〔2021〕1197号', date: '2021-12-23' });
    expect(p.milestones).toEqual([expect.objectContaining({ name: '联系人回执', date: '2021-12-31' })]);
    expect(p.categories.map((c) => c.id)).toEqual([
      'demo-city',
      'demo-county',
      'demo-park',
      'pilot-city',
      'pilot-county',
      'pilot-park',
    ]);
    // 根据分配名额: the quotas come from the provincial office's allocation, never "unlimited"
    expect(notice()).toContain('省级知识产权局根据分配名额择优确定推荐对象');
    expect(p.categories.every((c) => c.quota === null)).toBe(true);
  });

  it("lets the applicant address exactly the notice's addressees: each province's IP office", () => {
    expect(notice()).toContain('各省、自治区、直辖市和新疆生产建设兵团知识产权局');
    expect(p.offices).toHaveLength(32);
    expect(p.offices).toEqual(expect.arrayContaining(['江苏省知识产权局', '上海市知识产权局', '新疆生产建设兵团知识产权局', '广西壮族自治区知识产权局']));
    for (const o of p.offices!) expect(o).toMatch(/^[\u4e00-\u9fff]+(省|市|自治区|兵团)知识产权局$/);
  });

  it('lists the materials in the notice order', () => {
    expect(p.materials.map((m) => m.id)).toEqual([
      'recommendation',
      'letter',
      'report',
      'plan',
      'status-form',
      'contact-receipt',
    ]);
  });
});

describe.each(ROUNDS)('round %s', (id) => {
  const p = programs[id];
  const kindIds = new Set(p.applicant_kinds.map((k) => k.id));

  it('has unique category, condition, material and applicant-kind ids', () => {
    const conditionIds = p.categories.flatMap((c) => c.conditions.map((x) => x.id));
    for (const ids of [
      conditionIds,
      p.categories.map((c) => c.id),
      p.materials.map((m) => m.id),
      [...p.applicant_kinds.map((k) => k.id)],
    ]) {
      expect(new Set(ids).size, ids.join(',')).toBe(ids.length);
    }
  });

  it('admits only declared applicant kinds', () => {
    for (const c of p.categories) {
      for (const k of c.kinds) expect(kindIds.has(k), `${c.id}: ${k}`).toBe(true);
      for (const cond of c.conditions) {
        if (cond.check.type !== 'kind') continue;
        for (const k of cond.check.kinds) {
          expect(kindIds.has(k), `${cond.id}: ${k}`).toBe(true);
          expect(c.kinds, `${cond.id}: ${k} not admitted by ${c.id}`).toContain(k);
        }
      }
    }
  });

  it('refers only to indicators in the catalogue', () => {
    for (const cond of p.categories.flatMap((c) => c.conditions)) {
      const refs =
        cond.check.type === 'ratio'
          ? [cond.check.numerator, cond.check.denominator]
          : cond.check.type === 'rank'
            ? [cond.check.indicator]
            : [];
      for (const ref of refs) expect(indicatorIds.has(ref), `${cond.id} → ${ref}`).toBe(true);
    }
  });

  it('gives every automatic check a statement', () => {
    for (const cond of p.categories.flatMap((c) => c.conditions)) {
      if (cond.check.type === 'declared') continue;
      expect(cond.statement, cond.id).toBeTruthy();
    }
  });

  it('quotes the notice verbatim: every condition, basis, submission and milestone text', () => {
    const text = normalise(notice());
    const quoted = quotedTexts(p);
    expect(quoted.length).toBeGreaterThan(p.categories.length);
    const missing = quoted.filter(({ text: q }) => !text.includes(normalise(q)));
    expect(missing).toEqual([]);
  });

  it('the quote check would catch an invented condition', () => {
    const text = normalise(notice());
    expect(text.includes(normalise('知识产权工作绩效考核连续两年位居全市前5名。'))).toBe(false);
  });
});

function notice(): string {
  return readFileSync(noticePath, 'utf8');
}

describe('the notice text shipped in data/notices/', () => {
  it.skipIf(!existsSync(sharedNotice))('is the shared notice, byte for byte', () => {
    expect(readFileSync(noticePath)).toEqual(readFileSync(sharedNotice));
  });
});
