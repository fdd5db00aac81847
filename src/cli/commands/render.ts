import path from 'node:path';
import { UserError, hasErrors, type Diagnostic } from '../../common/diagnostics.js';
import { writeFilesAtomic } from '../../common/fsutil.js';
import { renderDocuments } from '../../docx/render.js';
import { evaluate } from '../../evaluate/index.js';
import { packageName } from '../../package/names.js';
import { validateFile } from '../../schema/validate.js';
import { json, printDiagnostics, type Io } from '../output.js';
import { pdfConverter, type EngineName } from '../../pdf/engine.js';

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

  const outDir = opts.out ?? path.join('out', packageName(r.applicant.applicant.short_name, r.category.short_name));
  const written: { file: string; bytes: number; pages?: number }[] = [];
  // Convert before writing anything, so a conversion failure leaves no partial set behind.
  const pdfs = converter ? await converter.convert(rendered.files.map((f) => ({ name: f.fileName, bytes: f.bytes }))) : undefined;
  if (pdfs) diagnostics.push(...pdfs.diagnostics);
  if (pdfs && hasErrors(pdfs.diagnostics)) throw new UserError(diagnostics, 1);
  const entries: { file: string; data: Uint8Array }[] = [];
  for (const [i, f] of rendered.files.entries()) {
    if (formats.docx) {
      const p = path.join(outDir, f.fileName);
      entries.push({ file: p, data: f.bytes });
      written.push({ file: p, bytes: f.bytes.length });
    }
    if (pdfs) {
      const pdf = pdfs.pdfs[i]!;
      const p = path.join(outDir, f.fileName.replace(/\.docx$/, '.pdf'));
      entries.push({ file: p, data: pdf.bytes });
      written.push({ file: p, bytes: pdf.bytes.length, pages: pdf.pages });
    }
  }
  await writeFilesAtomic(entries);
  if (opts.json) {
    json(io, { file: r.file, out: outDir, engine: converter?.name, files: written, fonts: pdfs?.fonts ?? [], diagnostics });
    return 0;
  }
  printDiagnostics(io, diagnostics);
  for (const w of written) io.out(`已生成 ${w.file}${w.pages ? `（${w.pages} 页）` : ''}`);
  return 0;
}
