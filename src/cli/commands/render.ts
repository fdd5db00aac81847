import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError, hasErrors, type Diagnostic } from '../../common/diagnostics.js';
import { writeOwnedFiles } from '../../common/ledger.js';
import { renderDocuments } from '../../docx/render.js';
import { evaluate } from '../../evaluate/index.js';
import { packageName } from '../../package/names.js';
import { MANIFEST_NAME } from '../../package/folder.js';
import { validateFile } from '../../schema/validate.js';
import { json, printDiagnostics, type Io } from '../output.js';
import { pdfConverter, type EngineName } from '../../pdf/engine.js';

/** Where `render` writes by default, beside (never inside) the packages under out/. */
export const RENDER_DIR = '单独生成';

export interface RenderOptions {
  out?: string;
  format: string;
  only?: string;
  pdfEngine: EngineName;
  templates?: string;
  fonts?: string;
  allowBlank?: boolean;
  verbose?: boolean;
  json?: boolean;
  /** Replace same-named files that are not ours or were changed since we wrote them. */
  force?: boolean;
}

export function parseFormats(value: string): { docx: boolean; pdf: boolean } {
  const parts = value.split(/[,，\s]+/).filter(Boolean);
  const bad = parts.filter((p) => p !== 'docx' && p !== 'pdf');
  if (bad.length || parts.length === 0) {
    throw new UserError([{ severity: 'error', code: 'usage.format', message: `--format 只能是 docx、pdf 或 docx,pdf（收到 ${value}）` }], 2);
  }
  return { docx: parts.includes('docx'), pdf: parts.includes('pdf') };
}

export async function renderCommand(file: string, opts: RenderOptions, io: Io): Promise<number> {
  const formats = parseFormats(opts.format);
  const converter = formats.pdf ? await pdfConverter(opts.pdfEngine, { fonts: opts.fonts, allowBlank: opts.allowBlank, verbose: opts.verbose }) : undefined;
  const r = await validateFile(file);
  if (!r.ok) throw new UserError(r.diagnostics, 1);
  const evaluation = evaluate(r.applicant, r.program, r.category, r.catalogue, r.located);
  const only = opts.only?.split(/[,，\s]+/).filter(Boolean);
  const rendered = renderDocuments({ ...r, evaluation, templatesDir: opts.templates, only });
  const diagnostics: Diagnostic[] = [...r.diagnostics, ...rendered.diagnostics];
  if (hasErrors(rendered.diagnostics)) throw new UserError(diagnostics, 1);

  // Never into a package folder: its zip, manifest and 材料汇编 would no longer match its files.
  const outDir = opts.out ?? path.join('out', RENDER_DIR, packageName(r.applicant.applicant.short_name, r.category.short_name));
  if (existsSync(path.join(outDir, MANIFEST_NAME))) {
    throw new UserError(
      [{ severity: 'error', code: 'usage.package-folder', file: outDir, message: `这是 shenbao package 生成的材料包文件夹，render 不写入其中（否则压缩包、清单和材料汇编将与文件不一致）；请换一个 --out 目录，或重新运行 package` }],
      2,
    );
  }
  const written: { file: string; bytes: number; pages?: number }[] = [];
  // Convert before writing anything, so a conversion failure leaves no partial set behind.
  const pdfs = converter ? await converter.convert(rendered.files.map((f) => ({ name: f.fileName, bytes: f.bytes }))) : undefined;
  if (pdfs) diagnostics.push(...pdfs.diagnostics);
  if (pdfs && hasErrors(pdfs.diagnostics)) throw new UserError(diagnostics, 1);
  const entries: { name: string; data: Uint8Array }[] = [];
  for (const [i, f] of rendered.files.entries()) {
    if (formats.docx) {
      entries.push({ name: f.fileName, data: f.bytes });
      written.push({ file: path.join(outDir, f.fileName), bytes: f.bytes.length });
    }
    if (pdfs) {
      const pdf = pdfs.pdfs[i]!;
      const name = f.fileName.replace(/\.docx$/, '.pdf');
      entries.push({ name, data: pdf.bytes });
      written.push({ file: path.join(outDir, name), bytes: pdf.bytes.length, pages: pdf.pages });
    }
  }
  // A user's own file, or our DOCX they edited in Word, under a name we want is refused, not overwritten.
  await writeOwnedFiles(outDir, entries, { force: opts.force });
  if (opts.json) {
    json(io, { file: r.file, out: outDir, engine: converter?.name, files: written, fonts: pdfs?.fonts ?? [], diagnostics });
    return 0;
  }
  printDiagnostics(io, diagnostics);
  for (const w of written) io.out(`已生成 ${w.file}${w.pages ? `（${w.pages} 页）` : ''}`);
  return 0;
}
