import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Docxtemplater from 'docxtemplater';
import PizZip from '../common/pizzip.js';
import type { Diagnostic } from '../common/diagnostics.js';
import { COMMON_DOC_IDS, DOC_FIELDS, docIdOfTemplate, viewModelFields, type CommonDocId, type DocId, type FieldSpec } from '../model/fields.js';
import type { Program } from '../program/schema.js';
import { FILTER_NAMES, makeParser } from './filters.js';
import { checkTemplateFile, readTemplateBytes, shippedTemplatesDir, templateErrors, templateReadError } from './render.js';
import { loopDepth, TEMPLATE_LIMITS } from './limits.js';

interface TagPart {
  type: string;
  value: string;
  module?: string;
  inverted?: boolean;
  subparsed?: TagPart[];
}

/** Collects docxtemplater's parsed tag tree per XML part (what its InspectModule does, without lodash). */
class CollectModule {
  readonly name = 'CollectModule';
  readonly parts = new Map<string, TagPart[]>();
  private file = '';
  set(obj: { inspect?: { filePath?: string; postparsed?: TagPart[] } }): void {
    if (!obj.inspect) return;
    if (obj.inspect.filePath) this.file = obj.inspect.filePath;
    if (obj.inspect.postparsed) this.parts.set(this.file, obj.inspect.postparsed);
  }
}

/** The tag tree of a template, or docxtemplater's errors. */
export function templateTags(bytes: Buffer, templateName: string): { parts: TagPart[]; diagnostics: Diagnostic[] } {
  const invalid = checkTemplateFile(bytes, templateName);
  if (invalid) return { parts: [], diagnostics: [invalid] };
  const collect = new CollectModule();
  try {
    new Docxtemplater(new PizZip(bytes), { paragraphLoop: true, linebreaks: true, errorLogging: false, parser: makeParser(), modules: [collect as never] });
  } catch (e) {
    return { parts: [], diagnostics: templateErrors(e, templateName) };
  }
  const parts: TagPart[] = [];
  for (const p of collect.parts.values()) parts.push(...structured(p));
  return { parts, diagnostics: [] };
}

function structured(parts: TagPart[]): TagPart[] {
  return parts
    .filter((p) => p.type === 'placeholder')
    .map((p) => (p.subparsed ? { ...p, subparsed: structured(p.subparsed) } : p));
}

type Scope = { fields?: Record<string, FieldSpec>; item: 'object' | 'string' | 'none' };

/** Identifiers of an expression, nested by member access: a.b → {a:{b:{}}}; filters excluded. */
function identifiers(expr: string): Record<string, object> {
  try {
    const parsed = makeParser()(expr) as unknown as { getObjectIdentifiers(): Record<string, object> };
    return parsed.getObjectIdentifiers();
  } catch {
    return {};
  }
}

function resolve(name: string, member: Record<string, object>, scopes: Scope[]): FieldSpec | 'this' | undefined {
  if (name === 'this' || name === '$index') return 'this';
  for (let i = scopes.length - 1; i >= 0; i--) {
    const f = scopes[i]!.fields?.[name];
    if (f) {
      // a.b: b must be a field of a's item.
      for (const [sub, deeper] of Object.entries(member)) {
        const inner = f.fields?.[sub];
        if (!inner) return undefined;
        void deeper;
      }
      return f;
    }
  }
  return undefined;
}

interface LintContext {
  template: string;
  used: Set<string>;
  diagnostics: Diagnostic[];
}

function walk(parts: TagPart[], scopes: Scope[], path: string[], ctx: LintContext): void {
  for (const part of parts) {
    if (part.module === 'rawxml') {
      ctx.diagnostics.push({
        severity: 'error',
        code: 'lint.raw-xml',
        message: `模板 ${ctx.template} 中的标签 {@${part.value}} 会把数据当作 Word 内部格式插入，不支持；请改为 {${part.value}}`,
        file: ctx.template,
        received: part.value,
      });
      continue;
    }
    const ids = identifiers(part.value);
    let loopSpec: FieldSpec | undefined;
    for (const [name, member] of Object.entries(ids)) {
      if (FILTER_NAMES.includes(name) && part.value.includes('|')) continue;
      const found = resolve(name, member as Record<string, object>, scopes);
      if (!found) {
        ctx.diagnostics.push({
          severity: 'error',
          code: 'lint.unknown-tag',
          message: `模板 ${ctx.template} 中的标签 {${part.module === 'loop' ? (part.inverted ? '^' : '#') : ''}${part.value}} 在文档数据中找不到字段 ${name}${path.length ? `（位于 ${path.join(' › ')} 之内）` : ''}`,
          file: ctx.template,
          received: part.value,
        });
        continue;
      }
      if (found !== 'this') {
        // Record where the field lives, so required fields can be checked by path.
        let owner = scopes.length - 1;
        while (owner > 0 && scopes[owner]!.fields?.[name] !== found) owner--;
        ctx.used.add([...path.slice(0, owner), name].join('.'));
        if (part.module === 'loop' && Object.keys(ids).length === 1) loopSpec = found;
      }
    }
    if (part.subparsed) {
      let inner: Scope;
      if (loopSpec?.type === 'list' && !part.inverted) inner = loopSpec.fields ? { fields: loopSpec.fields, item: 'object' } : { item: 'string' };
      else inner = { item: 'none' };
      const name = Object.keys(ids)[0] ?? part.value;
      walk(part.subparsed, inner.item === 'none' ? scopes : [...scopes, inner], inner.item === 'none' ? path : [...path, name], ctx);
    }
  }
}

/** Required fields (top level and inside lists) as dotted paths. */
function requiredPaths(fields: Record<string, FieldSpec>, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.required) out.push([...prefix, name].join('.'));
  }
  return out;
}

/** Lint one template file against a document's view-model fields (a round material or a common document). */
export function lintTemplate(bytes: Buffer, docId: DocId | CommonDocId, templateName: string): Diagnostic[] {
  const fields = viewModelFields(docId) ?? DOC_FIELDS[docId as DocId];
  const { parts, diagnostics } = templateTags(bytes, templateName);
  if (diagnostics.length > 0) return diagnostics;
  const ctx: LintContext = { template: templateName, used: new Set(), diagnostics: [] };
  const deep = loopDepth(parts);
  if (deep.depth > TEMPLATE_LIMITS.loopDepth) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'lint.loop-depth',
      message: `模板 ${templateName} 中的循环嵌套了 ${deep.depth} 层（{#${deep.tag}} 处），超过 ${TEMPLATE_LIMITS.loopDepth} 层的上限；每多一层，生成的内容就成倍增加`,
      file: templateName,
      received: deep.tag,
    });
  }
  walk(parts, [{ fields, item: 'object' }], [], ctx);
  for (const req of requiredPaths(fields)) {
    if (!ctx.used.has(req)) {
      ctx.diagnostics.push({
        severity: 'error',
        code: 'lint.unused-required',
        message: `模板 ${templateName} 没有使用必需字段 {${req}}（${fields[req]?.label ?? req}），生成的文件会缺少这项内容`,
        file: templateName,
        received: req,
      });
    }
  }
  return ctx.diagnostics;
}

/** lintTemplate on a file; one that cannot be read (a folder named like a template) is reported, not thrown. */
function lintFile(file: string, docId: DocId | CommonDocId): Diagnostic[] {
  let bytes: Buffer;
  try {
    bytes = readTemplateBytes(file);
  } catch (err) {
    const d = templateReadError(file, err);
    return [{ ...d, code: d.code === 'docx.template-read' ? 'lint.template-read' : d.code }];
  }
  return lintTemplate(bytes, docId, file);
}

/**
 * `shenbao templates lint [DIR]`: every template of the round in DIR (default: the shipped
 * templates/<round>/) — each tag resolves to a view-model field, loops included, and every
 * required field is used. A DIR of customised copies may hold only some templates.
 */
export function lintTemplates(dir: string | undefined, program: Program): Diagnostic[] {
  const root = dir ?? join(shippedTemplatesDir(), program.id);
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(root)) {
    return [{ severity: 'error', code: 'lint.dir', message: `模板目录不存在：${root}`, file: root }];
  }
  const known = new Set(program.materials.map((m) => m.template));
  for (const material of program.materials) {
    const file = join(root, material.template);
    if (!existsSync(file)) {
      diagnostics.push({
        severity: dir ? 'warning' : 'error',
        code: 'lint.template-missing',
        message: dir ? `目录中没有 ${material.template}，将使用内置模板` : `缺少内置模板 ${file}`,
        file,
      });
      continue;
    }
    const docId = docIdOfTemplate(material.id) ?? docIdOfTemplate(material.template);
    if (!docId) {
      diagnostics.push({ severity: 'error', code: 'lint.unknown-document', message: `材料 ${material.id} 没有对应的文档模型`, file });
      continue;
    }
    diagnostics.push(...lintFile(file, docId));
  }
  for (const name of readdirSync(root).sort()) {
    if (name.endsWith('.docx') && !name.startsWith('~$') && !known.has(name)) {
      diagnostics.push({
        severity: 'warning',
        code: 'lint.extra-template',
        message: `模板 ${name} 不属于申报批次 ${program.id} 的任何材料，不会被使用`,
        file: join(root, name),
      });
    }
  }
  return diagnostics;
}

/** templates/common/ (or a folder of customised copies): the package and batch documents. */
export function commonTemplatesDir(): string {
  return join(shippedTemplatesDir(), 'common');
}

/**
 * Lint the round-independent templates (cover, checklist, summary) in DIR (default: the shipped
 * templates/common/). As for a round, a DIR of customised copies may hold only some of them.
 */
export function lintCommonTemplates(dir?: string): Diagnostic[] {
  const root = dir ?? commonTemplatesDir();
  if (!existsSync(root)) return [{ severity: 'error', code: 'lint.dir', message: `模板目录不存在：${root}`, file: root }];
  const diagnostics: Diagnostic[] = [];
  for (const id of COMMON_DOC_IDS) {
    const file = join(root, `${id}.docx`);
    if (!existsSync(file)) {
      diagnostics.push({
        severity: dir ? 'warning' : 'error',
        code: 'lint.template-missing',
        message: dir ? `目录中没有 ${id}.docx，将使用内置模板` : `缺少内置模板 ${file}`,
        file,
      });
      continue;
    }
    diagnostics.push(...lintFile(file, id));
  }
  return diagnostics;
}
