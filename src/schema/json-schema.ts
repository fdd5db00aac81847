import { z } from 'zod';
import { applicantSchema } from './applicant.js';

/** JSON Schema of the file as typed (input side of the transforms), for editors' completion. */
export function applicantJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(applicantSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  // Split files may carry `include:`; the loader removes it before validation.
  const props = schema.properties as Record<string, unknown>;
  props.include = { title: '引用文件', description: '把申报数据拆分到多个文件时，列出其余文件（相对路径）', type: 'array', items: { type: 'string' } };
  return { ...schema, title: 'shenbao 申报数据文件' };
}
