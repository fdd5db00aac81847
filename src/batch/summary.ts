import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { describeIoError, describeWriteError, ReadRefused, readRegularFileSync, tempStamp } from '../common/fsutil.js';
import { conditionLabel, evaluate, STATUS_LABEL, type ConditionStatus, type Evaluation } from '../evaluate/index.js';
import { isoDateSchema } from '../schema/applicant.js';
import { recoverLeftovers } from '../package/folder.js';
import { swapFolder } from '../common/swap.js';
import type { ValidApplicant } from '../schema/validate.js';
import type { OfficeData } from './types.js';

export type { OfficeData } from './types.js';

/** A select file names a few dozen applicants. */
const MAX_SELECT_BYTES = 1024 * 1024;

/**
 * What judging a selection reads of an applicant: a validated one (the office view), whose check
 * is computed here, or one a batch worker validated and checked already (no catalogue needed).
 */
export type Selectable = Pick<ValidApplicant, 'file' | 'applicant' | 'program' | 'category'> & ({ evaluation: Evaluation } | Pick<ValidApplicant, 'catalogue'>);

export interface Selection<T extends Selectable = ValidApplicant> {
  /** In the order the office listed them. */
  chosen: T[];
  office: OfficeData;
}

export interface SummaryFiles {
  dir: string;
  files: string[];
  selected?: string[];
}

/**
 * The summary's files (summary-docs.ts, made in a batch worker) written into <outDir>/汇总 as one
 * set (replaceSummaryFolder).
 */
export async function writeSummaryFiles(outDir: string, files: { name: string; bytes: Uint8Array }[], selected: string[] | undefined, diagnostics: Diagnostic[]): Promise<SummaryFiles> {
  const dir = path.join(outDir, '汇总');
  await replaceSummaryFolder(dir, files, diagnostics);
  return { dir, files: files.map((f) => path.join(dir, f.name)), selected };
}

/** What shenbao writes into 汇总/: anything else there is the user's, and stops the swap. */
const SUMMARY_FILE = /^(申报情况汇总表|推荐函（草稿）)[^/\\]*\.(docx|pdf|csv)$/;

/**
 * The summary files replace the previous set as a whole: written into a temporary folder, then
 * swapped in, so a failure leaves the old set and a new run leaves no stale 推荐函 of an earlier
 * selection. A 汇总 folder holding files shenbao did not write is left alone and reported.
 */
async function replaceSummaryFolder(dir: string, files: { name: string; bytes: Uint8Array }[], diagnostics: Diagnostic[]): Promise<void> {
  // What a killed run left (the new set half-written, the old one moved aside) goes first, the
  // same way as for a package folder: an old set that is no longer visible comes back.
  const outDir = path.dirname(dir);
  diagnostics.push(...(await recoverLeftovers(outDir, path.basename(dir), dir, { onlyOurs: true, folderLabel: '汇总文件夹' }).catch(() => [] as Diagnostic[])));
  const existing = await stat(dir).catch(() => undefined);
  if (existing) {
    const foreign = existing.isDirectory() ? (await readdir(dir)).filter((n) => !SUMMARY_FILE.test(n)) : [path.basename(dir)];
    if (foreign.length) {
      throw new UserError([{ severity: 'error', code: 'io.exists', file: dir, message: `汇总文件夹中有不是 shenbao 生成的文件（${foreign.slice(0, 3).join('、')}），未覆盖；请移走这些文件或换一个输出目录` }], 2);
    }
  }
  const stamp = tempStamp();
  const tmp = path.join(path.dirname(dir), `.汇总.${stamp}.tmp`);
  try {
    await mkdir(tmp, { recursive: true });
    for (const f of files) await writeFile(path.join(tmp, f.name), f.bytes);
    await swapFolder(dir, tmp, { written: 'summary-written', oldMoved: 'summary-old-moved', swapped: 'summary-swapped' });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new UserError([{ severity: 'error', code: 'io.write', file: dir, message: `无法写入汇总材料：${describeWriteError(err)}` }], 2);
  }
}

/**
 * The select file: a YAML list of short names, full names or file names, in the office's order;
 * or a mapping with that list under `select:` and the office's own facts: `office` (who signs
 * the 推荐函, default: the office the applicants address), `date` (its date, default: the latest
 * letter) and `quotas` (allocated places by category, where the round leaves them to allocation).
 * Refused (UserError) when it names an unknown applicant, goes over a quota, or names one with an
 * unmet or missing condition (selectionDiagnostics).
 */
export function readSelection<T extends Selectable>(file: string, entries: readonly T[]): Selection<T> {
  let text: string;
  try {
    // A list of a few dozen names: a FIFO or a device under that name must not block the batch.
    text = readRegularFileSync(file, MAX_SELECT_BYTES).toString('utf8');
  } catch (err) {
    throw new UserError([{ severity: 'error', code: 'select.read', file, message: `无法读取推荐名单：${err instanceof ReadRefused ? err.message : describeIoError(err)}` }], 2);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const bomb = /alias count/i.test(String((err as Error).message));
    const line = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new UserError(
      [{ severity: 'error', code: 'select.yaml', file, ...line, message: bomb ? '推荐名单中的引用（*别名）展开次数过多，已拒绝读取' : '推荐名单不是有效的 YAML：应为申报单位简称的列表，如“- 徐汇区”' }],
      2,
    );
  }
  const parsed = selectionValue(file, raw);
  if (!parsed.keys) throw new UserError(parsed.diagnostics, 1);
  const judged = selectionDiagnostics(file, parsed.keys, entries, parsed.office);
  const errors = [...parsed.diagnostics, ...judged.diagnostics];
  if (errors.length) throw new UserError(errors, 1);
  return { chosen: judged.chosen, office: parsed.office };
}

/**
 * A select file's parsed value as the list of keys and the office's facts; `keys` is undefined
 * when the value is not a select list at all. Shared by batch and the office view (which reads
 * the office's quotas from an existing file before writing it again).
 */
export function selectionValue(file: string, raw: unknown): { keys?: string[]; office: OfficeData; diagnostics: Diagnostic[] } {
  const map = !Array.isArray(raw) && raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
  const list = Array.isArray(raw) ? raw : map?.select;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    return { office: {}, diagnostics: [{ severity: 'error', code: 'select.format', file, message: '推荐名单应为申报单位简称（或全称、文件名）的列表，如：- 徐汇区' }] };
  }
  const diagnostics: Diagnostic[] = [];
  const office = readOfficeData(file, map ?? {}, diagnostics);
  return { keys: list as string[], office, diagnostics };
}

/**
 * Whether a YAML file in an applicants' folder is a select list rather than an applicant: its
 * first entry is a list item or `select:`, which no applicant file starts with. A folder can then
 * hold its 推荐名单.yaml next to the applicants (the office view writes it there) and `batch DIR`
 * still takes only the applicants. Anything unreadable is left to validation to report.
 */
export function isSelectListFile(file: string): boolean {
  let text: string;
  try {
    text = readRegularFileSync(file, MAX_SELECT_BYTES).toString('utf8');
  } catch {
    return false;
  }
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith('%') && l !== '---');
  return first !== undefined && (/^-(\s|$)/.test(first) || /^\[/.test(first) || /^["']?select["']?\s*:/.test(first));
}

/** The applicants a select-list key names: by short name, full name, or file name with or without its extension. */
export function selectKeyMatches<T extends Pick<ValidApplicant, 'file' | 'applicant'>>(key: string, entries: readonly T[]): T[] {
  return entries.filter(
    (e) => e.applicant.applicant.short_name === key || e.applicant.applicant.name === key || path.basename(e.file) === key || path.basename(e.file, path.extname(e.file)) === key,
  );
}

/** The quota of a category: the round's, or the office's allocation (by id or short name). */
export function categoryQuota(category: ValidApplicant['category'], office: OfficeData): number | undefined {
  return category.quota ?? office.quotas?.[category.id] ?? office.quotas?.[category.short_name];
}

/**
 * Everything that makes a selection wrong, judged without I/O: a key that names no applicant or
 * several, a category over its quota, an applicant with an unmet or missing condition. Both
 * `batch --select` and the office view (shenbao edit DIR) judge by this one function, so the list
 * the office view writes is exactly a list batch accepts.
 */
export function selectionDiagnostics<T extends Selectable>(
  file: string,
  keys: readonly string[],
  entries: readonly T[],
  office: OfficeData,
): { chosen: T[]; diagnostics: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const chosen: T[] = [];
  for (const key of keys) {
    const hit = selectKeyMatches(key, entries);
    if (hit.length === 0) errors.push({ severity: 'error', code: 'select.unknown', file, message: `推荐名单中的“${key}”不在本批申报单位中（或其数据有误未能生成）` });
    else if (hit.length > 1) errors.push({ severity: 'error', code: 'select.ambiguous', file, message: `推荐名单中的“${key}”对应多个申报单位，请改用文件名` });
    else if (!chosen.includes(hit[0]!)) chosen.push(hit[0]!);
  }
  // Quotas are the round's (or the office's allocation), per category: never more than given.
  const byCategory = new Map<string, T[]>();
  for (const e of chosen) {
    const k = `${e.program.id}/${e.category.id}`;
    byCategory.set(k, [...(byCategory.get(k) ?? []), e]);
  }
  for (const group of byCategory.values()) {
    const cat = group[0]!.category;
    const quota = categoryQuota(cat, office);
    if (quota !== undefined && group.length > quota) {
      errors.push({
        severity: 'error',
        code: 'select.quota',
        file,
        message: `${cat.short_name}推荐名额为 ${quota} 个，推荐名单选择了 ${group.length} 个（${group.map((e) => e.applicant.applicant.short_name).join('、')}），超出名额`,
      });
    }
  }
  errors.push(...unselectableDiagnostics(file, chosen));
  return { chosen, diagnostics: errors };
}

function readOfficeData(file: string, map: Record<string, unknown>, errors: Diagnostic[]): OfficeData {
  const office: OfficeData = {};
  const bad = (field: string, expected: string) => errors.push({ severity: 'error', code: 'select.office', file, message: `推荐名单的 ${field} 应为${expected}（实际为 ${JSON.stringify(map[field])}）` });
  for (const key of Object.keys(map)) {
    if (!['select', 'office', 'date', 'quotas'].includes(key)) errors.push({ severity: 'error', code: 'select.field', file, message: `推荐名单中有无法识别的字段 ${key}；可用：select（名单）、office（推荐单位）、date（推荐函日期）、quotas（分配名额）` });
  }
  if (map.office !== undefined) {
    if (typeof map.office === 'string' && map.office.trim()) office.office = map.office.trim();
    else bad('office', '推荐单位全称，如 江苏省知识产权局');
  }
  if (map.date !== undefined) {
    const d = map.date instanceof Date ? map.date.toISOString().slice(0, 10) : map.date;
    if (typeof d === 'string' && isoDateSchema.safeParse(d).success) office.date = d;
    else bad('date', '日期，格式 YYYY-MM-DD');
  }
  if (map.quotas !== undefined) {
    const q = map.quotas;
    if (q && typeof q === 'object' && !Array.isArray(q) && Object.values(q).every((v) => Number.isInteger(v) && (v as number) >= 0)) office.quotas = q as Record<string, number>;
    else bad('quotas', '各类别的分配名额，如 示范城市: 2');
  }
  return office;
}

function unselectableDiagnostics(file: string, chosen: readonly Selectable[]): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const v of chosen) {
    const e = 'evaluation' in v ? v.evaluation : evaluate(v.applicant, v.program, v.category, v.catalogue);
    for (const r of e.results.filter((x) => !isSelectable(x.status))) {
      errors.push({
        severity: 'error',
        code: 'select.unmet',
        file,
        message: `推荐名单中的“${v.applicant.applicant.short_name}”申报条件 ${conditionLabel(r)} ${STATUS_LABEL[r.status]}：${r.reason}；不能推荐`,
      });
    }
  }
  return errors;
}

/** A condition in this state keeps its applicant off the select list. */
export function isSelectable(status: ConditionStatus): boolean {
  return status !== 'unmet' && status !== 'pending';
}
