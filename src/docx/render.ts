import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import Docxtemplater from 'docxtemplater';
import PizZip from '../common/pizzip.js';
import { diskCache, type DiskCache } from '../common/cache.js';
import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { TEMPLATES_DIR } from '../common/paths.js';
import { safeName } from '../common/names.js';
import { ReadRefused, readRegularFileSync } from '../common/fsutil.js';
import { renderText } from '../program/text.js';
import { buildViewModels, type ModelInput, type ViewModel } from '../model/build.js';
import { docIdOfTemplate } from '../model/fields.js';
import { XML_INVALID } from '../model/format.js';
import { xmlNotWellFormed } from '../common/xml.js';
import type { Material, Program } from '../program/schema.js';
import { makeParser } from './filters.js';
import { bodySize, loopDepth, TEMPLATE_LIMITS, TemplateLimitError, templateLimitProblem } from './limits.js';
import { lintTemplate } from './lint.js';
import { deterministicZip } from './zip.js';
import { isolateJoinedUnits, joinUnbreakables } from './keep.js';

/** What a missing value prints: visible, so nobody seals a document with a hole in it. */
export const MISSING_VALUE = '＿＿＿＿';

export interface RenderResult {
  /** Undefined when the template could not be rendered (errors in diagnostics). */
  bytes?: Buffer;
  diagnostics: Diagnostic[];
}

/** templates/ shipped with the package. */
export function shippedTemplatesDir(): string {
  return TEMPLATES_DIR;
}

/** Copy of the model without XML-invalid control characters, each removal reported. */
export function sanitizeModel(value: unknown, template: string, path: (string | number)[] = [], out: Diagnostic[] = []): unknown {
  if (typeof value === 'string') {
    if (!XML_INVALID.test(value)) return value;
    XML_INVALID.lastIndex = 0;
    out.push({
      severity: 'warning',
      code: 'docx.control-char',
      message: `数据中含有 Word 文件不允许的控制字符，已删除（模板 ${template}，字段 ${path.join('.')}）`,
      file: template,
      path,
    });
    return value.replace(XML_INVALID, '');
  }
  if (Array.isArray(value)) return value.map((v, i) => sanitizeModel(v, template, [...path, i], out));
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = sanitizeModel(v, template, [...path, k], out);
    return o;
  }
  return value;
}

interface DxtError {
  name?: string;
  message?: string;
  properties?: { id?: string; explanation?: string; xtag?: string; file?: string; errors?: DxtError[]; [k: string]: unknown };
}

/** docxtemplater's explanations, for the people who edit templates in Word. */
function explainInChinese(id: string | undefined, tag: string | undefined, p: Record<string, unknown>): string | undefined {
  switch (id) {
    case 'unclosed_loop':
      return `循环 {#${tag}} 没有对应的结束标签 {/${tag}}`;
    case 'unopened_loop':
      return `结束标签 {/${tag}} 没有对应的开始标签 {#${tag}}`;
    case 'closing_tag_does_not_match_opening_tag':
      return `开始标签 {#${String(p.openingtag)}} 与结束标签 {/${String(p.closingtag)}} 不一致`;
    case 'unclosed_tag':
      return '标签缺少右花括号“}”';
    case 'unopened_tag':
      return '标签缺少左花括号“{”';
    case 'duplicate_open_tag':
      return '标签中多了一个左花括号“{”';
    case 'duplicate_close_tag':
      return '标签中多了一个右花括号“}”';
    case 'scopeparser_compilation_failed':
      return '标签中的表达式写法不正确';
    case 'raw_xml_tag_should_be_only_text_in_paragraph':
      return '{@…} 标签必须单独占一段';
    case 'scopeparser_execution_failed':
      return '标签中的表达式无法计算';
    case 'file_has_invalid_xml':
    case 'malformed_xml':
      return '模板中的 XML 格式不正确（文件已损坏，请用 Word 或 WPS 打开后另存）';
    case 'invalid_xml_characters':
      return '数据中含有 Word 文件不允许的字符';
    case 'invalid_raw_xml_value':
      return '{@…} 标签的值不是有效的 Word 内部格式';
    case 'unbalanced_loop_tags':
    case 'loop_position_invalid':
      return '循环的开始标签和结束标签位置不匹配（例如一个在表格内、一个在表格外）';
    case 'no_xml_tag_found_at_left':
    case 'no_xml_tag_found_at_right':
      return '标签所在位置找不到对应的段落或表格结构';
    case 'unimplemented_tag_type':
      return '不支持的标签类型';
    default:
      return undefined;
  }
}

/** docxtemplater's errors (a MultiError holds them all) as Diagnostics naming file and tag. */
export function templateErrors(e: unknown, template: string): Diagnostic[] {
  const err = e as DxtError;
  const list = err.properties?.errors?.length ? err.properties.errors : [err];
  return list.map((x) => {
    const tag = x.properties?.xtag;
    // docxtemplater's own explanations are English: an unknown id gets a Chinese sentence and the id, never them.
    const explanation = explainInChinese(x.properties?.id, tag, x.properties ?? {}) ?? `模板处理失败（${x.properties?.id ?? x.name ?? '未知原因'}）`;
    return {
      severity: 'error' as const,
      code: `docx.${x.properties?.id ?? 'template'}`,
      message: `模板 ${template}${tag ? ` 中的标签 {${tag}}` : ''} 有误：${explanation}`,
      file: template,
      received: tag,
    };
  });
}

const notDocx = (templateName: string, why: string): Diagnostic => ({
  severity: 'error',
  code: 'docx.zip',
  message: `模板 ${templateName} 不是有效的 DOCX 文件（${why}），请用 Word 或 WPS 打开后另存为 .docx`,
  file: templateName,
});

/** Why a template (by the SHA-256 of its bytes) is refused, once per process: over a limit, or not a DOCX Word opens. */
type Verdict = { limit: string } | { structure: string } | undefined;
const verdicts = new Map<string, Verdict>();

function limitDiagnostic(templateName: string, why: string): Diagnostic {
  return {
    severity: 'error',
    code: 'docx.template-limit',
    message: `模板 ${templateName} 超出处理限制：${why}，未生成；正常的公文模板远小于此，请检查模板是否被误改`,
    file: templateName,
  };
}

interface TagPart {
  type?: string;
  value?: string;
  module?: string;
  subparsed?: TagPart[];
}

interface RenderBudget {
  evaluations: number;
  output: number;
  exceeded?: string;
  objectTags: Set<string>;
}

/** A paragraph holding `text` as plain text: what a {@raw} tag gets instead of markup from the data. */
const plainParagraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${escXml(text)}</w:t></w:r></w:p>`;

/**
 * The expression parser with the render's budget on it: every evaluation is counted, and the
 * output is estimated as it is decided (a loop's body times the items it will repeat over), so
 * a template that would run for minutes or print thousands of pages stops at the limit
 * instead. Values are placed as text whatever the tag: a raw-XML tag gets an escaped paragraph,
 * and a list or record placed as text is not printed as "[object Object]".
 */
function budgetedParser(budget: RenderBudget) {
  const base = makeParser();
  return (tag: string, meta?: { tag?: TagPart }) => {
    const parsed = base(tag);
    const part = meta?.tag;
    const loop = part?.module === 'loop';
    const raw = part?.module === 'rawxml';
    const body = loop ? bodySize(part?.subparsed) : 0;
    const over = (why: string): never => {
      budget.exceeded ??= why;
      throw new TemplateLimitError(why);
    };
    return {
      ...parsed,
      get(scope: unknown, context: unknown) {
        if (budget.exceeded) throw new TemplateLimitError(budget.exceeded);
        if (++budget.evaluations > TEMPLATE_LIMITS.evaluations) over(`标签计算超过 ${TEMPLATE_LIMITS.evaluations / 10_000} 万次（循环嵌套或重复过多）`);
        let v = (parsed.get as (s: unknown, c: unknown) => unknown)(scope, context);
        if (loop) {
          budget.output += (Array.isArray(v) ? v.length : v ? 1 : 0) * body;
        } else {
          if (typeof v === 'number' && !Number.isFinite(v)) v = MISSING_VALUE;
          if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) v = v.join('、');
          if (v !== null && typeof v === 'object') {
            budget.objectTags.add(tag);
            v = MISSING_VALUE;
          }
          // Figures keep their units and phone numbers their digits at a line end (keep.ts).
          if (typeof v === 'string') v = joinUnbreakables(v);
          if (raw && v != null) v = plainParagraph(String(v));
          budget.output += v == null ? 0 : String(v).length;
        }
        if (budget.output > TEMPLATE_LIMITS.outputChars) over(`生成的内容超过 ${TEMPLATE_LIMITS.outputChars / 10_000} 万字符（循环嵌套或重复过多）`);
        return v;
      },
    } as unknown as ReturnType<ReturnType<typeof makeParser>>;
  };
}

/** The parts docxtemplater filled in, each still well-formed XML: a broken one is never written. */
function malformedPart(zip: PizZip, names: string[]): string | undefined {
  for (const name of names) {
    const file = zip.file(name);
    if (file && xmlNotWellFormed(file.asText())) return name;
  }
  return undefined;
}

/**
 * Templates that passed the checks below, remembered on disk by their bytes and by the code of
 * the checks (common/cache.ts): parsing every XML part of every template again is a tenth of
 * building a package. A template that fails is not remembered on disk: each run checks it
 * again, to report why.
 */
let passedOnDisk: DiskCache | undefined | null = null;
let checker: string | undefined;
const passedKey = (key: string): string => {
  checker ??= createHash('sha256').update([judgeTemplate, structureProblem, templateLimitProblem].join('\n') + JSON.stringify(TEMPLATE_LIMITS)).digest('hex');
  return `template-ok-1\n${checker}\n${key}`;
};

/** Why a template is not a DOCX Word would open (as an error naming it), or undefined. */
export function checkTemplateFile(bytes: Buffer, templateName: string): Diagnostic | undefined {
  const key = createHash('sha256').update(bytes).digest('hex');
  if (!verdicts.has(key)) verdicts.set(key, judgeTemplate(bytes, key));
  const verdict = verdicts.get(key);
  if (verdict && 'limit' in verdict) return limitDiagnostic(templateName, verdict.limit);
  if (verdict) return notDocx(templateName, verdict.structure);
  return undefined;
}

/** The checks themselves, skipped for a template the disk remembers passing them. */
function judgeTemplate(bytes: Buffer, key: string): Verdict {
  if (passedOnDisk === null) passedOnDisk = diskCache('templates', 4 << 20);
  if (passedOnDisk?.get(passedKey(key))) return undefined;
  const over = templateLimitProblem(bytes);
  if (over) return { limit: over };
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    return { structure: '无法作为 zip 压缩包打开：文件已损坏，或是改了扩展名的其他文件' };
  }
  const problem = structureProblem(zip);
  if (problem) return { structure: problem };
  passedOnDisk?.set(passedKey(key), new Uint8Array([1]));
  return undefined;
}

/**
 * docxtemplater renders a zip without a main document, or with XML Word would call corrupt,
 * into a file Word refuses: check the template first.
 */
function structureProblem(zip: PizZip): string | undefined {
  const rels = zip.file('_rels/.rels')?.asText() ?? '';
  const main = /<Relationship\b[^>]*\/officeDocument"[^>]*>/.exec(rels)?.[0];
  const target = main && /Target="\/?([^"]+)"/.exec(main)?.[1];
  if (!zip.file('[Content_Types].xml') || !target || !zip.file(target)) return `缺少正文部件 ${target ?? 'word/document.xml'}`;
  for (const name of Object.keys(zip.files)) {
    if (!/\.(xml|rels)$/i.test(name) || zip.files[name]!.dir) continue;
    try {
      new DOMParser({ onError: onErrorStopParsing }).parseFromString(zip.file(name)!.asText(), 'application/xml');
    } catch {
      return `其中的 ${name} 不是格式正确的 XML`;
    }
  }
  return undefined;
}

/**
 * Render one template with one view model. All template errors come back at once; missing
 * values print MISSING_VALUE and warn; values are placed literally (a value "{x}" or "<w:p>"
 * is text, never template or XML). Same input → same bytes.
 */
/** The document's own metadata (docProps/core.xml), which the PDF engines carry over as title, author and dates. */
export interface DocumentProperties {
  title: string;
  author: string;
  /** YYYY-MM-DD from the data (the letter's date), never the clock. */
  date: string;
}

/** Text as XML character data: markup escaped, and characters XML 1.0 forbids (a control character in the applicant's name) dropped. */
const escXml = (s: string) => s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function setCoreProperties(zip: PizZip, p: DocumentProperties): void {
  // Only where the template has the part: adding one would also mean editing its relationships.
  if (!zip.file('docProps/core.xml')) return;
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const when = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`;
  zip.file(
    'docProps/core.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<dc:title>${escXml(p.title)}</dc:title><dc:creator>${escXml(p.author)}</dc:creator><cp:lastModifiedBy>${escXml(p.author)}</cp:lastModifiedBy>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`,
  );
}

export function renderTemplate(template: Buffer, model: ViewModel, templateName = 'template.docx', properties?: DocumentProperties): RenderResult {
  const diagnostics: Diagnostic[] = [];
  const data = sanitizeModel(model, templateName, [], diagnostics) as ViewModel;
  const invalid = checkTemplateFile(template, templateName);
  if (invalid) return { diagnostics: [invalid] };
  const zip = new PizZip(template);
  const missing = new Set<string>();
  const budget: RenderBudget = { evaluations: 0, output: 0, objectTags: new Set() };
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      parser: budgetedParser(budget) as never,
      nullGetter(part) {
        if (part.module === 'loop') return '';
        if (!missing.has(part.value)) {
          missing.add(part.value);
          diagnostics.push({
            severity: 'warning',
            code: 'docx.missing-value',
            message: `模板 ${templateName} 中的标签 {${part.value}} 没有对应的数据，已留空（${MISSING_VALUE}）`,
            file: templateName,
            received: part.value,
          });
        }
        return part.module === 'rawxml' ? '' : MISSING_VALUE;
      },
    });
    const compiled = (doc as unknown as { compiled: Record<string, { postparsed?: TagPart[] }> }).compiled;
    for (const part of Object.values(compiled)) {
      const deep = loopDepth(part.postparsed);
      if (deep.depth > TEMPLATE_LIMITS.loopDepth) {
        return { diagnostics: [...diagnostics, limitDiagnostic(templateName, `循环嵌套 ${deep.depth} 层（{#${deep.tag}} 处），超过 ${TEMPLATE_LIMITS.loopDepth} 层的上限`)] };
      }
    }
    doc.render(data);
  } catch (e) {
    if (budget.exceeded) return { diagnostics: [...diagnostics, limitDiagnostic(templateName, budget.exceeded)] };
    return { diagnostics: [...diagnostics, ...templateErrors(e, templateName)] };
  }
  for (const tag of budget.objectTags) {
    diagnostics.push({
      severity: 'warning',
      code: 'docx.object-value',
      message: `模板 ${templateName} 中的标签 {${tag}} 对应的是一组数据而不是文字，已留空（${MISSING_VALUE}）；列表请用 {#${tag}}…{/${tag}} 循环`,
      file: templateName,
      received: tag,
    });
  }
  // Only parts with tags can differ from the template, which was checked whole before.
  const compiledParts = (doc as unknown as { compiled: Record<string, { postparsed?: TagPart[] }> }).compiled;
  const filled = Object.keys(compiledParts).filter((name) => compiledParts[name]!.postparsed?.some((p) => p.type === 'placeholder'));
  for (const name of filled) {
    const file = doc.getZip().file(name);
    if (file) doc.getZip().file(name, isolateJoinedUnits(file.asText()));
  }
  const broken = malformedPart(doc.getZip(), filled);
  if (broken) {
    return {
      diagnostics: [
        ...diagnostics,
        { severity: 'error', code: 'docx.invalid-output', message: `模板 ${templateName} 生成的 ${broken} 不是格式正确的 XML，未写入；多半是模板中的标签打断了 Word 的格式标记，请在 Word 中重新输入该标签`, file: templateName },
      ],
    };
  }
  if (properties) setCoreProperties(doc.getZip(), properties);
  return { bytes: deterministicZip(doc.getZip()), diagnostics };
}

export interface RenderedFile {
  materialId: string;
  /** e.g. 01-申报函.docx */
  fileName: string;
  bytes: Buffer;
}

export interface RenderDocumentsOptions extends ModelInput {
  /** A folder of customised templates: a file there with the shipped name replaces the shipped one. */
  templatesDir?: string;
  /** Material ids to render (default: every material of the round). */
  only?: string[];
}

export interface RenderDocumentsResult {
  files: RenderedFile[];
  diagnostics: Diagnostic[];
}

/** Output name from the material's handlebars pattern (e.g. 03-三年期{{level}}工作方案) + .docx. */
export function materialFileName(material: Material, input: ModelInput): string {
  const ctx = {
    level: input.category.level,
    category_name: input.category.name,
    category_short: input.category.short_name,
    applicant_name: input.applicant.applicant.name,
    applicant_short: input.applicant.applicant.short_name,
    place: input.applicant.applicant.place ?? '',
    year: String(input.program.year),
  };
  // The pattern may use the applicant's names: never a path separator or a Windows-reserved name.
  return `${safeName(renderText(material.file_name, ctx, `材料 ${material.id} 的 file_name`).trim(), material.id)}.docx`;
}

/** Where a material's template is read from: the override folder first, then the shipped one. */
export function templatePath(program: Program, material: Material, templatesDir?: string): string {
  if (templatesDir) {
    const custom = join(templatesDir, material.template);
    if (existsSync(custom)) return custom;
  }
  return join(shippedTemplatesDir(), program.id, material.template);
}

/** Every material of the round (or the `only` ones) as DOCX bytes, with all diagnostics. */
export function renderDocuments(options: RenderDocumentsOptions): RenderDocumentsResult {
  const { program, templatesDir, only } = options;
  const diagnostics: Diagnostic[] = [];
  if (only) {
    for (const id of only) {
      if (!program.materials.some((m) => m.id === id)) {
        diagnostics.push({
          severity: 'error',
          code: 'docx.unknown-material',
          message: `申报批次 ${program.id} 没有材料 ${id}（可选：${program.materials.map((m) => m.id).join('、')}）`,
          received: id,
        });
      }
    }
  }
  if (templatesDir && !existsSync(templatesDir)) {
    diagnostics.push({ severity: 'error', code: 'docx.templates-dir', message: `模板目录不存在：${templatesDir}`, file: templatesDir });
    return { files: [], diagnostics };
  }
  const built = buildViewModels(options);
  diagnostics.push(...built.diagnostics);
  const files: RenderedFile[] = [];
  for (const material of program.materials) {
    if (only && !only.includes(material.id)) continue;
    const docId = docIdOfTemplate(material.id) ?? docIdOfTemplate(material.template);
    if (!docId) {
      diagnostics.push({
        severity: 'error',
        code: 'docx.unknown-document',
        message: `材料 ${material.id}（${material.name}）没有对应的文档模型，无法生成`,
        received: material.template,
      });
      continue;
    }
    const path = templatePath(program, material, templatesDir);
    if (!existsSync(path)) {
      diagnostics.push({ severity: 'error', code: 'docx.template-missing', message: `找不到模板文件 ${path}`, file: path });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readTemplateBytes(path);
    } catch (err) {
      diagnostics.push(templateReadError(path, err));
      continue;
    }
    // A customised template's misspelt tag would print a blank in every document, a raw-XML tag
    // would place data as markup: refuse them, as lint does.
    if (path !== join(shippedTemplatesDir(), program.id, material.template)) {
      const unknown = lintTemplate(bytes, docId, path).filter((d) => REFUSED_AT_RENDER.has(d.code));
      if (unknown.length) {
        diagnostics.push(...unknown);
        continue;
      }
    }
    const model = built.models[docId];
    const result = renderTemplate(bytes, model, path, {
      // A wrapped title's line breaks are layout, not part of its name.
      title: typeof model.title === 'string' && model.title ? model.title.replace(/\s*\n\s*/g, '') : material.name,
      author: options.applicant.applicant.name,
      date: options.applicant.letter.date,
    });
    diagnostics.push(...result.diagnostics);
    if (result.bytes) files.push({ materialId: material.id, fileName: materialFileName(material, options), bytes: result.bytes });
  }
  return { files, diagnostics };
}

/**
 * A template file rendered for the package and batch stages (cover, checklist, summary, 推荐函):
 * the diagnostics go to the caller's list, and a template that cannot render stops the caller.
 */
export function renderTemplateFile(file: string, model: ViewModel, properties: DocumentProperties, diagnostics: Diagnostic[]): Buffer {
  let bytes: Buffer;
  try {
    bytes = readTemplateBytes(file);
  } catch (err) {
    diagnostics.push(templateReadError(file, err));
    throw new UserError(diagnostics, 1);
  }
  const r = renderTemplate(bytes, model, file, properties);
  diagnostics.push(...r.diagnostics);
  if (!r.bytes || r.diagnostics.some((d) => d.severity === 'error')) throw new UserError(diagnostics, 1);
  return r.bytes;
}

/** Lint findings that stop a customised template at render too, not only in `templates lint`. */
const REFUSED_AT_RENDER = new Set(['lint.unknown-tag', 'lint.raw-xml', 'lint.loop-depth']);

/** A template's bytes: a regular file within the size limit (a FIFO or a device named *.docx is never read). */
export function readTemplateBytes(file: string): Buffer {
  return readRegularFileSync(file, TEMPLATE_LIMITS.fileBytes);
}

export function templateReadError(file: string, err: unknown): Diagnostic {
  if (err instanceof ReadRefused && err.reason === 'too-large') return limitDiagnostic(file, `文件大小超过 ${TEMPLATE_LIMITS.fileBytes / 1024 / 1024} MB 上限`);
  return { severity: 'error', code: 'docx.template-read', message: `无法读取模板 ${file}：${(err as Error).message}`, file };
}
