/**
 * One paragraph → lines: measure every character in the face that will draw it, group them into
 * unbreakable clusters, break greedily at the last allowed opportunity (避头尾, Latin words,
 * —— and ……), hang a closing mark past the margin when w:overflowPunct allows, then justify.
 * Positions are points from the left edge of the paragraph's box (the text area or a cell).
 */
import type { Paragraph, TabStop } from '../docx/model.js';
import type { FontSet } from '../fonts/face.js';
import { isEastAsian } from '../fonts/face.js';
import { HANGABLE, NO_END, NO_START, PAIRED, isLatinAlnum, isWordChar } from './breaking.js';
import type { Glyph, Line } from './types.js';

export interface ParagraphContext {
  fonts: FontSet;
  /** Width of the box the paragraph sits in. */
  width: number;
  defaultTab: number;
  /** docGrid line pitch when lines snap to it (body text with w:docGrid type lines), else 0. */
  gridPitch: number;
  /** Value of PAGE / NUMPAGES fields. */
  field?: (f: 'PAGE' | 'NUMPAGES') => string;
  where: (offset: number) => string;
  /** Inside a table cell: LibreOffice never hangs punctuation there (SwTextGuess: !IsInTab()). */
  inTable?: boolean;
}

/**
 * Space between Hanzi and Latin letters or digits, as LibreOffice sets it (SwKernPortion in
 * sw/source/core/text/itrform2.cxx): a fifth of the preceding run's font size, only where both
 * neighbours are letters or digits (not next to punctuation), never at the start of a line.
 * Measured: LibreOffice 7 puts it there even under w:autoSpaceDE/DN=0 (our templates), so, to
 * break lines where LibreOffice does, the engine follows it; Word honours the 0.
 */
const LO_AUTOSPACE = true;
const AUTOSPACE_RATIO = 1 / 5;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** LETTER_OR_DIGIT for one character, with the common answers (ASCII, Hanzi) without the regex. */
function letterOrDigit(cp: number, ch: string): boolean {
  if (cp < 0x80) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  if (cp >= 0x4e00 && cp <= 0x9fff) return true;
  return LETTER_OR_DIGIT.test(ch);
}
const isDigit = (c: string): boolean => c.length === 1 && c.charCodeAt(0) >= 48 && c.charCodeAt(0) <= 57;

type Atom =
  | { kind: 'glyph'; g: Glyph; gapBefore: number; spacing: number; joinPrev?: boolean; runEnd?: boolean }
  /** U+200B ZERO WIDTH SPACE: a break opportunity that draws nothing. */
  | { kind: 'zwsp' }
  | { kind: 'tab'; g: Glyph }
  | { kind: 'break'; page: boolean };

interface Cluster {
  atoms: Atom[];
  width: number;
  first: string;
  last: string;
  space: boolean;
  tab: boolean;
  brk?: { page: boolean };
  /** A tab's advance and stop, fixed when the line breaker places it. */
  tabWidth?: number;
  tabStop?: TabStop;
}

function atomsOf(p: Paragraph, ctx: ParagraphContext): Atom[] {
  const atoms: Atom[] = [];
  let offset = 0;
  let prev: string | undefined;
  let prevSize = 0;
  let prevLD = false;
  const { autoSpaceDE, autoSpaceDN } = p.props;
  let glueNext = false;
  const beforeJoiner = new Set<number>();
  // Glyphs and plain atoms are shared by every occurrence of a character in a run style: a
  // paragraph of millions of characters holds pointers, not millions of objects.
  const styles = new Map<string, Map<number, Glyph>>();
  const glyphCache = (rp: Paragraph['props']['markRun']): Map<number, Glyph> => {
    const key = `${rp.latinFont}\u0000${rp.eastAsiaFont}\u0000${rp.size}\u0000${rp.color}\u0000${rp.bold}\u0000${rp.charSpacing}\u0000${rp.eastAsiaLang ?? ''}`;
    let m = styles.get(key);
    if (!m) styles.set(key, (m = new Map()));
    return m;
  };
  const plain = new Map<Glyph, Atom>();
  const atomOf = (g: Glyph, gapBefore: number, spacing: number, joinPrev: boolean): Atom => {
    if (gapBefore !== 0 || joinPrev) return { kind: 'glyph', g, gapBefore, spacing, joinPrev: joinPrev || undefined };
    let a = plain.get(g);
    if (!a) plain.set(g, (a = { kind: 'glyph', g, gapBefore: 0, spacing }));
    return a;
  };
  const narrower = new Map<Glyph, Glyph>();
  for (const inl of p.inlines) {
    if (inl.kind === 'break') {
      atoms.push({ kind: 'break', page: inl.type === 'page' });
      prev = undefined;
      continue;
    }
    const rp = inl.props;
    const text = inl.kind === 'text' ? inl.text : inl.kind === 'field' ? (ctx.field?.(inl.field) ?? '1') : '\t';
    // Once per run, not per character: its key is a string built from seven properties.
    const cache = glyphCache(rp);
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const at = offset;
      offset += ch.length;
      if (ch === '\t' || inl.kind === 'tab') {
        atoms.push({ kind: 'tab', g: { ch: '\t', cp: 9, size: rp.size, color: rp.color, width: 0, bold: rp.bold } });
        prev = undefined;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        atoms.push({ kind: 'break', page: false });
        continue;
      }
      if (isIgnorable(cp)) {
        // Drawn as nothing, never measured (fonts lack them; fontkit fails on some). A word
        // joiner glues its neighbours into one unbreakable cluster, as in Word and LibreOffice.
        if (cp === 0x200b) atoms.push({ kind: 'zwsp' });
        else if (cp === 0x2060 || cp === 0xfeff) {
          glueNext = true;
          // and ends the text portion of the character before it (its spacing is not applied):
          // measured, "万⁠元" is 0.25 pt wider than "万元" condensed by 0.25 pt.
          if (atoms.length) beforeJoiner.add(atoms.length - 1);
          // LibreOffice puts the Hanzi–Latin space only where the characters on both sides are
          // letters or digits; the joiner is the character before "名" in "6⁠名", so none there.
          // Measured on its PDF: "6⁠名" is 3.2 pt narrower than "6名".
          prevLD = false;
        }
        continue;
      }
      const face = ctx.fonts.pick(cp, rp.latinFont, rp.eastAsiaFont, ctx.where, at);
      let adv = face ? face.advance(cp) * rp.size : rp.size;
      // A dash (一字线, half of a 破折号) takes a full Hanzi cell (GB/T 15834), as in the official
      // faces and in LibreOffice; the stand-in Noto CJK faces draw U+2014 0.89 em wide. The glyph
      // is centred in the cell (and the two halves of —— meet, below).
      let inset: number | undefined;
      if ((cp === 0x2014 || cp === 0x2015) && adv < rp.size) {
        inset = (rp.size - adv) / 2;
        adv = rp.size;
      }
      face?.used.add(cp);
      // A quarter em between Hanzi and Latin letters / digits. Measured: LibreOffice 7 puts it
      // there even under w:autoSpaceDE/DN=0 (our templates), so, to break lines where LibreOffice
      // does, the engine follows it (LO_AUTOSPACE); Word honours the 0. See the report on issue 4.
      let gapBefore = 0;
      const ld = letterOrDigit(cp, ch);
      if (prev !== undefined && prevLD && ld) {
        const eaA = isEastAsian(prev.codePointAt(0)!);
        const eaB = isEastAsian(cp);
        const on = isDigit(prev) || isDigit(ch) ? autoSpaceDN : autoSpaceDE;
        if (eaA !== eaB && (on || LO_AUTOSPACE)) gapBefore = prevSize * AUTOSPACE_RATIO;
      }
      prevLD = ld;
      let g: Glyph | undefined;
      if (inl.kind === 'field') g = { ch, cp, face, size: rp.size, color: rp.color, width: adv + rp.charSpacing, bold: rp.bold, field: inl.field };
      else {
        g = cache.get(cp);
        if (!g) cache.set(cp, (g = { ch, cp, face, size: rp.size, color: rp.color, width: adv + rp.charSpacing, bold: rp.bold, lang: rp.eastAsiaLang, inset }));
      }
      atoms.push(atomOf(g, gapBefore, rp.charSpacing, glueNext));
      prev = ch;
      prevSize = rp.size;
      glueNext = false;
    }
  }
  // The halves of —— meet: the first drawn flush right in its cell, the second flush left.
  for (let i = 1; i < atoms.length; i++) {
    const a = atoms[i - 1]!;
    const b = atoms[i]!;
    if (a.kind !== 'glyph' || b.kind !== 'glyph' || !a.g.inset || a.g.ch !== b.g.ch) continue;
    atoms[i - 1] = { ...a, g: { ...a.g, inset: a.g.inset * 2 } };
    atoms[i] = { ...b, g: { ...b.g, inset: 0 } };
    i++;
  }
  // LibreOffice adds the character spacing (w:spacing) after every character of a text portion
  // but the last: a portion ends where the face, size, spacing or language changes, and at tabs
  // and breaks.
  // Measured on its PDF: "训|2000" and "1,850.00|万元" are 0.25 pt wider than 5 condensed glyphs.
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    if (a.kind !== 'glyph' || a.g.width === 0) continue;
    const n = atoms[i + 1];
    const sameRun = n?.kind === 'glyph' && n.g.face === a.g.face && n.g.size === a.g.size && n.spacing === a.spacing && n.g.lang === a.g.lang && !beforeJoiner.has(i);
    if (!sameRun && a.spacing !== 0) {
      let g = narrower.get(a.g);
      if (!g) narrower.set(a.g, (g = { ...a.g, width: a.g.width - a.spacing }));
      atoms[i] = { kind: 'glyph', g, gapBefore: a.gapBefore, spacing: a.spacing, joinPrev: a.joinPrev, runEnd: true };
    }
  }
  return atoms;
}

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
/** Characters drawn as nothing: Unicode's default-ignorables (ZWSP, ZWJ, bidi controls, variation selectors …) and U+FFFC. */
export function isIgnorable(cp: number): boolean {
  if (cp < 0xad) return false;
  // None between U+2070 and U+FDFF but the Hangul filler: Hanzi and CJK punctuation skip the regex.
  if (cp >= 0x2070 && cp < 0xfe00 && cp !== 0x3164) return false;
  return cp === 0xfffc || DEFAULT_IGNORABLE.test(String.fromCodePoint(cp));
}

const NUMBER_COMMA = new Set([...'、，；：〕）】》」』)]']);
const NUMBER_END = /[0-9%‰℃]/;

function clustersOf(atoms: Atom[]): Cluster[] {
  const out: Cluster[] = [];
  let cur: Cluster | undefined;
  const flush = (): void => {
    if (cur) out.push(cur);
    cur = undefined;
  };
  for (const a of atoms) {
    if (a.kind === 'break') {
      flush();
      out.push({ atoms: [a], width: 0, first: '', last: '', space: false, tab: false, brk: { page: a.page } });
      continue;
    }
    if (a.kind === 'tab') {
      flush();
      out.push({ atoms: [a], width: 0, first: '\t', last: '\t', space: false, tab: true });
      continue;
    }
    if (a.kind === 'zwsp') {
      flush();
      out.push({ atoms: [], width: 0, first: ' ', last: ' ', space: true, tab: false });
      continue;
    }
    const ch = a.g.ch;
    const w = a.g.width + a.gapBefore;
    if (ch === ' ') {
      flush();
      out.push({ atoms: [a], width: w, first: ' ', last: ' ', space: true, tab: false });
      continue;
    }
    // A hyphen inside a Latin word or number ends a cluster: LibreOffice breaks "021-|64872222".
    const afterHyphen = cur !== undefined && cur.last === '-' && cur.atoms.length > 1;
    // A number, its unit mark and the comma or bracket after it hold on to the next number:
    // LibreOffice never breaks "0.080%、|0.083%" or "〔2020〕|5号" (but does break "核心、|12345678").
    // Measured with LibreOffice 7.4.
    const prevCh = cur && cur.atoms.length >= 2 ? (cur.atoms[cur.atoms.length - 2] as { g?: Glyph }).g?.ch : undefined;
    const numberList =
      cur !== undefined &&
      ((NUMBER_COMMA.has(ch) && NUMBER_END.test(cur.last)) || (/[0-9]/.test(ch) && NUMBER_COMMA.has(cur.last) && prevCh !== undefined && NUMBER_END.test(prevCh)));
    const joins =
      (cur !== undefined && a.joinPrev === true) ||
      cur !== undefined &&
      !afterHyphen &&
      (numberList || (isWordChar(ch) && isWordChar(cur.last)) || (PAIRED.has(ch) && cur.last === ch));
    if (joins) {
      cur!.atoms.push(a);
      cur!.width += w;
      cur!.last = ch;
    } else {
      flush();
      cur = { atoms: [a], width: w, first: ch, last: ch, space: false, tab: false };
    }
  }
  flush();
  return out;
}

/**
 * A mark hangs only in the text portion of the character before it (LibreOffice asks its break
 * iterator within one portion): "师范大学；" hangs, "0.05%。" does not; "0.05%" moves down with it.
 */
function samePortion(a: Cluster, b: Cluster): boolean {
  const last = a.atoms[a.atoms.length - 1];
  const first = b.atoms[0];
  return last?.kind === 'glyph' && first?.kind === 'glyph' && last.g.face === first.g.face && last.g.size === first.g.size;
}

function breakAllowed(a: Cluster, b: Cluster, kinsoku: boolean): boolean {
  if (b.space || a.space || a.tab || b.tab) return true;
  if (!kinsoku) return true;
  if (NO_START.has(b.first)) return false;
  if (NO_END.has(a.last)) return false;
  // A Latin word directly after a Latin word (separated by nothing) never breaks.
  if (isLatinAlnum(a.last) && isLatinAlnum(b.first)) return false;
  return true;
}

function nextStop(x: number, p: Paragraph, ctx: ParagraphContext): TabStop {
  const stops: TabStop[] = p.props.tabStops ? [...p.props.tabStops] : p.props.tabs.map((pos) => ({ pos, align: 'left', leader: 'none' }));
  const { indLeft } = p.props;
  // A hanging indent is an implicit tab stop (Word and LibreOffice).
  if (indLeft > 0) stops.push({ pos: indLeft, align: 'left', leader: 'none' });
  stops.sort((a, b) => a.pos - b.pos);
  for (const s of stops) if (s.pos > x + 0.01) return s;
  const d = ctx.defaultTab || 36;
  return { pos: (Math.floor(x / d + 1e-6) + 1) * d, align: 'left', leader: 'none' };
}

function nextTab(x: number, p: Paragraph, ctx: ParagraphContext): number {
  return nextStop(x, p, ctx).pos;
}

/**
 * The advance of a tab at x: to a left stop, or so that the text up to the next tab or the end of
 * the paragraph ends at a right stop, is centred on a centre stop, or has its decimal point at a
 * decimal stop. Text too wide for that leaves the tab no room (Word and LibreOffice).
 */
function tabAdvance(x: number, stop: TabStop, following: Cluster[]): number {
  if (stop.align === 'left') return Math.max(0, stop.pos - x);
  let w = 0;
  let beforePoint = -1;
  for (const c of following) {
    if (c.tab || c.brk) break;
    if (stop.align === 'decimal' && beforePoint < 0) {
      const k = c.atoms.findIndex((a) => a.kind === 'glyph' && (a.g.ch === '.' || a.g.ch === '．'));
      if (k >= 0) beforePoint = w + c.atoms.slice(0, k).reduce((s, a) => s + (a.kind === 'glyph' ? a.g.width + a.gapBefore : 0), 0);
    }
    w += c.width;
  }
  const span = stop.align === 'center' ? w / 2 : stop.align === 'decimal' && beforePoint >= 0 ? beforePoint : w;
  return Math.max(0, stop.pos - x - span);
}

const LEADER_CHAR: Record<Exclude<TabStop['leader'], 'none'>, string> = { dot: '.', hyphen: '-', underscore: '_', middleDot: '·', heavy: '_' };

/**
 * A tab leader: as many fill characters as fit in the tab's width, spread evenly across it
 * (LibreOffice's SwTabPortion::Paint draws width / charWidth of them, kerned to fill the portion).
 */
function leaderGlyphs(tab: Glyph, leader: Exclude<TabStop['leader'], 'none'>, from: number, to: number, p: Paragraph, ctx: ParagraphContext): { g: Glyph; x: number }[] {
  const ch = LEADER_CHAR[leader];
  const cp = ch.codePointAt(0)!;
  const run = p.inlines.find((i) => i.kind === 'tab')?.props ?? p.props.markRun;
  const face = ctx.fonts.pick(cp, run.latinFont, run.eastAsiaFont, ctx.where, 0);
  const adv = face ? face.advance(cp) * tab.size : 0;
  if (!face || adv <= 0) return [];
  face.used.add(cp);
  const n = Math.floor((to - from) / adv + 1e-6);
  if (n <= 0) return [];
  const pitch = (to - from) / n;
  const g: Glyph = { ch, cp, face, size: tab.size, color: tab.color, width: adv, bold: tab.bold };
  return Array.from({ length: n }, (_, k) => ({ g, x: from + k * pitch }));
}

export function firstLineIndent(p: Paragraph): number {
  const { firstLineChars, firstLine, markRun } = p.props;
  if (firstLineChars !== undefined && firstLineChars !== 0) return (firstLineChars / 100) * markRun.size;
  return firstLine;
}

export function layoutParagraph(p: Paragraph, ctx: ParagraphContext): Line[] {
  const props = p.props;
  const atoms = atomsOf(p, ctx);
  const clusters = clustersOf(atoms);
  const first = firstLineIndent(p);
  const left = props.indLeft;
  const right = ctx.width - props.indRight;
  const lines: Line[] = [];
  let lineClusters: Cluster[] = [];
  let lineStart = left + first;
  let x = lineStart;
  let forced: { page: boolean } | undefined;

  const finish = (items: Cluster[], start: number, last: boolean, brk?: { page: boolean }): void => {
    const glyphs: Glyph[] = [];
    const xs: number[] = [];
    /** Per glyph: it continues its cluster (the inside of a number or a Latin word). */
    const joined: boolean[] = [];
    /** Index of the first glyph after the last tab (justification leaves what precedes it alone). */
    let afterTab = 0;
    let cx = start;
    for (const c of items) {
      if (c.brk) continue;
      let inCluster = false;
      for (const a of c.atoms) {
        if (a.kind === 'tab') {
          const to = cx + (c.tabWidth ?? nextTab(cx, p, ctx) - cx);
          if (c.tabStop && c.tabStop.leader !== 'none')
            for (const l of leaderGlyphs(a.g, c.tabStop.leader, cx, to, p, ctx)) {
              glyphs.push(l.g);
              xs.push(l.x);
              joined.push(false);
            }
          cx = to;
          afterTab = glyphs.length;
          continue;
        }
        if (a.kind !== 'glyph') continue;
        // No Hanzi–Latin space at the start of a line (LibreOffice has no previous portion there).
        if (glyphs.length) cx += a.gapBefore;
        joined.push(inCluster);
        inCluster = true;
        xs.push(cx + (a.g.inset ?? 0));
        glyphs.push(a.g);
        cx += a.g.width;
      }
    }
    // Trailing spaces do not count toward the width.
    let end = glyphs.length;
    while (end > 0 && glyphs[end - 1]!.ch === ' ') end--;
    let width = end ? xs[end - 1]! - (glyphs[end - 1]!.inset ?? 0) + glyphs[end - 1]!.width - start : 0;
    const hang = end && HANGABLE.has(glyphs[end - 1]!.ch) && start + width > right + 0.01 && props.overflowPunct && !ctx.inTable;
    const avail = right - start;
    const slack = avail - width;
    if (props.align === 'both' || props.align === 'distribute') {
      if ((!last || props.align === 'distribute') && slack > 0.01 && !hang && !brk) {
        // Spread the slack over the gaps after the last tab, so tab-aligned columns stay put.
        // Justified (both) lines take it only where a line could break: between Hanzi, at
        // punctuation and word spaces, never inside a number or a Latin word ("2019年", not
        // "2 0 1 9 年"), as Word and LibreOffice do. Distributed lines spread every gap.
        const fromGlyph = Math.min(afterTab, end);
        const open = (i: number): boolean => props.align === 'distribute' || !joined[i];
        let gaps = 0;
        for (let i = fromGlyph + 1; i < end; i++) if (open(i)) gaps++;
        if (gaps > 0) {
          const per = slack / gaps;
          let k = 0;
          for (let i = fromGlyph + 1; i < end; i++) {
            if (open(i)) k++;
            xs[i]! += per * k;
          }
          width = avail;
        }
      }
    } else if (props.align === 'center' || props.align === 'right') {
      const shift = props.align === 'center' ? slack / 2 : slack;
      if (shift > 0) for (let i = 0; i < xs.length; i++) xs[i]! += shift;
    }
    lines.push({ glyphs, xs, x: 0, height: 0, baseline: 0, width, pageBreakAfter: brk?.page });
  };

  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i]!;
    if (c.brk) {
      finish(lineClusters, lineStart, true, c.brk);
      lineClusters = [];
      lineStart = left;
      x = lineStart;
      forced = c.brk;
      continue;
    }
    forced = undefined;
    let w = c.width;
    if (c.tab) {
      c.tabStop = nextStop(x, p, ctx);
      c.tabWidth = w = tabAdvance(x, c.tabStop, clusters.slice(i + 1, i + 64));
    }
    else if (!lineClusters.length && c.atoms[0]?.kind === 'glyph') w -= c.atoms[0].gapBefore;
    // A line ends a text portion in LibreOffice, so its last character keeps its full advance
    // (character spacing applies between the characters of a portion): a condensed run fits
    // when it fits with its last character uncondensed. Measured on LibreOffice 7.4's PDF:
    // "…在沪科研院所" (27 Hanzi and a digit, 442.08 pt condensed) does not fit 442.25 pt.
    const tail = c.atoms[c.atoms.length - 1];
    const endCorr = tail?.kind === 'glyph' && tail.spacing < 0 && !tail.runEnd ? -tail.spacing : 0;
    // No tolerance beyond rounding: "…10790万元" at 442.255 pt does not fit 442.25 pt in LibreOffice.
    if (x + w + endCorr <= right + 0.001 || lineClusters.length === 0 && w > right - lineStart) {
      if (x + w > right + 0.01 && lineClusters.length === 0 && !c.space) {
        // A cluster wider than the line (a pasted URL or a long number) breaks by character, as
        // Word does: full lines in one pass over its atoms, the last piece staying open for what
        // follows. Linear in the cluster's length.
        let piece: Atom[] = [];
        let cx = x;
        for (const a of c.atoms) {
          const aw = a.kind === 'glyph' ? a.g.width + (piece.length ? a.gapBefore : 0) : 0;
          if (cx + aw > right + 0.01 && piece.length) {
            finish([{ ...c, atoms: piece }], lineStart, false);
            lineStart = left;
            cx = left;
            piece = [];
            cx += a.kind === 'glyph' ? a.g.width : 0;
          } else cx += aw;
          piece.push(a);
        }
        const head = piece[0];
        lineClusters = [{ ...c, atoms: piece, width: cx - lineStart, first: head?.kind === 'glyph' ? head.g.ch : c.first }];
        x = cx;
        continue;
      }
      lineClusters.push(c);
      x += w;
      continue;
    }
    // c overflows. A space, or a punctuation mark that hangs in the margin, ends the line where it stands.
    const hangs = props.overflowPunct && !ctx.inTable && props.kinsoku && HANGABLE.has(c.first) && c.atoms.length === 1 && lineClusters.length > 0 && samePortion(lineClusters[lineClusters.length - 1]!, c);
    if (c.space || hangs) {
      lineClusters.push(c);
      finish(lineClusters, lineStart, false);
      lineClusters = [];
      lineStart = left;
      x = lineStart;
      continue;
    }
    // Find the last break opportunity at or before c.
    let cut = lineClusters.length; // break before c
    while (cut > 0 && !breakAllowed(lineClusters[cut - 1]!, cut === lineClusters.length ? c : lineClusters[cut]!, props.kinsoku)) cut--;
    if (cut === 0) cut = lineClusters.length; // no opportunity: break before c anyway
    const carry = lineClusters.slice(cut);
    finish(lineClusters.slice(0, cut), lineStart, false);
    lineStart = left;
    lineClusters = [];
    x = lineStart;
    // Re-place the carried clusters and c on the new line.
    i -= carry.length + 1;
    void carry;
  }
  if (lineClusters.length || lines.length === 0 || forced) finish(lineClusters, lineStart, true);

  // Line heights.
  const markFace = ctx.fonts.family(props.markRun.eastAsiaFont, 'eastAsia');
  for (const line of lines) {
    let asc = 0;
    let desc = 0;
    let size = 0;
    const visibleGlyphs = line.glyphs.length ? line.glyphs : [];
    if (!visibleGlyphs.length) {
      size = props.markRun.size;
      asc = (markFace?.ascent ?? 0.88) * size;
      desc = -(markFace?.descent ?? -0.12) * size;
    }
    for (const g of visibleGlyphs) {
      size = Math.max(size, g.size);
      asc = Math.max(asc, (g.face?.ascent ?? 0.88) * g.size);
      desc = Math.max(desc, -(g.face?.descent ?? -0.12) * g.size);
    }
    const natural = asc + desc;
    if (props.lineRule === 'exact') {
      line.height = props.line;
      line.baseline = Math.round(0.8 * props.line * 100) / 100;
    } else if (props.lineRule === 'atLeast') {
      line.height = Math.max(props.line, natural);
      line.baseline = line.height - desc;
    } else {
      let h = natural * props.line;
      if (ctx.gridPitch > 0 && props.snapToGrid) h = Math.max(1, Math.ceil(h / ctx.gridPitch - 0.05)) * ctx.gridPitch;
      line.height = h;
      line.baseline = asc + (h - natural * props.line) / 2;
    }
  }
  return lines;
}
