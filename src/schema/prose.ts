/**
 * Long prose is written as YAML block scalars (`|`), where every visual line ends in a newline.
 * A blank line starts a paragraph; a single newline is only the editor's wrap, so it is
 * dropped between Hanzi (Chinese has no inter-word space) and kept as a space between Latin
 * words.
 */
const LATIN_END = /[A-Za-z0-9,.;:!?%)\]]$/;
const LATIN_START = /^[A-Za-z0-9(\[]/;

export function joinWrappedLines(lines: string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out && LATIN_END.test(out) && LATIN_START.test(line)) out += ' ';
    out += line;
  }
  return out;
}

export function toParagraphs(value: string | string[]): string[] {
  const blocks = Array.isArray(value) ? value : [value];
  const paragraphs: string[] = [];
  for (const block of blocks) {
    for (const chunk of block.replace(/\r\n?/g, '\n').split(/\n[ \t\u3000]*\n/)) {
      const text = joinWrappedLines(chunk.split('\n'));
      if (text) paragraphs.push(text);
    }
  }
  return paragraphs;
}
