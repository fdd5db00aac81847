import path from 'node:path';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { TEMPLATES_DIR } from '../common/paths.js';
import { renderTemplateFile } from '../docx/render.js';
import type { Evaluation } from '../evaluate/index.js';
import { buildRecommendation } from '../model/build.js';
import { buildSummaryModel, summaryCsv, type SummaryFailure } from '../model/package.js';
import { dataDate } from '../package/index.js';
import type { PdfConverter } from '../package/types.js';
import type { Program } from '../program/schema.js';
import type { ValidApplicant } from '../schema/validate.js';
import type { OfficeData } from './types.js';

/** What the summary reads of an applicant (a batch worker rebuilds it from the plan's data). */
export type SummaryApplicant = Pick<ValidApplicant, 'file' | 'applicant' | 'program' | 'category' | 'catalogue'>;

export interface SummaryEntry {
  valid: SummaryApplicant;
  evaluation: Evaluation;
  /** Why its package was not built, if it was not. */
  error?: string;
}

export interface SummaryOptions {
  converter: PdfConverter;
  /** Files of the applicants the office recommends, in its order, already judged (readSelection). */
  selected?: string[];
  office?: OfficeData;
  /** Submitted files without a package, in the order submitted. */
  failed?: SummaryFailure[];
}

/**
 * The municipal office's view of a batch: per category, the applicants side by side against the
 * round's quota (DOCX, PDF, CSV), and the 推荐函 draft for the applicants it selects. Only the
 * files' bytes: the batch writes them as one set (writeSummaryFiles).
 */
export async function renderSummary(entries: SummaryEntry[], options: SummaryOptions, diagnostics: Diagnostic[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out: { name: string; bytes: Uint8Array }[] = [];
  const programs = [...new Map(entries.map((e) => [e.valid.program.id, e.valid.program])).values()];
  const { converter } = options;
  const selection = options.selected;

  for (const program of programs) {
    const mine = entries.filter((e) => e.valid.program.id === program.id);
    const suffix = programs.length > 1 ? `-${program.id}` : '';
    const input = {
      program,
      categories: program.categories
        .map((category) => ({
          category,
          applicants: mine
            .filter((e) => e.valid.category.id === category.id)
            .map((e) => ({ applicant: e.valid.applicant, evaluation: e.evaluation, catalogue: e.valid.catalogue, file: path.basename(e.valid.file), error: e.error })),
        }))
        .filter((c) => c.applicants.length > 0),
      failed: options.failed,
      quotas: options.office?.quotas,
    };
    const latest = mine.map((e) => e.valid.applicant.letter.date).sort().at(-1)!;
    const author = options.office?.office ?? commonOffice(mine) ?? program.recipient;
    const docx = renderTemplateFile(path.join(TEMPLATES_DIR, 'common', 'summary.docx'), buildSummaryModel(input), { title: '申报情况汇总表', author, date: latest }, diagnostics);
    const [pdf] = (await converter.convert([{ name: '申报情况汇总表.docx', bytes: docx }], { date: dataDate(latest) })).pdfs;
    out.push({ name: `申报情况汇总表${suffix}.docx`, bytes: docx });
    out.push({ name: `申报情况汇总表${suffix}.pdf`, bytes: pdf!.bytes });
    out.push({ name: `申报情况汇总表${suffix}.csv`, bytes: Buffer.from(summaryCsv(input), 'utf8') });

    if (selection) {
      // In the office's order; 示范 and 试点 go to the national office in separate letters.
      const chosen = selection.flatMap((file) => mine.filter((e) => e.valid.file === file));
      for (const level of ['示范', '试点'] as const) {
        const group = chosen.filter((e) => e.valid.category.level === level);
        if (!group.length) continue;
        for (const [ext, bytes] of await renderRecommendation(program, group, level, options.office ?? {}, converter, diagnostics)) {
          out.push({ name: `推荐函（草稿）${suffix}-${level}.${ext}`, bytes });
        }
      }
    }
  }
  return out;
}

/** The provincial office every applicant addresses, when they agree (the national round). */
function commonOffice(entries: SummaryEntry[]): string | undefined {
  const offices = [...new Set(entries.map((e) => e.valid.applicant.letter.recipient).filter((x): x is string => Boolean(x)))];
  return offices.length === 1 ? offices[0] : undefined;
}

async function renderRecommendation(
  program: Program,
  chosen: SummaryEntry[],
  level: '示范' | '试点',
  office: OfficeData,
  converter: PdfConverter,
  diagnostics: Diagnostic[],
): Promise<['docx' | 'pdf', Uint8Array][]> {
  const first = chosen[0]!;
  const material = program.materials.find((m) => m.id === 'recommendation');
  // Rounds without their own 推荐函 (Shanghai forwards to the national office) use the national form.
  const relative = material ? path.join(program.id, material.template) : program.recommendation_template;
  if (!relative) {
    throw new UserError([{ severity: 'error', code: 'select.no-template', message: `申报批次 ${program.id} 没有推荐函模板（materials 中的 recommendation 或 recommendation_template），无法生成推荐函草稿` }], 1);
  }
  const template = path.join(TEMPLATES_DIR, relative);
  const date = office.date ?? chosen.map((e) => e.valid.applicant.letter.date).sort().at(-1)!;
  const signer = office.office ?? commonOffice(chosen);
  const model = buildRecommendation(
    { ...first.valid, evaluation: first.evaluation },
    chosen.map((e) => ({ name: e.valid.applicant.applicant.name, category: e.valid.category.name })),
    undefined,
    { office: signer, date, level },
  );
  const docx = renderTemplateFile(template, model, { title: '推荐函（草稿）', author: String(model.signer), date }, diagnostics);
  const [pdf] = (await converter.convert([{ name: '推荐函.docx', bytes: docx }], { date: dataDate(date) })).pdfs;
  return [
    ['docx', docx],
    ['pdf', pdf!.bytes],
  ];
}
