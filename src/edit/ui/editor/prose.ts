/**
 * Long text in a text box: paragraphs separated by a blank line, as in the YAML `|` block the
 * file uses, or as a list of paragraphs when the file wrote it that way.
 */

/** Paragraphs as one text: a blank line between them, as in a YAML `|` block. */
export function proseText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join('\n\n');
  if (typeof v === 'string') return v.replace(/\n$/, '');
  return v === undefined || v === null ? '' : String(v);
}

/** Back to the data's own form: a list stays a list of paragraphs, a block keeps its final newline. */
export function proseValue(text: string, before: unknown): unknown {
  if (Array.isArray(before)) return text.split(/\n[ \t]*\n+/).map((p) => p.trim()).filter(Boolean);
  if (text === '') return text;
  return typeof before === 'string' && !before.endsWith('\n') ? text : `${text}\n`;
}
