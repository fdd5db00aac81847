import { formatDiagnostic, UserError, type Diagnostic } from '../../common/diagnostics.js';
import { evaluate, openFindings, STATUS_LABEL, type Evaluation, type Finding } from '../../evaluate/index.js';
import { validateFile } from '../../schema/validate.js';
import { json, printDiagnostics, type Io } from '../output.js';

const MARK: Record<string, string> = { met: '✓', unmet: '✗', pending: '？', review: '△', priority: '★', not_applicable: '·' };

export async function checkCommand(file: string, opts: { json?: boolean; strict?: boolean }, io: Io): Promise<number> {
  const r = await validateFile(file);
  if (!r.ok) throw new UserError(r.diagnostics, 1);
  const evaluation = evaluate(r.applicant, r.program, r.category, r.catalogue, r.located);
  const open = openFindings(evaluation.findings);
  // --strict gates a submission: anything short of 符合 (不符合, 待补充, 待人工确认) fails it, and so
  // does an open consistency finding (a reviewer's doubt, which fails only a --strict run).
  const code = opts.strict && (!evaluation.eligible || open.length > 0) ? 1 : 0;
  const severity = opts.strict ? 'error' : 'warning';
  if (opts.json) {
    json(io, {
      file: r.file,
      program: r.program.id,
      category: { id: r.category.id, name: r.category.name, short_name: r.category.short_name, quota: r.category.quota },
      applicant: r.applicant.applicant.name,
      ...evaluation,
      results: evaluation.results.map((x) => ({ ...x, status_label: STATUS_LABEL[x.status] })),
      findings: evaluation.findings.map((f) => ({ ...f, severity: f.acknowledged === undefined ? severity : 'acknowledged' })),
      diagnostics: r.diagnostics,
    });
    return code;
  }
  printDiagnostics(io, r.diagnostics);
  io.out(`${r.applicant.applicant.name} · ${r.category.name}（${r.program.name}）`);
  io.out('');
  io.out(renderChecklist(evaluation));
  io.out('');
  io.out(`合计：${countsLine(evaluation)}。${conclusion(evaluation)}`);
  io.out('');
  io.out(renderFindings(evaluation.findings, severity));
  return code;
}

export function findingDiagnostic(f: Finding, severity: Diagnostic['severity']): Diagnostic {
  return { severity, code: f.code, message: f.message, file: f.file, line: f.line, col: f.col, path: f.path };
}

/** The reviewer's section: open findings one a line (file:line:col first), then the acknowledged ones with their reasons. */
export function renderFindings(findings: readonly Finding[], severity: Diagnostic['severity']): string {
  const open = openFindings(findings);
  const done = findings.filter((f) => f.acknowledged !== undefined);
  const lines = [`数据核对（正文数字、增长表述、方案目标、日期）：${open.length ? `发现 ${open.length} 处疑点` : '未发现疑点'}${done.length ? `，另有 ${done.length} 处已确认` : ''}`];
  for (const f of open) lines.push(`  ${formatDiagnostic(findingDiagnostic(f, severity))}`, `    确认用语：${f.ref}`);
  for (const f of done) lines.push(`  已确认  ${f.file ? `${f.file}:${f.line}:${f.col}  ` : ''}${f.message}（理由：${f.acknowledged}）`);
  if (open.length) lines.push('如属有意表述，在数据文件的 acknowledged 中登记 finding（上面的确认用语）和 reason（理由），check 不再提示。');
  return lines.join('\n');
}

export function renderChecklist(e: Evaluation): string {
  return e.results
    .map((r) => `${MARK[r.status]} [${STATUS_LABEL[r.status]}] ${r.clause} ${r.title}（${r.id}）\n    ${r.reason}`)
    .join('\n');
}

export function countsLine(e: Evaluation): string {
  const c = e.counts;
  return [
    `符合 ${c.met} 项`,
    `不符合 ${c.unmet} 项`,
    `待补充 ${c.pending} 项`,
    ...(c.review ? [`待人工确认 ${c.review} 项`] : []),
    ...(c.priority ? [`具备优先条件 ${c.priority} 项`] : []),
    ...(c.not_applicable ? [`不涉及 ${c.not_applicable} 项`] : []),
  ].join('，');
}

function conclusion(e: Evaluation): string {
  if (e.eligible) return '各项申报条件均已符合。';
  if (e.counts.unmet) return '存在不符合的条件，不能生成申报材料包（除非加 --allow-unmet），请核实后再申报。';
  if (e.counts.pending) return '请补充待补充的条件后再申报。';
  return '待人工确认的条件由审核部门根据所列数据判断。';
}
