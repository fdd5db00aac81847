import { existsSync } from 'node:fs';
import { UserError } from '../../common/diagnostics.js';
import { lintCommonTemplates, lintTemplates } from '../../docx/lint.js';
import { loadProgram } from '../../program/load.js';
import { json, printDiagnostics, summarizeCounts, type Io } from '../output.js';

export async function templatesLintCommand(dir: string | undefined, opts: { program: string; json?: boolean }, io: Io): Promise<number> {
  if (dir !== undefined && !existsSync(dir)) {
    throw new UserError([{ severity: 'error', code: 'docx.templates-dir', file: dir, message: `模板目录不存在：${dir}` }], 2);
  }
  const program = await loadProgram(opts.program).catch((err) => {
    throw err instanceof UserError ? new UserError(err.diagnostics, 2) : err;
  });
  // Without a folder, the shipped package templates (cover, checklist, summary) are checked too.
  const diagnostics = dir ? lintTemplates(dir, program) : [...lintTemplates(undefined, program), ...lintCommonTemplates()];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (opts.json) json(io, { program: program.id, dir: dir ?? null, ok: errors.length === 0, diagnostics });
  else {
    printDiagnostics(io, diagnostics);
    io.out(errors.length ? `✗ 模板检查未通过（${summarizeCounts(diagnostics)}）` : `✓ 模板检查通过（批次 ${program.id}）${diagnostics.length ? `，${summarizeCounts(diagnostics)}` : ''}`);
  }
  return errors.length ? 1 : 0;
}
