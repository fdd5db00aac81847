import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { UserError } from '../../common/diagnostics.js';
import { firstError, runBatch, type BuildOutcome } from '../../batch/index.js';
import { ALLOW_UNMET_HINT } from '../../package/unmet.js';
import { json, printDiagnostics, type Io } from '../output.js';
import { VERSION } from '../../common/version.js';

export interface BatchCommandOptions {
  out?: string;
  jobs?: string;
  pdfEngine: string;
  templates?: string;
  fonts?: string;
  allowBlank?: boolean;
  force?: boolean;
  select?: string;
  allowUnmet?: boolean;
  program?: string;
  json?: boolean;
}

const LABEL: Record<BuildOutcome['status'], string> = { built: '已生成', skipped: '未变化，跳过', failed: '失败' };

export async function batchCommand(inputs: string[], opts: BatchCommandOptions, io: Io): Promise<number> {
  const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    io.err(`--jobs 应为正整数（收到 ${opts.jobs}）`);
    return 2;
  }
  // A file or folder that is not there is a mistake in the command, not a failed applicant.
  const absent = inputs.filter((i) => !existsSync(i));
  if (absent.length) {
    throw new UserError(absent.map((file) => ({ severity: 'error', code: 'usage.input', file, message: `找不到文件或文件夹：${file}` })), 2);
  }
  let bar: SingleBar | undefined;
  const failures: string[] = [];
  const result = await runBatch(
    inputs,
    { outDir: opts.out ?? 'out', jobs, engine: opts.pdfEngine, fonts: opts.fonts, allowBlank: opts.allowBlank, templatesDir: opts.templates, force: opts.force, select: opts.select, allowUnmet: opts.allowUnmet, programFile: opts.program, version: VERSION },
    {
      onStart: (total) => {
        if (io.isTTY && !opts.json) {
          bar = new SingleBar({ format: '生成材料包 [{bar}] {value}/{total}  {file}', hideCursor: true, clearOnComplete: true });
          bar.start(total, 0, { file: '' });
        }
      },
      onDone: (o, done, total) => {
        if (o.status === 'failed') failures.push(`✗ ${o.file}：${firstError(o)}`);
        if (opts.json) return;
        if (bar) bar.update(done, { file: o.name ?? o.file });
        else io.out(`[${done}/${total}] ${LABEL[o.status]} ${o.name ?? o.file}`);
      },
    },
  );
  bar?.stop();
  const counts = { built: 0, skipped: 0, failed: 0 };
  for (const o of result.outcomes) counts[o.status]++;
  if (opts.json) {
    json(io, { ...counts, outcomes: result.outcomes, summary: result.summary, diagnostics: result.diagnostics });
  } else {
    printDiagnostics(io, result.diagnostics);
    for (const f of failures) io.err(f);
    if (result.outcomes.some((o) => o.diagnostics.some((d) => d.code === 'condition.unmet'))) io.err(ALLOW_UNMET_HINT);
    if (result.summary) {
      io.out(`汇总材料：${result.summary.dir}`);
      if (result.summary.selected) io.out(`推荐函草稿已生成，推荐：${result.summary.selected.join('、')}`);
    }
    io.out(`完成：生成 ${counts.built} 个，未变化跳过 ${counts.skipped} 个，失败 ${counts.failed} 个。`);
  }
  return counts.failed > 0 ? 1 : 0;
}
