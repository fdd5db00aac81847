import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { access, constants, readdir, readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { UserError, formatDiagnostic, type Diagnostic } from '../common/diagnostics.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../common/paths.js';
import { byCodeUnits } from '../common/format.js';
import { describeIoError } from '../common/fsutil.js';
import { describeWriteError, makeDirs } from '../common/fsutil.js';
import { folderDigest, sha256 } from '../package/digest.js';
import { MANIFEST_NAME } from '../package/folder.js';
import { loadProgram } from '../program/load.js';
import type { Program } from '../program/schema.js';
import type { BuildOutcome, BuildTask, PlannedApplicant, PlanOutcome, PlanTask, SummaryOutcome, SummaryTask } from './types.js';
import { isSelectListFile, readSelection, writeSummaryFiles, type Selectable, type Selection, type SummaryFiles } from './summary.js';
import { fontFingerprint } from '../pdf/fonts/fingerprint.js';

export type { BuildOutcome, BuildTask } from './types.js';

export interface BatchOptions {
  outDir: string;
  jobs?: number;
  engine: string;
  fonts?: string;
  /** Accept blanks for characters no font has (--allow-blank). */
  allowBlank?: boolean;
  templatesDir?: string;
  force?: boolean;
  /** A file listing the applicants the office recommends (short names or file names). */
  select?: string;
  /** Build packages for applicants with a 不符合 condition too (they can never be selected). */
  allowUnmet?: boolean;
  /**
   * The office's round file (--program), used for every applicant instead of the round its
   * data names: the rules are the office's, an applicant file can only name a shipped round.
   */
  programFile?: string;
  version: string;
  /** Test hook: file name → crash mode for its worker. */
  crash?: Record<string, 'throw' | 'exit'>;
}

export interface BatchResult {
  outcomes: BuildOutcome[];
  summary?: SummaryFiles;
  diagnostics: Diagnostic[];
}

export interface BatchHooks {
  onStart?: (total: number) => void;
  onDone?: (outcome: BuildOutcome, done: number, total: number) => void;
}

/**
 * Applicant files named on the command line: folders give their *.yaml, except _*.yaml (include
 * parts) and select lists (the office's 推荐名单.yaml kept in the same folder).
 */
export async function expandInputs(inputs: string[]): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch (err) {
      diagnostics.push({ severity: 'error', code: 'io.read', file: input, message: describeIoError(err) });
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(input)).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('_') && !n.startsWith('.') && !isSelectListFile(path.join(input, n))).sort();
      if (names.length === 0) diagnostics.push({ severity: 'warning', code: 'batch.empty-dir', file: input, message: '文件夹中没有申报数据文件（*.yaml）' });
      files.push(...names.map((n) => path.join(input, n)));
    } else files.push(input);
  }
  return { files: [...new Set(files)], diagnostics };
}

/**
 * The bundled worker (tools/bundle.mjs) when the build made one: each thread then loads one file
 * with V8's code cache instead of compiling hundreds of modules, which on two cores was start-up
 * the second job could not win back.
 */
const BUNDLED_WORKER = path.join(PACKAGE_ROOT, 'dist', 'bundle', 'worker-entry.cjs');
const WORKER = existsSync(BUNDLED_WORKER) && !process.env.SHENBAO_NO_BUNDLE ? BUNDLED_WORKER : path.join(PACKAGE_ROOT, 'dist', 'batch', 'worker.js');

/** What one worker may take at its peak (measured: 305 MB RSS building the largest example), with room to spare. */
const WORKER_MEMORY = 400 * 1024 * 1024;

/**
 * Workers beyond the cores only queue for them, and beyond half the memory they push the
 * machine into swap (24 jobs took 4.3 GB on 2 cores): `--jobs` is capped by both.
 */
export function maxJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / 2 / WORKER_MEMORY)));
}

/**
 * Packages for many applicants: every applicant validated in the worker threads first (this
 * thread must see them all to catch name clashes before anything is built), then planned here,
 * then built in the workers, then summarised in one of them; this thread only writes the summary.
 */
export async function runBatch(inputs: string[], options: BatchOptions, hooks: BatchHooks = {}): Promise<BatchResult> {
  const { files, diagnostics } = await expandInputs(inputs);
  if (options.jobs !== undefined && options.jobs > maxJobs()) {
    diagnostics.push({
      severity: 'warning',
      code: 'batch.jobs-capped',
      message: `--jobs ${options.jobs} 超过本机能同时运行的 ${maxJobs()} 个（按 CPU 核数和内存计算），按 ${maxJobs()} 个并行`,
    });
  }
  // The workers start now: the first thing they do is validate every applicant.
  let pool: Piscina | undefined;
  const startPool = (): Piscina => {
    if (!existsSync(WORKER)) {
      throw new UserError([{ severity: 'error', code: 'batch.not-built', file: WORKER, message: '批量处理的工作线程尚未编译：请先在 shenbao 目录运行 npm run build（npm install 会自动编译）' }], 2);
    }
    const threads = Math.max(1, Math.min(options.jobs ?? availableParallelism(), maxJobs(), files.length || 1));
    pool ??= new Piscina({ filename: WORKER, maxThreads: threads, minThreads: threads, idleTimeout: 1000, atomics: 'disabled', workerData: { engine: options.engine, fonts: options.fonts } });
    return pool;
  };
  if (files.length) startPool();
  try {
    return await batchWith(files, diagnostics, options, hooks, startPool);
  } finally {
    await pool?.destroy();
  }
}

async function batchWith(
  files: string[],
  diagnostics: Diagnostic[],
  options: BatchOptions,
  hooks: BatchHooks,
  startPool: () => Piscina,
): Promise<BatchResult> {
  const outcomes: BuildOutcome[] = diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ file: d.file!, status: 'failed', diagnostics: [d] }));

  // Every applicant validated and checked in the workers, in parallel, before anything is built
  // (a name clash must refuse both packages): this thread never validates or evaluates one.
  const plans: PlannedApplicant[] = [];
  if (files.length) {
    const pool = startPool();
    const results = await Promise.all(
      files.map(async (file): Promise<PlanOutcome> => {
        try {
          return (await pool.run({ file, programFile: options.programFile } satisfies PlanTask, { name: 'plan' })) as PlanOutcome;
        } catch (err) {
          return { file, ok: false, diagnostics: [workerDied(file, err)] };
        }
      }),
    );
    for (const r of results) {
      if (r.ok) plans.push(r);
      else if ('internal' in r) throw new Error(r.internal);
      else outcomes.push({ file: r.file, status: 'failed', diagnostics: r.diagnostics });
    }
  }

  // Two applicants that would write the same folder: refuse both rather than overwrite one.
  const byName = new Map<string, PlannedApplicant[]>();
  for (const p of plans) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const buildable: PlannedApplicant[] = [];
  for (const [name, group] of byName) {
    if (group.length === 1) {
      buildable.push(group[0]!);
      continue;
    }
    for (const p of group) {
      const others = group.filter((o) => o !== p).map((o) => o.file);
      outcomes.push({
        file: p.file,
        status: 'failed',
        diagnostics: [{ severity: 'error', code: 'batch.duplicate-name', file: p.file, message: `与 ${others.join('、')} 生成的材料包同名（${name}），请修改其中一个的 applicant.short_name 或类别` }],
      });
    }
  }

  // An output folder that cannot be written fails the whole batch at once (exit 2), before any
  // worker spends minutes on packages it could not save.
  if (buildable.length) {
    try {
      await makeDirs(options.outDir);
      await access(options.outDir, constants.W_OK);
    } catch (err) {
      throw new UserError([{ severity: 'error', code: 'io.write', file: options.outDir, message: `无法写入输出目录：${describeWriteError(err)}` }], 2);
    }
  }

  // A selection over quota, or naming an applicant with an unmet or missing condition, is
  // refused before anything is built. It is judged on what the workers validated and checked.
  let selection: Selection<Selectable> | undefined;
  if (options.select) {
    const rounds = new Map<string, Promise<Program>>();
    const roundOf = (source: string) => rounds.get(source) ?? rounds.set(source, loadProgram(source)).get(source)!;
    const entries = await Promise.all(
      buildable.map(async (p) => {
        const program = await roundOf(p.roundSource);
        return { file: p.file, applicant: p.applicant, program, category: program.categories.find((c) => c.id === p.categoryId)!, evaluation: p.evaluation };
      }),
    );
    selection = readSelection(options.select, entries);
  }

  const templateDigest = folderDigest(options.templatesDir ?? TEMPLATES_DIR);
  // The fonts change the PDFs' bytes as much as the data does: an office that installs the
  // official fonts for the final run gets every PDF rebuilt.
  const fonts = fontFingerprint({ fonts: options.fonts });
  const tasks: BuildTask[] = [];
  const weight = new Map<BuildTask, number>();
  const roundFile = options.programFile ? sha256(await readFile(options.programFile)) : undefined;
  for (const { file, name, round, dataHashes, dataBytes } of buildable) {
    // The hashes of the bytes the worker validated: what the package is built from, unless the
    // build lands on the other worker after the file changed (the next run then rebuilds it).
    const inputHash = sha256(
      JSON.stringify({
        version: options.version,
        engine: options.engine,
        templates: templateDigest,
        fonts,
        allowUnmet: Boolean(options.allowUnmet),
        data: dataHashes,
        round,
        roundFile,
      }),
    );
    if (!options.force && upToDate(path.join(options.outDir, name), inputHash)) {
      outcomes.push({ file, status: 'skipped', name, diagnostics: [] });
      continue;
    }
    const task: BuildTask = {
      file,
      outDir: options.outDir,
      engine: options.engine,
      fonts: options.fonts,
      allowBlank: options.allowBlank,
      templatesDir: options.templatesDir,
      inputHash,
      version: options.version,
      allowUnmet: options.allowUnmet,
      programFile: options.programFile,
      dataHashes,
      crashForTest: options.crash?.[path.basename(file)],
    };
    tasks.push(task);
    weight.set(task, dataBytes);
  }
  // The biggest applicants first (their data's size stands for their documents' length): the
  // jobs then finish close together instead of one worker building a long package alone at the end.
  tasks.sort((a, b) => weight.get(b)! - weight.get(a)!);

  const total = files.length + outcomes.filter((o) => o.status === 'failed' && !files.includes(o.file)).length;
  hooks.onStart?.(total);
  let done = 0;
  for (const o of outcomes) hooks.onDone?.(o, ++done, total);

  // The office's summary covers every submitted file, in the order submitted: the valid ones
  // with their check (built, unchanged or not built), the others with their first error.
  const order = (file: string) => {
    const i = files.indexOf(file);
    return i < 0 ? files.length : i;
  };
  const validAll = [...plans].sort((a, b) => order(a.file) - order(b.file));
  const summaryTask = (): SummaryTask => {
    const failedOutcome = (file: string) => outcomes.find((o) => o.file === file && o.status === 'failed');
    return {
      engine: options.engine,
      fonts: options.fonts,
      allowBlank: options.allowBlank,
      entries: validAll.map((p) => {
        const failure = failedOutcome(p.file);
        return { file: p.file, roundSource: p.roundSource, categoryId: p.categoryId, applicant: p.applicant, evaluation: p.evaluation, error: failure ? firstMessage(failure) : undefined };
      }),
      selected: selection?.chosen.map((c) => c.file),
      office: selection?.office,
      failed: outcomes
        .filter((o) => o.status === 'failed')
        .sort((a, b) => order(a.file) - order(b.file))
        .map((o) => ({ file: path.basename(o.file), name: plans.find((p) => p.file === o.file)?.applicant.applicant.name, reason: firstMessage(o) })),
    };
  };
  const runSummary = (task: SummaryTask): Promise<{ made: SummaryOutcome } | { err: unknown }> =>
    startPool()
      .run(task, { name: 'summary' })
      .then(
        (made) => ({ made: made as SummaryOutcome }),
        (err: unknown) => ({ err }),
      );
  // Once the last builds are running and a worker is free, the summary is made there on the
  // assumption that they succeed, instead of after them on a batch's critical path. A build that
  // fails after all changes what the summary says: it is then made again with the outcomes.
  const threads = files.length ? startPool().maxThreads : 1;
  let early: { task: SummaryTask; result: ReturnType<typeof runSummary> } | undefined;
  let finished = 0;
  const maybeSummarise = () => {
    if (!early && validAll.length && tasks.length - finished <= threads - 1) {
      const task = summaryTask();
      early = { task, result: runSummary(task) };
    }
  };

  const building = tasks.length
    ? Promise.all(
        tasks.map(async (task) => {
          let outcome: BuildOutcome;
          try {
            outcome = (await startPool().run(task)) as BuildOutcome;
          } catch (err) {
            outcome = { file: task.file, status: 'failed', diagnostics: [workerDied(task.file, err)] };
          }
          outcomes.push(outcome);
          finished++;
          hooks.onDone?.(outcome, ++done, total);
          if (finished < tasks.length) maybeSummarise();
        }),
      )
    : Promise.resolve();
  if (tasks.length) maybeSummarise();
  await building;

  const summaryDiagnostics: Diagnostic[] = [];
  let summary: SummaryFiles | undefined;
  if (validAll.length) {
    const task = summaryTask();
    const verdicts = (t: SummaryTask) => JSON.stringify([t.entries.map((e) => e.error), t.failed]);
    const result = await (early && verdicts(early.task) === verdicts(task) ? early.result : runSummary(task));
    if ('err' in result) throw result.err;
    const { made } = result;
    if (!made.ok) throw new UserError(made.diagnostics, made.exitCode);
    summaryDiagnostics.push(...made.diagnostics);
    summary = await writeSummaryFiles(options.outDir, made.files, selection?.chosen.map((c) => c.applicant.applicant.name), summaryDiagnostics);
  }
  outcomes.sort((a, b) => byCodeUnits(a.file, b.file));
  return { outcomes, summary, diagnostics: [...diagnostics.filter((d) => d.severity === 'warning'), ...summaryDiagnostics] };
}

/** An applicant's worker that threw or exited: reported against that file, the others go on. */
function workerDied(file: string, err: unknown): Diagnostic {
  return { severity: 'error', code: 'batch.worker', file, message: `处理该文件的工作线程异常终止（${(err as Error)?.message ?? String(err)}），其他申报单位不受影响` };
}

/** The first error of a failed outcome, without its file and position: the summary's reason column. */
function firstMessage(o: BuildOutcome): string {
  const d = o.diagnostics.find((x) => x.severity === 'error') ?? o.diagnostics[0];
  if (!d) return '未知错误';
  const where = d.line ? `第${d.line}行：` : '';
  return `${where}${d.label ? `${d.label}：` : ''}${d.message}`;
}

function upToDate(dir: string, inputHash: string): boolean {
  try {
    const file = path.join(dir, MANIFEST_NAME);
    // Only a regular file is read: a FIFO under that name would block the whole batch.
    if (!lstatSync(file).isFile()) return false;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { input_hash?: string };
    return manifest.input_hash === inputHash && existsSync(`${dir}.zip`);
  } catch {
    return false;
  }
}

/** The first error of a failed outcome, as one line for the batch log. */
export function firstError(o: BuildOutcome): string {
  const d = o.diagnostics.find((x) => x.severity === 'error') ?? o.diagnostics[0];
  return d ? formatDiagnostic({ ...d, file: d.file ?? o.file }) : '未知错误';
}
