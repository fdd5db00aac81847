import path from 'node:path';
import { UserError } from '../../common/diagnostics.js';
import { openFindings } from '../../evaluate/index.js';
import { ALLOW_UNMET_HINT, buildPackage } from '../../package/index.js';
import { pdfConverter } from '../../pdf/engine.js';
import { validateFile } from '../../schema/validate.js';
import { json, printDiagnostics, type Io } from '../output.js';
import { VERSION } from '../../common/version.js';

export interface PackageCommandOptions {
  out?: string;
  pdfEngine: string;
  templates?: string;
  fonts?: string;
  allowUnmet?: boolean;
  allowBlank?: boolean;
  verbose?: boolean;
  json?: boolean;
}

export async function packageCommand(file: string, opts: PackageCommandOptions, io: Io): Promise<number> {
  const converter = await pdfConverter(opts.pdfEngine, { fonts: opts.fonts, allowBlank: opts.allowBlank, verbose: opts.verbose });
  const r = await validateFile(file);
  if (!r.ok) throw new UserError(r.diagnostics, 1);
  const result = await buildPackage(r, { outDir: opts.out ?? 'out', converter, templatesDir: opts.templates, version: VERSION, allowUnmet: opts.allowUnmet }).catch((err: unknown) => {
    if (err instanceof UserError && !opts.json && err.diagnostics.some((d) => d.code === 'condition.unmet')) {
      printDiagnostics(io, err.diagnostics);
      io.err(ALLOW_UNMET_HINT);
      throw new UserError([], err.exitCode);
    }
    throw err;
  });
  const findings = openFindings(result.evaluation.findings).length;
  if (opts.json) {
    json(io, { file: r.file, name: result.name, dir: result.dir, zip: result.zip, manifest: result.manifest, findings });
    return 0;
  }
  printDiagnostics(io, result.diagnostics);
  io.out(`已生成申报材料包 ${result.dir}${path.sep}`);
  for (const f of result.manifest.files) io.out(`  ${f.path}${f.pages ? `（${f.pages} 页）` : ''}`);
  io.out(`  ${path.basename(result.zip)}（压缩包）`);
  if (!result.evaluation.eligible) {
    const e = result.evaluation;
    const what = [e.counts.unmet ? '不符合' : '', e.counts.pending ? '待补充' : '', e.counts.review ? '待人工确认' : ''].filter(Boolean).join('、');
    io.err(`注意：存在${what}的申报条件，申报函未声称已具备申报条件；详见 内部-申报条件自查表。`);
  }
  if (findings) io.err(`数据核对发现 ${findings} 处疑点（正文数字、增长表述、方案目标或日期），运行 shenbao check ${file} 查看位置。`);
  return 0;
}
