import type { DataPath, SourcePosition } from '../../common/diagnostics.js';
import type { Applicant } from '../../schema/applicant.js';

/** Which document a piece of prose ends up in: a figure stated in two of them must agree. */
export type ProseDoc = 'report' | 'plan';

export const DOC_NAME: Record<ProseDoc, string> = { report: '创建工作报告', plan: '三年期工作方案' };

/** One string value of the data that the documents print as prose. */
export interface ProsePiece {
  doc: ProseDoc;
  path: DataPath;
  /** Editor line wraps removed, paragraph breaks kept as '\n'. */
  text: string;
  /** Offset in `text` → where it was typed. */
  at(offset: number): SourcePosition | undefined;
}

/** Where the raw (as typed) data can be located; evaluate works without it, with positions at the field only. */
export interface ProseSource {
  data: Record<string, unknown> | undefined;
  locate(path: DataPath): SourcePosition;
  locateText(path: DataPath, offset: number): SourcePosition;
}

/**
 * The prose fields, as paths into the data: the report gets the condition statements (申报条件
 * 符合情况) and the summary; the plan its own texts.
 */
function prosePaths(data: Record<string, unknown>): { doc: ProseDoc; path: (string | number)[] }[] {
  const out: { doc: ProseDoc; path: (string | number)[] }[] = [];
  const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const [id, c] of Object.entries(obj(data.conditions) ?? {})) if (obj(c)) out.push({ doc: 'report', path: ['conditions', id, 'statement'] });
  const report = obj(data.report);
  if (report) {
    out.push({ doc: 'report', path: ['report', 'overview'] });
    const sections = (list: unknown, at: (string | number)[]) =>
      arr(list).forEach((s, i) => {
        out.push({ doc: 'report', path: [...at, i, 'paragraphs'] });
        sections(obj(s)?.sections, [...at, i, 'sections']);
      });
    sections(report.summary, ['report', 'summary']);
  }
  const plan = obj(data.plan);
  if (plan) {
    out.push({ doc: 'plan', path: ['plan', 'guiding_ideas'] }, { doc: 'plan', path: ['plan', 'overall_goal'] });
    for (const key of ['principles', 'safeguards']) arr(plan[key]).forEach((_, i) => out.push({ doc: 'plan', path: ['plan', key, i, 'text'] }));
    arr(plan.tasks).forEach((_, i) => out.push({ doc: 'plan', path: ['plan', 'tasks', i, 'content'] }));
  }
  return out;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let v: unknown = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k as string] : undefined;
  return v;
}

/**
 * Editor wraps inside a paragraph are dropped (Chinese has no spaces between words) so a name
 * split over two lines is still found; `map` keeps each kept character's offset in the raw value.
 */
export function unwrap(raw: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\r') continue;
    if (ch === '\n') {
      let j = i + 1;
      while (j < raw.length && /[ \t\r\u3000]/.test(raw[j]!)) j++;
      if (raw[j] === '\n') {
        text += '\n';
        map.push(i);
        while (raw[j + 1] === '\n' || raw[j + 1] === '\r') j++;
        i = j;
      }
      continue;
    }
    text += ch;
    map.push(i);
  }
  map.push(raw.length);
  return { text, map };
}

export function collectProse(applicant: Applicant, source?: ProseSource): ProsePiece[] {
  const data = source?.data ?? (applicant as unknown as Record<string, unknown>);
  const out: ProsePiece[] = [];
  for (const { doc, path } of prosePaths(data)) {
    const value = valueAt(data, path);
    const strings: [DataPath, string][] = typeof value === 'string' ? [[path, value]] : Array.isArray(value) ? value.flatMap((v, i) => (typeof v === 'string' ? [[[...path, i], v] as [DataPath, string]] : [])) : [];
    // Without the raw source the typed data holds paragraphs; join them so sentences stay whole.
    if (!source && Array.isArray(value)) strings.splice(0, strings.length, [path, value.filter((v) => typeof v === 'string').join('\n\n')]);
    for (const [p, raw] of strings) {
      const { text, map } = unwrap(raw);
      out.push({ doc, path: p, text, at: (offset) => (source ? source.locateText(p, map[offset] ?? raw.length) : undefined) });
    }
  }
  return out;
}
