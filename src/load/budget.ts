import type { DataPath, Diagnostic, SourcePosition } from '../common/diagnostics.js';

/**
 * The longest single text an applicant needs (a section of the 工作报告 runs to a few thousand
 * characters). A value far beyond it is a pasted blob, not prose, and every later stage pays
 * for its length.
 */
export const MAX_FIELD_CHARS = 50_000;

/**
 * The whole applicant after aliases and includes are expanded. The file-size limit does not
 * bound this: one long string repeated through aliases multiplies in every document that
 * prints it.
 */
export const MAX_TOTAL_CHARS = 1_000_000;

/** No figure of an applicant (万元, 件, 人) comes near this; 1e308 would print as "1e+308". */
export const MAX_NUMBER = 1e15;

const wan = (n: number) => `${n / 10_000} 万`;

/**
 * Checks the expanded data against the budgets, walking aliases as often as they are used
 * (that is what rendering would do) but stopping at the first budget exceeded, so the check
 * itself costs at most MAX_TOTAL_CHARS steps. Every node costs at least one, so a bomb of
 * empty lists is bounded too.
 */
export function checkBudgets(data: unknown, locate: (p: DataPath) => SourcePosition): Diagnostic[] {
  const out: Diagnostic[] = [];
  let total = 0;
  let stopped = false;
  const reported = new Set<string>();
  const visit = (v: unknown, p: (string | number)[]): void => {
    if (stopped) return;
    if (typeof v === 'string') {
      if (v.length > MAX_FIELD_CHARS && !reported.has(v)) {
        reported.add(v);
        out.push({
          severity: 'error',
          code: 'budget.field',
          ...locate(p),
          path: p,
          message: `这一项有 ${v.length} 个字符，超过单项 ${wan(MAX_FIELD_CHARS)}字符的上限；请确认没有误粘贴网址、编码数据或整篇文件`,
        });
      }
      total += Math.max(1, v.length);
    } else {
      total += 1;
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) > MAX_NUMBER) {
        out.push({
          severity: 'error',
          code: 'budget.number',
          ...locate(p),
          path: p,
          message: `数值过大（${v}），超过 1000 万亿；请检查单位，或是否多写了数字`,
        });
      }
    }
    if (total > MAX_TOTAL_CHARS) {
      stopped = true;
      out.push({
        severity: 'error',
        code: 'budget.total',
        ...locate(p),
        path: p,
        message: `展开引用（*别名）和 include 后，申报数据超过 ${wan(MAX_TOTAL_CHARS)}字符的上限（在此处超出）；请检查是否有大段文字被反复引用`,
      });
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      total += k.length;
      visit(x, [...p, k]);
    }
  };
  visit(data, []);
  return out;
}
