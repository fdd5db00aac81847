import Handlebars from 'handlebars';
import { UserError } from '../common/diagnostics.js';

/**
 * Round wording (condition statements, titles, file names) is handlebars in the round file.
 * Escaping is off because the output is text, not HTML: the DOCX writer escapes XML itself.
 * Strict mode turns a misspelt field into an error instead of a silent blank in a letter.
 */
const hb = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

export function renderText(template: string, context: Record<string, unknown>, where: string, options: { strict?: boolean } = {}): string {
  const strict = options.strict ?? true;
  const key = `${strict ? 's' : 'l'}:${template}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = hb.compile(template, { noEscape: true, strict });
    cache.set(key, fn);
  }
  try {
    return fn(context);
  } catch (err) {
    const field = /"([^"]+)" not defined/.exec((err as Error).message)?.[1];
    throw new UserError([
      {
        severity: 'error',
        code: 'program.text',
        message: field
          ? `${where} 的文字模板引用了不存在的字段 {{${field}}}；可用字段：${Object.keys(context).join('、')}`
          : `${where} 的文字模板有误：${(err as Error).message.split('\n')[0]}`,
      },
    ]);
  }
}
