/**
 * Line breaks of a document title (GB/T 9704 7.3.1): a title longer than one line wraps between
 * words, never leaves one or two characters on a line, and its lines form a trapezoid or a
 * diamond. The breaks are decided here and written into the DOCX as explicit line breaks, so
 * Word, WPS, LibreOffice and our PDF engine all show the same lines whatever their own line
 * breaker would do.
 */
import { hanziWidth } from './layout.js';

/** 2号 (22 pt) 小标宋 condensed by 0.25 pt on the 156 mm line: 20 whole Hanzi fit. */
export const TITLE_LINE_HANZI = 20;
/** The landscape type area (225 mm): 29 Hanzi of 2号. */
export const TITLE_LINE_HANZI_LANDSCAPE = 29;

/** Shortest line a wrapped title may have, in Hanzi (7.3.1: never one or two characters). */
const MIN_LINE = 3;

/** Characters that never start a line: they stay with the word before them. */
const NO_LINE_START = /^[、，。：；！？”’）〕】》〉·的之]/u;
/** Characters that never end a line: they stay with the word after them. */
const NO_LINE_END = /[“‘（〔【《〈]$/u;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The title as pieces that must not be split: the segmenter's words, merged so that no break
 * falls inside a kept term (知识产权, 示范园区, 管理委员会 … and the applicant's own names), a
 * number with what follows it, or before a closing / after an opening mark.
 */
export function titleWords(title: string, terms: readonly string[]): string[] {
  // Character offsets where a break is allowed.
  const allowed = new Set<number>();
  let offset = 0;
  for (const s of segmenter.segment(title)) {
    if (offset > 0) allowed.add(offset);
    offset += s.segment.length;
  }
  // Longest terms first does not matter: every occurrence of every term forbids its inner offsets.
  for (const term of terms) {
    if (term.length < 2) continue;
    for (let at = title.indexOf(term); at >= 0; at = title.indexOf(term, at + 1)) {
      for (let k = at + 1; k < at + term.length; k++) allowed.delete(k);
    }
  }
  const words: string[] = [];
  let start = 0;
  for (let k = 1; k <= title.length; k++) {
    if (k < title.length && !allowed.has(k)) continue;
    const word = title.slice(start, k);
    const last = words[words.length - 1];
    // 2022|年 and 示范园区|的 and 、|园区 stay together; so do 《|名称.
    if (last !== undefined && (NO_LINE_START.test(word) || NO_LINE_END.test(last) || (/\d$/.test(last) && /^[\d年月日号%]/u.test(word)))) {
      words[words.length - 1] = last + word;
    } else {
      words.push(word);
    }
    start = k;
  }
  return words;
}

interface Candidate {
  lines: string[];
  cost: number;
}

/**
 * How far a set of line widths is from a trapezoid or a diamond: 0 when the widths only grow,
 * only shrink, or grow then shrink with one peak; otherwise the size of each step against the
 * shape.
 */
function shapePenalty(widths: number[]): number {
  const peak = widths.indexOf(Math.max(...widths));
  const down = widths.slice(1).reduce((s, w, i) => s + Math.max(0, w - widths[i]!), 0);
  const up = widths.slice(1).reduce((s, w, i) => s + Math.max(0, widths[i]! - w), 0);
  let diamond = 0;
  for (let i = 1; i < widths.length; i++) diamond += i <= peak ? Math.max(0, widths[i - 1]! - widths[i]!) : Math.max(0, widths[i]! - widths[i - 1]!);
  return Math.min(down, up, diamond);
}

function cost(lines: string[]): number {
  const widths = lines.map(hanziWidth);
  const max = Math.max(...widths);
  const min = Math.min(...widths);
  // Balance first, then the shape; a line starting with a particle or a mark reads badly.
  return (max - min) * 10 + shapePenalty(widths) * 20 + (widths[0]! < widths[widths.length - 1]! ? 1 : 0);
}

/**
 * Every way to cut `words` into `n` lines of at most `max` and at least MIN_LINE Hanzi, with
 * the best one kept. Titles have a few dozen words at most and two to four lines, so trying all
 * cuts is cheap and finds the true best.
 */
function bestCut(words: string[], n: number, max: number): Candidate | undefined {
  let best: Candidate | undefined;
  const widths = words.map(hanziWidth);
  const cut = (from: number, left: number, lines: string[]): void => {
    if (left === 1) {
      const w = widths.slice(from).reduce((a, b) => a + b, 0);
      if (w > max || w < MIN_LINE) return;
      const all = [...lines, words.slice(from).join('')];
      const c = cost(all);
      if (!best || c < best.cost) best = { lines: all, cost: c };
      return;
    }
    let w = 0;
    for (let to = from + 1; to <= words.length - (left - 1); to++) {
      w += widths[to - 1]!;
      if (w > max) break;
      if (w < MIN_LINE) continue;
      cut(to, left - 1, [...lines, words.slice(from, to).join('')]);
    }
  };
  cut(0, n, []);
  return best;
}

const MAX_SEARCH_LINES = 4;
const MAX_SEARCH_WORDS = 40;

/** Lines of about equal width, cut at the first word boundary past each share. */
function greedyCut(words: string[], n: number, max: number): string[] {
  const target = words.reduce((w, x) => w + hanziWidth(x), 0) / n;
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && (hanziWidth(line + word) > max || hanziWidth(line) >= target)) {
      lines.push(line);
      line = '';
    }
    line += word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The title's lines, joined by "\n" (docxtemplater writes each as a line break). A title that
 * fits one line comes back unchanged; one that cannot be cut at word boundaries within the
 * rules is cut at the best boundary that respects the line width, and failing that left whole
 * for the renderer to wrap.
 */
export function breakTitle(title: string, terms: readonly string[], max = TITLE_LINE_HANZI): string {
  const flat = title.replace(/\s*\n\s*/g, '');
  if (hanziWidth(flat) <= max) return flat;
  const words = titleWords(flat, terms);
  const fewest = Math.ceil(hanziWidth(flat) / max);
  // A real title has two to four lines; anything longer (pasted prose) is cut greedily rather
  // than by trying every combination, which grows too fast.
  if (fewest > MAX_SEARCH_LINES || words.length > MAX_SEARCH_WORDS) return greedyCut(words, fewest, max).join('\n');
  for (let n = fewest; n <= Math.min(words.length, fewest + 2, MAX_SEARCH_LINES); n++) {
    const best = bestCut(words, n, max);
    if (best) return best.lines.join('\n');
  }
  return flat;
}

/**
 * A title the user broke by hand (the data's `layout.titles`): used as given when its lines
 * spell exactly the generated title, so a forced break can never change the wording.
 */
export function forcedTitle(title: string, lines: readonly string[] | undefined): string | undefined {
  if (!lines || lines.length === 0) return undefined;
  return lines.join('') === title.replace(/\s*\n\s*/g, '') ? lines.join('\n') : undefined;
}
