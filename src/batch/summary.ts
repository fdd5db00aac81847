import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, hasErrors, type Diagnostic } from '../common/diagnostics.js';
import { writeFileAtomic } from '../common/fsutil.js';
import { TEMPLATES_DIR } from '../common/paths.js';
import { renderTemplateFile } from '../docx/render.js';
import type { Evaluation } from '../evaluate/index.js';
import { buildRecommendation } from '../model/build.js';
import { buildSummaryModel, summaryCsv } from '../model/package.js';
import { dataDate } from '../package/index.js';
import { pdfConverter } from '../pdf/engine.js';
import type { PdfConverter } from '../package/types.js';
import type { Program } from '../program/schema.js';
import type { ValidApplicant } from '../schema/validate.js';

export interface SummaryEntry {
  valid: ValidApplicant;
  evaluation: Evaluation;
}

export interface SummaryFiles {
  dir: string;
  files: string[];
  selected?: string[];
}

interface SummaryOptions {
  outDir: string;
  engine: string;
  fonts?: string;
  /** Applicants the office recommends, already checked against the quotas (readSelection). */
  selected?: ValidApplicant[];
  /** Converter to use instead of a new one for options.engine (batch: its warm workers). */
  converter?: PdfConverter;
}

/**
 * The municipal office's view of a batch: per category, the applicants side by side against the
 * round's quota (DOCX, PDF, CSV), and the 推荐函 draft for the applicants it selects.
 */
export async function writeSummary(entries: SummaryEntry[], options: SummaryOptions, diagnostics: Diagnostic[]): Promise<SummaryFiles> {
  const dir = path.join(options.outDir, '汇总');
  const written: string[] = [];
  const programs = [...new Map(entries.map((e) => [e.valid.program.id, e.valid.program])).values()];
  const converter = options.converter ?? (await pdfConverter(options.engine, { fonts: options.fonts }));
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
            .map((e) => ({ applicant: e.valid.applicant, evaluation: e.evaluation, catalogue: e.valid.catalogue, file: path.basename(e.valid.file) })),
        }))
        .filter((c) => c.applicants.length > 0),
    };
    const latest = mine.map((e) => e.valid.applicant.letter.date).sort().at(-1)!;
    const docx = renderTemplateFile(path.join(TEMPLATES_DIR, 'common', 'summary.docx'), buildSummaryModel(input), { title: '申报情况汇总表', author: program.recipient, date: latest }, diagnostics);
    const [pdf] = (await converter.convert([{ name: '申报情况汇总表.docx', bytes: docx }], { date: dataDate(latest) })).pdfs;
    for (const [name, bytes] of [
      [`申报情况汇总表${suffix}.docx`, docx],
      [`申报情况汇总表${suffix}.pdf`, pdf!.bytes],
      [`申报情况汇总表${suffix}.csv`, Buffer.from(summaryCsv(input), 'utf8')],
    ] as const) {
      await writeFileAtomic(path.join(dir, name), bytes);
      written.push(path.join(dir, name));
    }

    if (selection) {
      const chosen = mine.filter((e) => selection.includes(e.valid));
      if (chosen.length) {
        for (const [ext, bytes] of await writeRecommendation(program, chosen, converter, diagnostics)) {
          const p = path.join(dir, `推荐函（草稿）${suffix}.${ext}`);
          await writeFileAtomic(p, bytes);
          written.push(p);
        }
      }
    }
  }
  return { dir, files: written, selected: selection?.map((v) => v.applicant.applicant.name) };
}

/** The select file: a YAML list (or `select:` list) of short names, full names or file names. */
export function readSelection(file: string, entries: ValidApplicant[]): ValidApplicant[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError([{ severity: 'error', code: 'select.read', file, message: `无法读取推荐名单：${(err as Error).message.split('\n')[0]}` }], 2);
  }
  const list = Array.isArray(raw) ? raw : (raw as { select?: unknown })?.select;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new UserError([{ severity: 'error', code: 'select.format', file, message: '推荐名单应为申报单位简称（或全称、文件名）的列表，如：- 徐汇区' }], 1);
  }
  const errors: Diagnostic[] = [];
  const chosen: ValidApplicant[] = [];
  for (const key of list as string[]) {
    const hit = entries.filter(
      (e) => e.applicant.applicant.short_name === key || e.applicant.applicant.name === key || path.basename(e.file) === key || path.basename(e.file, path.extname(e.file)) === key,
    );
    if (hit.length === 0) errors.push({ severity: 'error', code: 'select.unknown', file, message: `推荐名单中的“${key}”不在本批申报单位中（或其数据有误未能生成）` });
    else if (hit.length > 1) errors.push({ severity: 'error', code: 'select.ambiguous', file, message: `推荐名单中的“${key}”对应多个申报单位，请改用文件名` });
    else if (!chosen.includes(hit[0]!)) chosen.push(hit[0]!);
  }
  // Quotas are the round's, per category: the office cannot recommend more than it was given.
  const byCategory = new Map<string, ValidApplicant[]>();
  for (const e of chosen) {
    const k = `${e.program.id}/${e.category.id}`;
    byCategory.set(k, [...(byCategory.get(k) ?? []), e]);
  }
  for (const group of byCategory.values()) {
    const cat = group[0]!.category;
    if (cat.quota !== null && group.length > cat.quota) {
      errors.push({
        severity: 'error',
        code: 'select.quota',
        file,
        message: `${cat.short_name}推荐名额为 ${cat.quota} 个，推荐名单选择了 ${group.length} 个（${group.map((e) => e.applicant.applicant.short_name).join('、')}），超出名额`,
      });
    }
  }
  if (errors.length) throw new UserError(errors, 1);
  return chosen;
}

async function writeRecommendation(
  program: Program,
  chosen: SummaryEntry[],
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
  const model = buildRecommendation(
    { ...first.valid, evaluation: first.evaluation },
    chosen.map((e) => ({ name: e.valid.applicant.applicant.name, category: e.valid.category.name, review: e.evaluation.eligible ? undefined : (program.texts.recommendation_review_pending ?? '经审核，申报材料齐全；部分申报条件尚待核实。') })),
  );
  const latest = chosen.map((e) => e.valid.applicant.letter.date).sort().at(-1)!;
  const docx = renderTemplateFile(template, model, { title: '推荐函（草稿）', author: program.recipient, date: latest }, diagnostics);
  const [pdf] = (await converter.convert([{ name: '推荐函.docx', bytes: docx }], { date: dataDate(latest) })).pdfs;
  return [
    ['docx', docx],
    ['pdf', pdf!.bytes],
  ];
}
