/** The three years an application reports on: the three before the round. */
export function reportingYears(programYear: number): [number, number, number] {
  return [programYear - 3, programYear - 2, programYear - 1];
}
