import type { DataPath, Diagnostic, SourcePosition } from '../common/diagnostics.js';

/**
 * Bidirectional controls: pasted from web pages or typed to make text display in an order other
 * than the one it is stored in. A document that reads differently from its data is never wanted.
 */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Characters that draw nothing (format characters, default-ignorable code points, the object
 * replacement character Word leaves where an image was): common in text pasted from web pages,
 * WeChat or Word, invisible in every editor, and a glyph no font can measure.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\uFFFC]/gu;
const BIDI_ONE = new RegExp(BIDI.source, 'u');
const INVISIBLE_ONE = new RegExp(INVISIBLE.source, 'u');

const NAMES: Record<number, string> = {
  0x00ad: '软连字符',
  0x034f: '组合字形连接符',
  0x200b: '零宽空格',
  0x200c: '零宽不连字',
  0x200d: '零宽连字',
  0x2060: '单词连接符',
  0xfeff: '零宽不换行空格',
  0xfe0f: '变体选择符',
  0xfffc: '对象替换符',
};

const code = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function describe(chars: string[]): string {
  const seen = [...new Set(chars.map((c) => c.codePointAt(0)!))];
  const shown = seen.slice(0, 4).map((cp) => (NAMES[cp] ? `${code(cp)} ${NAMES[cp]}` : code(cp)));
  return seen.length > 4 ? `${shown.join('、')} 等 ${seen.length} 种` : shown.join('、');
}

/** A string without bidi controls and invisible characters, and what was removed. */
export function normalizeText(s: string): { text: string; bidi: string[]; invisible: string[]; kept?: number[] } {
  const bidi = s.match(BIDI) ?? [];
  const invisible = s.match(INVISIBLE)?.filter((c) => !BIDI_ONE.test(c)) ?? [];
  if (!bidi.length && !invisible.length) return { text: s, bidi, invisible };
  // kept[i]: where the i-th code unit of the cleaned text was in the original (and one past the end).
  const kept: number[] = [];
  let text = '';
  let i = 0;
  for (const ch of s) {
    if (!BIDI_ONE.test(ch) && !INVISIBLE_ONE.test(ch)) {
      text += ch;
      for (let j = 0; j < ch.length; j++) kept.push(i + j);
    }
    i += ch.length;
  }
  kept.push(s.length);
  return { text, bidi, invisible, kept };
}

/**
 * Removes bidi controls and invisible characters from every string of a freshly parsed file
 * (keys are left: a key with them is an unknown field, reported as such), each removal a
 * warning at the value's line. `locate` gives the value's position in the file.
 */
export function normalizeData(
  data: unknown,
  locate: (p: DataPath) => SourcePosition | undefined,
  onCleaned?: (p: DataPath, kept: number[]) => void,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, p: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const r = normalizeText(v);
      if (r.bidi.length) {
        out.push({ severity: 'warning', code: 'text.bidi', ...locate(p), path: p, message: `含有双向文字控制符（${describe(r.bidi)}），会使文字显示的顺序与实际内容不同，已删除` });
      }
      if (r.invisible.length) {
        out.push({ severity: 'warning', code: 'text.invisible', ...locate(p), path: p, message: `含有不可见的格式字符（${describe(r.invisible)}），常见于从网页、微信或 Word 粘贴的文字，已删除` });
      }
      if (r.kept) onCleaned?.(p, r.kept);
      return r.text;
    }
    if (!v || typeof v !== 'object' || seen.has(v)) return v;
    // An alias shares its object: cleaned (and reported) once, where it is first met.
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => (v[i] = visit(x, [...p, i])));
    else for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = visit((v as Record<string, unknown>)[k], [...p, k]);
    return v;
  };
  visit(data, []);
  return out;
}
