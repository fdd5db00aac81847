import { Command, CommanderError, Help, Option } from 'commander';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { VERSION } from '../common/version.js';
import { json, printDiagnostics, processIo, type Io } from './output.js';


const TITLES: Record<string, string> = { 'Usage:': '用法：', 'Options:': '选项：', 'Commands:': '命令：', 'Arguments:': '参数：', 'Global Options:': '全局选项：' };

class ChineseHelp extends Help {
  override styleTitle(str: string): string {
    return TITLES[str] ?? str;
  }

  override optionDescription(option: Option): string {
    return super.optionDescription(option).replace(/\(choices: /, '(可选：').replace(/default: /, '默认：');
  }

  override argumentDescription(argument: Parameters<Help['argumentDescription']>[0]): string {
    return super.argumentDescription(argument).replace(/default: /, '默认：');
  }
}

/** Commander's own parse errors, in the users' language. */
function usageMessage(err: CommanderError): string {
  const m = err.message;
  const arg = /'([^']+)'/.exec(m)?.[1];
  switch (err.code) {
    case 'commander.unknownOption':
      return `未知选项 ${arg ?? ''}；运行 shenbao --help 查看可用选项`;
    case 'commander.unknownCommand':
      return `未知命令 ${arg ?? ''}；可用命令：init、validate、check、render、package、batch、schema、templates、doctor、edit`;
    case 'commander.missingArgument':
      return `缺少参数 ${arg ?? ''}`;
    case 'commander.optionMissingArgument':
      return `选项 ${arg ?? ''} 缺少取值`;
    case 'commander.missingMandatoryOptionValue':
      return `缺少必需的选项 ${arg ?? ''}`;
    case 'commander.excessArguments':
      return '参数过多';
    case 'commander.invalidArgument': {
      const choice = /option '([^' ]+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\./.exec(m);
      if (choice) return `选项 ${choice[1]} 的取值 ${choice[2]} 无效，可选：${choice[3]!.split(', ').join('、')}`;
      return `参数取值不正确：${m.replace(/^error: /, '')}`;
    }
    default:
      return m.replace(/^error: /, '');
  }
}

const FONTS_HELP = '字体目录（优先于系统字体；也可在 shenbao.config.yaml 中设置 fonts）';
const JSON_HELP = '以 JSON 输出';
const engineOption = () => new Option('--pdf-engine <ENGINE>', 'PDF 引擎：native（内置）或 libreoffice').choices(['native', 'libreoffice']).default('native');
/** The options every command that writes documents shares: engine, templates, fonts, JSON. */
const producing = (cmd: Command): Command =>
  cmd
    .addOption(engineOption())
    .option('--templates <DIR>', '自定义模板目录（与内置模板同名的文件将替换内置模板）')
    .option('--fonts <DIR>', FONTS_HELP)
    .option('--allow-blank', '某个字符所有字体都没有时仍生成 PDF（该处留白），而不是报错')
    .option('--verbose', '列出缺字的每一处位置')
    .option('--json', JSON_HELP);
/** Command-line options over shenbao.config.yaml; the engine only when typed, not when defaulted. */
const configured = async <T extends { fonts?: string; pdfEngine?: string }>(opts: T, cmd: Command): Promise<T> =>
  (await import('./config.js')).withConfig(opts, cmd.getOptionValueSource('pdfEngine') === 'cli');

/*
 * Each command's module is imported when that command runs, not before: `--version` and
 * `validate` must not pay for loading pdf-lib, fontkit, docxtemplater and the worker pool.
 */

export function buildCli(io: Io, setCode: (code: number) => void): Command {
  const run = (fn: () => Promise<number>) => async () => setCode(await fn());
  const cli = new Command('shenbao')
    .usage('[选项] [命令]')
    .description('知识产权强国建设试点示范申报材料生成工具')
    .version(VERSION, '-v, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .configureHelp({ sortSubcommands: false })
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: () => undefined, outputError: () => undefined });
  cli.createHelp = () => Object.assign(new ChineseHelp(), cli.configureHelp());

  const sub = (name: string, description: string) => {
    const c = cli.command(name).description(description).helpOption('-h, --help', '显示帮助').exitOverride();
    // Help of subcommands in Chinese too: commander does not pass createHelp down.
    c.createHelp = () => Object.assign(new ChineseHelp(), c.configureHelp());
    return c;
  };

  sub('init', '生成带注释的申报数据模板文件')
    .argument('<FILE>', '要生成的文件')
    .requiredOption('--program <ROUND>', '申报批次，如 2022-shanghai')
    .requiredOption('--category <CAT>', '申报类别代码或简称，如 pilot-park 或 试点园区')
    .option('--force', '覆盖已存在的文件')
    .option('--json', '以 JSON 输出')
    .action((file: string, opts) => run(async () => (await import('./commands/init.js')).initCommand(file, opts, io))());

  sub('validate', '检查申报数据文件（0 有效，1 数据有误，2 用法或读写错误）')
    .argument('<FILE...>', '申报数据文件')
    .option('--json', '以 JSON 输出')
    .action((files: string[], opts) => run(async () => (await import('./commands/validate.js')).validateCommand(files, opts, io))());

  sub('check', '逐条判定申报条件：符合 / 不符合 / 待补充')
    .argument('<FILE>', '申报数据文件')
    .option('--strict', '任何条件不是“符合”（不符合、待补充、待人工确认）时以 1 退出')
    .option('--json', '以 JSON 输出')
    .action((file: string, opts) => run(async () => (await import('./commands/check.js')).checkCommand(file, opts, io))());

  sub('schema', '输出申报数据文件的 JSON Schema（供编辑器自动补全）')
    .option('--out <FILE>', '写入文件而不是标准输出')
    .option('--json', '以 JSON 输出（与 --out 同用时输出 {"ok":true,"out":文件}）')
    .option('--force', '覆盖已存在的文件')
    .action((opts) => run(async () => (await import('./commands/schema.js')).schemaCommand(opts, io))());

  producing(
    sub('render', '生成申报材料（Word 和 PDF）')
      .argument('<FILE>', '申报数据文件')
      .option('--out <DIR>', '输出目录（默认 out/单独生成/简称-类别；不能是材料包文件夹）')
      .option('--format <LIST>', '输出格式：docx、pdf 或 docx,pdf', 'docx,pdf')
      .option('--only <DOC,...>', '只生成这些材料，如 letter,plan')
      .option('--force', '覆盖输出目录中同名的、非 shenbao 生成或生成后被修改过的文件（默认拒绝覆盖）'),
  ).action((file: string, opts, cmd: Command) => run(async () => (await import('./commands/render.js')).renderCommand(file, await configured(opts, cmd), io))());

  producing(
    sub('package', '生成一个申报单位的完整申报材料包（Word、PDF、材料汇编、清单、压缩包）')
      .argument('<FILE>', '申报数据文件')
      .option('--out <DIR>', '输出目录', 'out')
      .option('--allow-unmet', '有不符合的申报条件时仍生成材料包（材料中不声称具备申报条件）'),
  ).action((file: string, opts, cmd: Command) => run(async () => (await import('./commands/package.js')).packageCommand(file, await configured(opts, cmd), io))());

  producing(
    sub('batch', '批量生成材料包，并为市局生成申报情况汇总表（有失败时以 1 退出）')
    .argument('<DIR|FILE...>', '申报数据文件，或含有 *.yaml 的文件夹（以 _ 开头的文件视为被引用的拆分文件）')
    .option('--out <DIR>', '输出目录', 'out')
    .option('--jobs <N>', '并行数（默认为 CPU 核数）')
    .option('--force', '即使数据和模板未变化也重新生成')
    .option('--select <FILE>', '推荐名单（YAML 列表），据此生成推荐函草稿；超出名额或有不符合条件的单位将报错')
    .option('--allow-unmet', '有不符合申报条件的单位时仍为其生成材料包（材料中不声称具备申报条件；不能列入推荐名单）')
    .option('--program <FILE>', '审核部门的申报批次文件，所有申报单位按它判定（申报数据文件只能填写内置批次代码）'),
  ).action((inputs: string[], opts, cmd: Command) => run(async () => (await import('./commands/batch.js')).batchCommand(inputs, await configured(opts, cmd), io))());

  sub('doctor', '检查运行环境：各字体由哪个文件提供、哪些是替代字体，LibreOffice 是否安装')
    .option('--fonts <DIR>', '字体目录（优先于系统字体）')
    .option('--json', '以 JSON 输出')
    .action((opts) => run(async () => (await import('./commands/doctor.js')).doctorCommand((await import('./config.js')).withConfig(opts, false), io))());

  sub('edit', '在浏览器中编辑申报数据（表单、实时检查、PDF 预览）；给出文件夹时为审核部门的汇总视图')
    .argument('<FILE|DIR>', '申报数据文件，或存放多个申报数据文件的文件夹')
    .option('--port <N>', '端口（默认任选一个空闲端口）')
    .option('--no-open', '不自动打开浏览器，只打印地址')
    .option('--json', '启动后以一行 JSON 打印地址（{"url","port","token"}），供脚本读取；不自动打开浏览器')
    .action((target: string, opts) => run(async () => (await import('./commands/edit.js')).editCommand(target, opts, io))());

  const templates = sub('templates', '模板工具');
  // `shenbao templates` alone names no tool: show which there are, as a usage error.
  templates.action(() => {
    io.err(templates.helpInformation());
    setCode(2);
  });
  const lint = templates.command('lint');
  lint.createHelp = () => Object.assign(new ChineseHelp(), lint.configureHelp());
  lint
    .description('检查模板：每个标签都能在视图模型中找到，必需字段都被使用')
    .argument('[DIR]', '模板目录（默认检查内置模板）')
    .option('--program <ROUND>', '申报批次', '2022-shanghai')
    .option('--json', '以 JSON 输出')
    .helpOption('-h, --help', '显示帮助')
    .exitOverride()
    .action((dir: string | undefined, opts) => run(async () => (await import('./commands/templates.js')).templatesLintCommand(dir, opts, io))());

  return cli;
}

/**
 * Errors that are about how the command was called or what it could not read (a material name
 * that does not exist, a folder that is not there), whichever stage found them: exit 2, as the
 * README promises, not 1 (which says the data or the templates are wrong).
 */
const USAGE_CODES = new Set(['docx.unknown-material', 'docx.templates-dir', 'fonts.dir', 'usage.input']);
function exitCodeOf(err: UserError): number {
  const errors = err.diagnostics.filter((d) => d.severity === 'error');
  return errors.length && errors.every((d) => USAGE_CODES.has(d.code) || d.code.startsWith('io.')) ? 2 : err.exitCode;
}

/** The CLI entry: returns the exit code; never lets a stack trace reach the user for a user error. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const wantsJson = argv.includes('--json');
  const report = (ds: Diagnostic[]) => (wantsJson ? json(io, { ok: false, diagnostics: ds }) : printDiagnostics(io, ds));
  const cli = buildCli(io, (c) => (code = c));
  try {
    if (argv.length === 0) {
      io.out(cli.helpInformation());
      return 2;
    }
    await cli.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      report([{ severity: 'error', code: 'usage', message: usageMessage(err) }]);
      return 2;
    }
    if (err instanceof UserError) {
      report(err.diagnostics);
      return exitCodeOf(err);
    }
    // A bug, not the user's fault: say so plainly, keep the detail for the bug report.
    const e = err as Error;
    io.err(`shenbao 内部错误（这是程序缺陷，请把以下信息反馈给开发者）：${e?.message ?? String(err)}`);
    if (process.env.SHENBAO_DEBUG) io.err(String(e?.stack ?? ''));
    return 70;
  }
}
