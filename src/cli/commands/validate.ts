import { UserError } from '../../common/diagnostics.js';
import { validateFile } from '../../schema/validate.js';
import { json, printDiagnostics, summarizeCounts, type Io } from '../output.js';

export async function validateCommand(files: string[], opts: { json?: boolean }, io: Io): Promise<number> {
  let code = 0;
  const reports: unknown[] = [];
  for (const file of files) {
    try {
      const r = await validateFile(file);
      reports.push({ file: r.file, valid: r.ok, diagnostics: r.diagnostics });
      if (!opts.json) {
        printDiagnostics(io, r.diagnostics);
        io.out(r.ok ? `✓ ${r.file}：有效${r.diagnostics.length ? `（${summarizeCounts(r.diagnostics)}）` : ''}` : `✗ ${r.file}：无效（${summarizeCounts(r.diagnostics)}）`);
      }
      if (!r.ok) code = Math.max(code, 1);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      reports.push({ file, valid: false, diagnostics: err.diagnostics });
      if (!opts.json) {
        printDiagnostics(io, err.diagnostics);
        io.out(`✗ ${file}：${err.exitCode === 2 ? '无法读取' : '无效'}`);
      }
      code = Math.max(code, err.exitCode);
    }
  }
  if (opts.json) json(io, { files: reports });
  return code;
}
