/**
 * What a package refuses on and how to build anyway, apart from the package's builder: `batch`
 * says the hint too, and importing the builder would load pdf-lib and docxtemplater on its main
 * thread, where nothing is built.
 */
import type { Diagnostic } from '../common/diagnostics.js';
import { conditionLabel, type Evaluation } from '../evaluate/index.js';

/** One error per 不符合 condition, naming it and why: what `package` and `batch --select` refuse on. */
export function unmetErrors(file: string, evaluation: Evaluation, what = '不生成申报材料包'): Diagnostic[] {
  return evaluation.unmet.map((r) => ({
    severity: 'error' as const,
    code: 'condition.unmet',
    file,
    message: `申报条件 ${conditionLabel(r)} 不符合：${r.reason}，${what}`,
  }));
}

/** Said once under the refusals: how to build anyway, and what the documents will then say. */
export const ALLOW_UNMET_HINT = '如确需生成，请加 --allow-unmet（生成的材料不会声称具备申报条件）。';
