import type { FieldSpec } from '../../src/model/fields.js';

/** Problems of a view model against its field description (fields.ts): what lint relies on. */
export function checkShape(value: Record<string, unknown>, fields: Record<string, FieldSpec>, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(value)) if (!fields[key]) problems.push(`${where}.${key} not described`);
  for (const [key, spec] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) {
      problems.push(`${where}.${key} missing`);
      continue;
    }
    if (spec.type === 'text' && typeof v !== 'string') problems.push(`${where}.${key} not text`);
    if (spec.type === 'bool' && typeof v !== 'boolean') problems.push(`${where}.${key} not bool`);
    if (spec.type === 'list') {
      if (!Array.isArray(v)) problems.push(`${where}.${key} not a list`);
      else
        v.forEach((item, i) => {
          if (spec.fields) problems.push(...checkShape(item as Record<string, unknown>, spec.fields, `${where}.${key}[${i}]`));
          else if (typeof item !== 'string') problems.push(`${where}.${key}[${i}] not text`);
        });
    }
  }
  return problems;
}
