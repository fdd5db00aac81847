/**
 * A plan target's omitted 基期值 comes from one year everywhere: the year before the plan starts
 * (program/years.ts planBaseYear). The plan's table prints it, validation requires it, the check
 * compares targets against it and quotes figures as the table prints them. They used to take
 * three different years once the period moved: the table the year before the plan, validation
 * the year before the round, the check the last reporting year.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadYamlFile } from '../../src/load/index.js';
import { validateLocated, type ValidApplicant } from '../../src/schema/validate.js';
import { evaluate } from '../../src/evaluate/index.js';
import { buildViewModels } from '../../src/model/build.js';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'xuhui-demo-district.yaml');

/** The 徐汇 example with its plan moved to start in `start`, its targets and deadlines moved with it. */
async function moved(start: number, edit?: (doc: ReturnType<typeof parseDocument>) => void) {
  const doc = parseDocument(readFileSync(EXAMPLE, 'utf8'));
  const from = Number(doc.getIn(['plan', 'period', 'start']));
  doc.setIn(['plan', 'period', 'start'], start);
  doc.setIn(['plan', 'period', 'end'], start + 2);
  const targets = doc.getIn(['plan', 'targets']) as { items: unknown[] };
  targets.items.forEach((_, i) => {
    const values = doc.getIn(['plan', 'targets', i, 'values']) as { toJSON(): Record<string, number> };
    const old = values.toJSON();
    doc.setIn(['plan', 'targets', i, 'values'], doc.createNode(Object.fromEntries([0, 1, 2].map((k) => [String(start + k), old[String(from + k)]]))));
  });
  (doc.getIn(['plan', 'tasks']) as { items: unknown[] }).items.forEach((_, i) => {
    const deadline = String(doc.getIn(['plan', 'tasks', i, 'deadline']));
    doc.setIn(['plan', 'tasks', i, 'deadline'], deadline.replace(/^\d{4}/, (y) => String(Number(y) + start - from)));
  });
  edit?.(doc);
  const located = await loadYamlFile(EXAMPLE, { text: doc.toString() });
  return validateLocated(located);
}

describe("a plan target's omitted baseline", () => {
  it('is the year before the plan starts in the table, in validation and in the check, with the same figure', async () => {
    // The round is 2022; a plan of 2021–2023 takes 2020, a reporting year other than the last.
    const r = await moved(2021);
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    const v = r as ValidApplicant & { ok: true };
    const evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue, v.located);
    const { models } = buildViewModels({ applicant: v.applicant, program: v.program, category: v.category, catalogue: v.catalogue, evaluation });
    expect(models.plan.baseline_label).toBe('基期值（2020年）');

    const t = v.applicant.plan.targets.findIndex((x) => x.baseline === undefined && x.indicator === 'invention_patents');
    expect(t).toBeGreaterThanOrEqual(0);
    const printed = (models.plan.targets as { baseline: string }[])[t]!.baseline;
    expect(printed).toBe('19,850');

    // A 2021 target below 2020's figure is called so, against 2020 and with the table's figure.
    const low = await moved(2021, (doc) => doc.setIn(['plan', 'targets', t, 'values', '2021'], 19000));
    const lv = low as ValidApplicant & { ok: true };
    const findings = evaluate(lv.applicant, lv.program, lv.category, lv.catalogue, lv.located).findings.filter((f) => f.code === 'consistency.target');
    const at = findings.find((f) => f.ref === `plan.targets[${t}].values.2021`);
    expect(at?.message).toContain(`2021年目标值19,000`);
    expect(at?.message).toContain(`低于基期（2020年）值${printed}`);
  });

  it('is required by validation in the year the table would print it from', async () => {
    // A plan of 2023–2025 takes 2022, which the data does not have: the table would print "—".
    const r = await moved(2023);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.filter((x) => x.code === 'rule.target-baseline');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.message).toContain('2022 年');
  });

  it('is read from a year outside the three reporting years without calling that year unused', async () => {
    const r = await moved(2023, (doc) => {
      const last = (doc.getIn(['indicators', '2021']) as { toJSON(): Record<string, number> }).toJSON();
      doc.setIn(['indicators', '2022'], doc.createNode(last));
    });
    expect(r.ok, JSON.stringify(r.diagnostics.filter((x) => x.severity === 'error'))).toBe(true);
    expect(r.diagnostics.map((x) => x.code)).not.toContain('rule.indicator-extra-year');
  });
});
