import path from 'node:path';
import { UserError, hasErrors, type Diagnostic } from '../common/diagnostics.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../common/paths.js';
import { renderDocuments, renderTemplateFile } from '../docx/render.js';
import { withPageNumberStart } from '../docx/pages.js';
import { evaluate, STATUS_LABEL, type Evaluation } from '../evaluate/index.js';
import { unmetErrors } from './unmet.js';

export { ALLOW_UNMET_HINT, unmetErrors } from './unmet.js';
import { buildChecklistModel, buildCoverModel } from '../model/package.js';
import { textContext } from '../model/build.js';
import { renderText } from '../program/text.js';
import type { ValidApplicant } from '../schema/validate.js';
import { combinePdfs } from './combine.js';
import { sha256 } from './digest.js';
import { MANIFEST_NAME, writePackageFolder, type PackageFile } from './folder.js';
import { packageName } from './names.js';
import type { FontUse, PdfConverter } from './types.js';

export { combinePdfs, readOutlineTitles, addOutline } from './combine.js';
export { safeName, packageName } from './names.js';
export { sha256, folderDigest } from './digest.js';
export type { PdfConverter, ConvertedPdf, ConvertOptions, FontUse } from './types.js';

export interface PackageOptions {
  /** Parent folder: the package becomes <outDir>/<name>/ and <outDir>/<name>.zip */
  outDir: string;
  converter: PdfConverter;
  templatesDir?: string;
  /** Recorded in the manifest; batch compares it to decide whether to rebuild. */
  inputHash?: string;
  /**
   * Build even with a 不符合 condition (--allow-unmet). The documents then claim nothing the
   * check does not confirm; without it such a package is refused (exit 1).
   */
  allowUnmet?: boolean;
  version: string;
  /** The check of this same applicant when the caller made it already (a batch worker while planning). */
  evaluation?: Evaluation;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  pages?: number;
  role: 'material' | 'combined' | 'internal' | 'info';
  material?: string;
}

export interface Manifest {
  shenbao: string;
  input_hash?: string;
  program: string;
  category: { id: string; name: string };
  applicant: { name: string; short_name: string; file: string };
  date: string;
  pdf_engine: string;
  files: ManifestFile[];
  fonts: FontUse[];
  warnings: Diagnostic[];
  checklist: { id: string; clause: string; title: string; status: string; status_label: string; reason: string }[];
  eligible: boolean;
}

export interface PackageResult {
  name: string;
  dir: string;
  zip: string;
  manifest: Manifest;
  evaluation: Evaluation;
  diagnostics: Diagnostic[];
}

export { MANIFEST_NAME } from './folder.js';
const FRONT_MATTER_PAGES = 2;

/** The submission package for one validated applicant. */
export async function buildPackage(valid: ValidApplicant, options: PackageOptions): Promise<PackageResult> {
  const { applicant, program, category, catalogue } = valid;
  const evaluation = options.evaluation ?? evaluate(applicant, program, category, catalogue, valid.located);
  const diagnostics: Diagnostic[] = [...valid.diagnostics];
  if (evaluation.unmet.length && !options.allowUnmet) throw new UserError([...valid.diagnostics, ...unmetErrors(valid.file, evaluation)], 1);
  const date = dataDate(applicant.letter.date);

  // The applicant hands in its own materials; office-authored ones (推荐函, 回执) come from batch.
  const materials = program.materials.filter((m) => m.author === 'applicant');
  const rendered = renderDocuments({ ...valid, evaluation, templatesDir: options.templatesDir, only: materials.map((m) => m.id) });
  diagnostics.push(...rendered.diagnostics);
  if (hasErrors(rendered.diagnostics)) throw new UserError(diagnostics, 1);

  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const checklistDocx = renderCommon('checklist', buildChecklistModel({ applicant, program, category, evaluation, warnings: warnings.map((w) => portable(w).message) }), diagnostics, valid);

  // A sequential engine is handed each material already numbered on from the ones before it
  // (their page counts are known by then): one pass instead of rendering them twice.
  const docxBytes = rendered.files.map((f) => f.bytes);
  const numberedInPass = new Set<number>();
  const before = (i: number, pagesBefore: number[]): Uint8Array | undefined => {
    if (i >= rendered.files.length) return undefined;
    const start = boundNumbering([...pagesBefore, 1])[i]!.start;
    if (start === 1) return undefined;
    numberedInPass.add(i);
    docxBytes[i] = withPageNumberStart(rendered.files[i]!.bytes, start);
    return docxBytes[i];
  };
  const converted = await options.converter.convert(
    [...rendered.files.map((f) => ({ name: f.fileName, bytes: f.bytes })), { name: '申报条件自查表.docx', bytes: checklistDocx }],
    { date, ...(options.converter.sequential ? { before } : {}) },
  );
  diagnostics.push(...converted.diagnostics);
  // A PDF with blanks where characters should be is not a package to hand in (unless --allow-blank).
  if (hasErrors(converted.diagnostics)) throw new UserError(diagnostics, 1);
  const materialPdfs = converted.pdfs.slice(0, rendered.files.length);
  const checklistPdf = converted.pdfs[rendered.files.length]!;

  // Bound as one set, the letter and its attachments number their pages continuously, each
  // attachment from a right-hand page: every file carries the numbers it has in the set.
  const numbering = boundNumbering(materialPdfs.map((p) => p.pages));
  rendered.files.forEach((f, i) => {
    if (!numberedInPass.has(i)) docxBytes[i] = numbering[i]!.start === 1 ? f.bytes : withPageNumberStart(f.bytes, numbering[i]!.start);
  });
  const renumber = rendered.files.map((_, i) => i).filter((i) => numbering[i]!.start !== 1 && !numberedInPass.has(i));
  if (renumber.length > 0) {
    const again = await options.converter.convert(
      renumber.map((i) => ({ name: rendered.files[i]!.fileName, bytes: docxBytes[i]! })),
      { date },
    );
    // The fonts and substitutions were reported by the first conversion; only what is new counts.
    const seen = new Set(diagnostics.map((d) => d.message));
    diagnostics.push(...again.diagnostics.filter((d) => !seen.has(d.message)));
    renumber.forEach((i, k) => {
      const pdf = again.pdfs[k]!;
      if (pdf.pages !== materialPdfs[i]!.pages) {
        diagnostics.push({ severity: 'warning', code: 'package.page-count', message: `${rendered.files[i]!.fileName} 续编页码后页数由 ${materialPdfs[i]!.pages} 变为 ${pdf.pages}，材料汇编的页码可能有偏差` });
      }
      materialPdfs[i] = pdf;
    });
  }

  // Table of contents: the page number printed on each material's first page.
  const parts = rendered.files.map((f, i) => ({
    number: String(i + 1),
    name: materials.find((m) => m.id === f.materialId)!.name,
    fileName: f.fileName,
    page: numbering[i]!.start,
  }));
  const coverDocx = renderCommon('cover', buildCoverModel({ applicant, program, category, date: applicant.letter.date, parts }), diagnostics, valid);
  const [coverPdf] = (await options.converter.convert([{ name: '封面和目录.docx', bytes: coverDocx }], { date })).pdfs;
  if (coverPdf!.pages !== FRONT_MATTER_PAGES) {
    diagnostics.push({ severity: 'warning', code: 'package.front-matter', message: `封面和目录共 ${coverPdf!.pages} 页（应为 ${FRONT_MATTER_PAGES} 页），目录页码可能有偏差` });
  }
  const name = packageName(applicant.applicant.short_name, category.short_name);
  const combined = await combinePdfs(
    [{ bytes: coverPdf!.bytes }, ...parts.map((p, i) => ({ title: `${p.number} ${p.name}`, bytes: materialPdfs[i]!.bytes, blankPagesAfter: numbering[i]!.blankAfter }))],
    { title: `${applicant.applicant.name}${category.name}申报材料`, author: applicant.applicant.name, date },
  );

  const files: (PackageFile & Omit<ManifestFile, 'path' | 'sha256' | 'size'>)[] = [];
  rendered.files.forEach((f, i) => {
    files.push({ name: f.fileName, bytes: docxBytes[i]!, role: 'material', material: f.materialId });
    files.push({ name: f.fileName.replace(/\.docx$/, '.pdf'), bytes: materialPdfs[i]!.bytes, pages: materialPdfs[i]!.pages, role: 'material', material: f.materialId });
  });
  files.push({ name: `${name}-材料汇编.pdf`, bytes: combined.bytes, pages: combined.pages, role: 'combined' });
  files.push({ name: '内部-申报条件自查表.docx', bytes: checklistDocx, role: 'internal' });
  files.push({ name: '内部-申报条件自查表.pdf', bytes: checklistPdf.bytes, pages: checklistPdf.pages, role: 'internal' });
  const readme = program.texts.package_readme;
  if (readme) {
    const text = renderText(readme, textContext({ ...valid, evaluation }), `批次 ${program.id} 的 package_readme`);
    files.push({ name: '说明.txt', bytes: Buffer.from(`\ufeff${text.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8'), role: 'info' });
  }

  const manifest: Manifest = {
    shenbao: options.version,
    input_hash: options.inputHash,
    program: program.id,
    category: { id: category.id, name: category.name },
    applicant: { name: applicant.applicant.name, short_name: applicant.applicant.short_name, file: path.basename(valid.file) },
    date: applicant.letter.date,
    pdf_engine: options.converter.name,
    files: files.map((f) => ({ path: f.name, sha256: sha256(f.bytes), size: f.bytes.length, pages: f.pages, role: f.role, material: f.material })),
    fonts: converted.fonts,
    warnings: diagnostics.filter((d) => d.severity === 'warning').map(portable),
    checklist: evaluation.results.map((r) => ({ id: r.id, clause: r.clause, title: r.title, status: r.status, status_label: STATUS_LABEL[r.status], reason: r.reason })),
    eligible: evaluation.eligible,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const written = await writePackageFolder(options.outDir, name, [...files, { name: MANIFEST_NAME, bytes: manifestBytes }]);
  // After the manifest: what the user keeps in the folder is no part of the package's bytes.
  diagnostics.push(...written.diagnostics);
  return { name, dir: written.dir, zip: written.zip, manifest, evaluation, diagnostics };
}

/**
 * Page numbers of materials bound in order (GB/T 9704 7.5): the first from 1, each next one from
 * the next odd number, a blank unnumbered page before it where the previous one ends on an odd
 * page. The front matter (cover and contents, 2 pages) keeps odd numbers on right-hand pages.
 */
export function boundNumbering(pages: number[]): { start: number; blankAfter: number }[] {
  let next = 1;
  return pages.map((n, i) => {
    const start = next;
    const end = start + n - 1;
    const blankAfter = i < pages.length - 1 && end % 2 === 1 ? 1 : 0;
    next = end + 1 + blankAfter;
    return { start, blankAfter };
  });
}

function renderCommon(doc: 'cover' | 'checklist', model: Record<string, unknown>, diagnostics: Diagnostic[], valid: ValidApplicant): Buffer {
  const title = doc === 'cover' ? '封面和目录' : '申报条件自查表';
  return renderTemplateFile(path.join(TEMPLATES_DIR, 'common', `${doc}.docx`), model, { title, author: valid.applicant.applicant.name, date: valid.applicant.letter.date }, diagnostics);
}

/**
 * A warning as the package records it: positions kept, but no path of the machine that built
 * it (where shenbao is installed, where the batch ran), so the same input gives the same bytes
 * anywhere.
 */
function portable(d: Diagnostic): Diagnostic {
  const local = (s: string) => s.split(`${PACKAGE_ROOT}${path.sep}`).join('').split(`${process.cwd()}${path.sep}`).join('');
  return { ...d, file: d.file === undefined ? undefined : path.isAbsolute(d.file) ? local(d.file) : d.file, message: local(d.message) };
}

/** Noon UTC of the data's date: the same calendar day in every time zone that reads it. */
export function dataDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 12, 0, 0));
}
