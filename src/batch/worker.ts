import { UserError } from '../common/diagnostics.js';
import { buildPackage } from '../package/index.js';
import { pdfConverter } from '../pdf/engine.js';
import { validateFile } from '../schema/validate.js';
import type { BuildTask, BuildOutcome } from './types.js';

/** One applicant, in a worker thread: validate again (cheap) and build its package. */
export default async function build(task: BuildTask): Promise<BuildOutcome> {
  if (task.crashForTest) {
    // Lets tests prove that a dying worker is reported against its file.
    if (task.crashForTest === 'exit') process.exit(3);
    throw new Error('simulated worker failure');
  }
  try {
    const valid = await validateFile(task.file);
    if (!valid.ok) return { file: task.file, status: 'failed', diagnostics: valid.diagnostics };
    const converter = await pdfConverter(task.engine, { fonts: task.fonts });
    const result = await buildPackage(valid, {
      outDir: task.outDir,
      converter,
      templatesDir: task.templatesDir,
      inputHash: task.inputHash,
      version: task.version,
    });
    return { file: task.file, status: 'built', name: result.name, diagnostics: result.diagnostics.filter((d) => d.severity === 'warning') };
  } catch (err) {
    if (err instanceof UserError) return { file: task.file, status: 'failed', diagnostics: err.diagnostics };
    return {
      file: task.file,
      status: 'failed',
      diagnostics: [{ severity: 'error', code: 'internal', file: task.file, message: `内部错误：${(err as Error)?.message ?? String(err)}` }],
    };
  }
}
