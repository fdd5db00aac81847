/** The three years an application reports on: the three before the round. */
export function reportingYears(programYear: number): [number, number, number] {
  return [programYear - 3, programYear - 2, programYear - 1];
}

/**
 * The year a plan target's omitted baseline (基期值) is taken from: the year before the plan
 * starts. One rule for the document's table (model/build.ts), validation (schema/rules.ts), the
 * check (evaluate/consistency/targets.ts) and the editor's column (edit/ui/editor/Tables.tsx).
 */
export function planBaseYear(planStart: number): number {
  return planStart - 1;
}
