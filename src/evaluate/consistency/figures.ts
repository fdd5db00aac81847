import { formatNumber } from '../../common/format.js';
import type { Catalogue, Indicator } from '../../program/indicators.js';
import type { IndicatorSeries } from '../indicators.js';
import { DOC_NAME, type ProsePiece } from './prose.js';
import { agrees, findQuantities, parseChineseNumeral, showAt, unitOf, type Quantity } from './quantity.js';
import type { Finding } from './types.js';

export interface FigureContext {
  catalogue: Catalogue;
  series: IndicatorSeries;
  /** The three years the application reports on, oldest first. */
  reportYears: number[];
  /** The plan's targets per indicator and year (the baseline year included when given). */
  targets: Map<string, Map<number, number>>;
  /** Words naming a wider area than the applicant (全国, 全省, 全市 for a district): such figures are not its own. */
  elsewhere: RegExp;
}

interface Mention {
  start: number;
  end: number;
  ind: Indicator;
}

/** A statement of a value, kept to compare the documents with each other where the table is silent. */
export interface Statement {
  piece: ProsePiece;
  q: Quantity;
  ind: Indicator;
  /** "2021" or "2019-2021" for a sum. */
  key: string;
  value: number;
  ref: string;
}

const SENTENCE_END = /[。！？；!?;\n]/;
const CLAUSE_END = /[，,：:（）()、]/;
const YEAR = /(\d{4})\s*年/g;

const escape = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Names and aliases, longest first; and for each percent share in the catalogue, "占…<denominator>
 * (的比例)" (占区一般公共预算支出的比例), the way prose names a share without naming it.
 */
function aliasPattern(catalogue: Catalogue): { re: RegExp; resolve: (match: string) => Indicator | undefined } {
  const byName = new Map<string, Indicator>();
  for (const ind of catalogue.indicators) for (const n of [ind.name, ...ind.aliases]) if (!byName.has(n)) byName.set(n, ind);
  const shares: { re: RegExp; ind: Indicator }[] = [];
  for (const ind of catalogue.indicators) {
    const d = ind.derived;
    if (d?.op !== 'percent') continue;
    const den = catalogue.indicators.find((i) => i.id === d.denominator);
    if (!den) continue;
    const names = [den.name, ...den.aliases].sort((a, b) => b.length - a.length).map(escape).join('|');
    shares.push({ re: new RegExp(`占[^，。；、]{0,6}?(?:${names})(?:的比例|的比重|比例|比重|的)?`), ind });
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escape);
  const re = new RegExp([...shares.map((x) => x.re.source), ...names].join('|'), 'g');
  return { re, resolve: (m) => (m.startsWith('占') ? shares.find((x) => x.re.test(m))?.ind : undefined) ?? byName.get(m) };
}

/** A sentence longer than this is cut at a comma: real ones are far shorter, and the matching is quadratic in it. */
const MAX_SENTENCE = 400;

/** Sentence spans of a text, by offsets. */
function sentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || SENTENCE_END.test(text[i]!)) {
      while (i - s > MAX_SENTENCE) {
        let cut = s + MAX_SENTENCE;
        while (cut > s + MAX_SENTENCE / 2 && !CLAUSE_END.test(text[cut]!)) cut--;
        out.push([s, cut]);
        s = cut + 1;
      }
      if (i > s) out.push([s, i]);
      s = i + 1;
    }
  }
  return out;
}

function clauseStart(text: string, from: number, floor: number): number {
  for (let i = from - 1; i >= floor; i--) if (CLAUSE_END.test(text[i]!)) return i + 1;
  return floor;
}

/**
 * The year (or years) a figure at `pos` is about: the last year named before it in its sentence
 * that is not a comparison base (较2019年, 是2019年的, 由2019年的); a span (2019年至2021年,
 * 近三年, 三年来) when one is named. Undefined when the sentence names none.
 */
function yearContext(text: string, sStart: number, pos: number, reportYears: number[]): { from: number; to: number } | undefined {
  const part = text.slice(sStart, pos);
  let found: { from: number; to: number } | undefined;
  for (const m of part.matchAll(YEAR)) {
    const before = part.slice(Math.max(0, m.index! - 2), m.index!);
    const after = part.slice(m.index! + m[0].length, m.index! + m[0].length + 6);
    if (/[较比]$|是$|由$|与$/.test(before) || /^的/.test(after) && /由|是/.test(before)) continue;
    const y = Number(m[1]);
    const span = /^(?:至|到|—|－|-|~|～)\s*(\d{4})\s*年/.exec(after);
    if (span) found = { from: y, to: Number(span[1]) };
    else if (!(found && found.to === y && found.from !== y)) found = { from: y, to: y };
  }
  const last = reportYears[reportYears.length - 1]!;
  const spanWords = /(?<!\d)(?:近|过去|最近)?([三两二3])年(?:来|以来|间|内|中)?(?:累计|合计|共计?)|近([三两二3])年|(?<!\d)([三两二3])年来/;
  const sp = spanWords.exec(part);
  if (sp && (!found || (sp.index > part.lastIndexOf(String(found.to))))) {
    const n = parseChineseNumeral(sp[1] ?? sp[2] ?? sp[3] ?? '') ?? Number(sp[1] ?? sp[2] ?? sp[3]);
    found = { from: last - n + 1, to: last };
  }
  return found;
}

export function checkFigures(pieces: ProsePiece[], ctx: FigureContext): { findings: Finding[]; statements: Statement[] } {
  const { re, resolve } = aliasPattern(ctx.catalogue);
  const findings: Finding[] = [];
  const statements: Statement[] = [];
  const last = ctx.reportYears[ctx.reportYears.length - 1]!;
  const first = ctx.reportYears[0]!;

  const valueAt = (ind: Indicator, year: number): number | undefined =>
    ctx.series.get(year)?.get(ind.id) ?? (year > last ? ctx.targets.get(ind.id)?.get(year) : undefined);
  const sumOver = (ind: Indicator, from: number, to: number): number | undefined => {
    let total = 0;
    for (let y = from; y <= to; y++) {
      const v = valueAt(ind, y);
      if (v === undefined) return undefined;
      total += v;
    }
    return total;
  };
  const show = (ind: Indicator, v: number) => `${formatNumber(v, ind.decimals)}${ind.unit}`;

  for (const piece of pieces) {
    const text = piece.text;
    const where = (offset: number) => piece.at(offset) ?? {};
    for (const [sStart, sEnd] of sentences(text)) {
      const sentence = text.slice(sStart, sEnd);
      const mentions: Mention[] = [];
      re.lastIndex = 0;
      for (const m of sentence.matchAll(re)) {
        const ind = resolve(m[0]);
        if (ind) mentions.push({ start: sStart + m.index!, end: sStart + m.index! + m[0].length, ind });
      }
      if (!mentions.length) continue;
      const quantities = findQuantities(sentence).map((q) => ({ ...q, start: q.start + sStart, end: q.end + sStart }));
      const consumed = new Set<number>();
      // Ranks improve by falling (提高2位 is a smaller number); their claims are not growth.
      const subjectAt = (pos: number) => [...mentions].reverse().find((m) => m.end <= pos && m.ind.kind !== 'rank');

      // ── growth claims ─────────────────────────────────────────────────────
      // Positioned at the claimed number (the 34.1 of 较2019年增长34.1%), referred to by the whole claim.
      const claim = (start: number, end: number, ind: Indicator, ok: boolean, stated: string, expected: string, detail: string, year: number, numberAt = start) => {
        if (ok) return;
        const ref = text.slice(start, end);
        findings.push({
          kind: 'growth',
          code: 'consistency.growth',
          message: `${DOC_NAME[piece.doc]}写“${ref}”，按指标表计算${ind.name}${detail}`,
          path: piece.path,
          ...where(numberAt),
          indicator: ind.id,
          year,
          stated,
          expected,
          ref,
        });
      };
      const qAt = (offset: number) => quantities.find((q) => q.start === offset);
      const context = (pos: number) => yearContext(text, sStart, pos, ctx.reportYears);

      // 较2019年增长34.1% / 增加41家 / 增长1.5倍
      for (const m of sentence.matchAll(/(?:较|比|与)\s*(\d{4})\s*年(?:底|末|同期|相比)?(?:相比)?[，,]?(增长|提高|提升|增加|上升|下降|减少)了?/g)) {
        const at = sStart + m.index! + m[0].length;
        const q = qAt(at);
        const subj = subjectAt(sStart + m.index!);
        if (!q || !subj) continue;
        consumed.add(q.start);
        const base = Number(m[1]);
        const to = context(sStart + m.index!)?.to ?? last;
        const v0 = valueAt(subj.ind, base);
        const v1 = valueAt(subj.ind, to);
        if (v0 === undefined || v1 === undefined) continue;
        const sign = /下降|减少/.test(m[2]!) ? -1 : 1;
        const unit = unitOf(subj.ind.unit);
        if (q.base === '%' && v0 !== 0) {
          const g = (v1 / v0 - 1) * 100;
          claim(sStart + m.index!, q.end, subj.ind, agrees(q, sign * g), `${q.value}%`, `${showAt(g, q.decimals)}%`, `${base}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，${g >= 0 ? '增长' : '下降'}${showAt(Math.abs(g), q.decimals)}%`, to, q.start);
        } else if (q.base === '倍' && v0 !== 0) {
          const r = v1 / v0 - 1;
          claim(sStart + m.index!, q.end, subj.ind, agrees(q, r), `${q.value}倍`, `${showAt(r, q.decimals)}倍`, `${base}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，增长${showAt(r, Math.max(1, q.decimals))}倍`, to, q.start);
        } else if (unit && q.base === unit.base) {
          const diff = ((v1 - v0) * unit.scale) / q.scale;
          claim(sStart + m.index!, q.end, subj.ind, agrees(q, sign * diff), `${q.value}${q.unit}`, `${showAt(diff, q.decimals)}${q.unit}`, `${base}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，增加${showAt(diff, q.decimals)}${q.unit}`, to, q.start);
        }
      }
      // 三年增长46.5% (simple) and 年均增长13.5% (compound)
      for (const m of sentence.matchAll(/(?:(?<!\d)(近|过去)?([三两二3])年(?:来|间)?(?:累计)?|(年均|年平均))(?:增长|增速|增幅|复合增长率)(?:达到?|为)?/g)) {
        const at = sStart + m.index! + m[0].length;
        const q = qAt(at);
        const subj = subjectAt(sStart + m.index!);
        if (!q || q.base !== '%' || !subj) continue;
        consumed.add(q.start);
        const ctxYears = context(sStart + m.index!);
        const to = ctxYears?.to ?? last;
        const from = to > last ? last : ctxYears && ctxYears.from !== ctxYears.to ? ctxYears.from : first;
        const v0 = valueAt(subj.ind, from);
        const v1 = valueAt(subj.ind, to);
        if (v0 === undefined || v1 === undefined || v0 <= 0 || to <= from) continue;
        const compound = Boolean(m[3]);
        const g = compound ? ((v1 / v0) ** (1 / (to - from)) - 1) * 100 : (v1 / v0 - 1) * 100;
        claim(sStart + m.index!, q.end, subj.ind, agrees(q, g), `${q.value}%`, `${showAt(g, q.decimals)}%`, `${from}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，${compound ? `年均增长${showAt(g, q.decimals)}%（复合）` : `增长${showAt(g, q.decimals)}%`}`, to, q.start);
      }
      // 同比增长21.8% / 2021年增长21.8%: on the year before.
      for (const m of sentence.matchAll(/(?:同比|(\d{4})\s*年(?:同比)?|比上年|较上年)(?:增长|提高|上升)了?/g)) {
        const at = sStart + m.index! + m[0].length;
        const q = qAt(at);
        const subj = subjectAt(sStart + m.index!);
        // 2019年至2021年增长… is growth over the span, not on the year before.
        if (!q || q.base !== '%' || !subj || consumed.has(q.start) || /[至到—－-]\s*$/.test(sentence.slice(0, m.index!))) continue;
        consumed.add(q.start);
        const to = m[1] ? Number(m[1]) : (context(sStart + m.index!)?.to ?? last);
        const v0 = valueAt(subj.ind, to - 1);
        const v1 = valueAt(subj.ind, to);
        if (v0 === undefined || v1 === undefined || v0 === 0) continue;
        const g = (v1 / v0 - 1) * 100;
        claim(sStart + m.index!, q.end, subj.ind, agrees(q, g), `${q.value}%`, `${showAt(g, q.decimals)}%`, `${to - 1}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，同比${g >= 0 ? '增长' : '下降'}${showAt(Math.abs(g), q.decimals)}%`, to, q.start);
      }
      // 是2019年的2.3倍
      for (const m of sentence.matchAll(/是\s*(\d{4})\s*年(?:底|末)?的/g)) {
        const at = sStart + m.index! + m[0].length;
        const q = qAt(at);
        const subj = subjectAt(sStart + m.index!);
        if (!q || q.base !== '倍' || !subj) continue;
        consumed.add(q.start);
        const base = Number(m[1]);
        const to = context(sStart + m.index!)?.to ?? last;
        const v0 = valueAt(subj.ind, base);
        const v1 = valueAt(subj.ind, to);
        if (v0 === undefined || v1 === undefined || v0 === 0) continue;
        const r = v1 / v0;
        claim(sStart + m.index!, q.end, subj.ind, agrees(q, r), `${q.value}倍`, `${showAt(r, q.decimals)}倍`, `${base}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，是${base}年的${showAt(r, Math.max(1, q.decimals))}倍`, to, q.start);
      }
      // 翻一番 / 翻两番
      for (const m of sentence.matchAll(/(?:(?:较|比)\s*(\d{4})\s*年(?:底|末)?)?(?:实现)?翻(一|两|二)番/g)) {
        const subj = subjectAt(sStart + m.index!);
        if (!subj) continue;
        const to = context(sStart + m.index!)?.to ?? last;
        const base = m[1] ? Number(m[1]) : to > last ? last : first;
        const v0 = valueAt(subj.ind, base);
        const v1 = valueAt(subj.ind, to);
        if (v0 === undefined || v1 === undefined || v0 === 0) continue;
        const times = m[2] === '一' ? 2 : 4;
        const r = v1 / v0;
        claim(sStart + m.index!, sStart + m.index! + m[0].length, subj.ind, r >= times * 0.975, `翻${m[2]}番（${times}倍）`, `${showAt(r, 2)}倍`, `${base}年${show(subj.ind, v0)}、${to}年${show(subj.ind, v1)}，是${base}年的${showAt(r, 2)}倍`, to);
      }

      // ── figures ───────────────────────────────────────────────────────────
      // 由158.5件提高到207.5件: the first figure is the base year's (default the first reporting year).
      const fromTo = new Map<number, number>();
      for (const m of sentence.matchAll(/由\s*(?:(\d{4})\s*年(?:底|末)?的?)?/g)) {
        const q = qAt(sStart + m.index! + m[0].length);
        if (q) fromTo.set(q.start, m[1] ? Number(m[1]) : first);
      }
      const toYear = new Map<number, number>();
      for (const m of sentence.matchAll(/(?:提高|增加|增长|提升|上升|扩大|下降|减少)(?:到|至)\s*(?:(\d{4})\s*年(?:底|末)?的?)?/g)) {
        const q = qAt(sStart + m.index! + m[0].length);
        if (q && m[1]) toYear.set(q.start, Number(m[1]));
      }

      let listYears: number[] | undefined;
      let listInd: Indicator | undefined;
      for (const q of quantities) {
        if (consumed.has(q.start)) continue;
        const cStart = clauseStart(text, q.start, sStart);
        let subj = [...mentions].reverse().find((m) => m.end <= q.start && m.start >= cStart);
        const clauseHead = text.slice(cStart, q.start);
        const inList = text[q.start - 1] === '、' && listYears?.length;
        if (!subj && inList) subj = { start: cStart, end: cStart, ind: listInd! };
        // "…PCT国际专利申请1535件，2021年达到587件", "其中2021年9.63亿元", "2019年至2021年分别安排3150万元":
        // a clause that names only a year speaks of the sentence's last-named indicator (其中 alone,
        // as in 其中高校持有8012件, names a part of it).
        if (!subj && /\d{4}\s*年|分别/.test(clauseHead) && !/企业|机构|项目|案件|平台|中心|人员|银行/.test(clauseHead)) subj = subjectAt(q.start);
        if (!subj) continue;
        // 全市每万人口发明专利拥有量68.9件 in a district's report is the city's figure, not a claim about its own.
        if (ctx.elsewhere.test(text.slice(cStart, subj.start >= cStart ? subj.start : q.start))) continue;

        const unit = unitOf(subj.ind.unit);
        if (!unit || unit.base !== q.base) continue;
        // The first figure after a name belongs to it; later ones in the same clause are something else.
        const between = quantities.filter((o) => o !== q && o.start >= subj!.end && o.start < q.start && o.start >= cStart && !consumed.has(o.start));
        const fromFigure = between.length === 1 && fromTo.has(between[0]!.start) ? between[0] : undefined;
        if (between.length && text[q.start - 1] !== '、' && !fromFigure) continue;
        // A name and its figure sit close: 有效发明专利23140件, 服务机构达到227家, 经费分别为41800万元, 由158.5件提高到207.5件.
        if (subj.start >= cStart && q.start - (fromFigure?.end ?? subj.end) > 8) continue;
        const head = text.slice(sStart, q.start);
        let years = yearContext(text, sStart, q.start, ctx.reportYears);
        const baseYear = fromTo.get(q.start);
        if (baseYear !== undefined) years = { from: baseYear, to: baseYear };
        const explicitTo = toYear.get(q.start);
        if (explicitTo !== undefined) years = { from: explicitTo, to: explicitTo };

        // 2019年至2021年分别安排3150万元、3580万元、4060万元
        let year: number | undefined;
        let expected: number | undefined;
        let key: string;
        const respectively = /分别/.test(text.slice(Math.min(cStart, subj.end), q.start)) || inList;
        if (respectively && years && years.from !== years.to) {
          if (!inList || !listYears) listYears = Array.from({ length: years.to - years.from + 1 }, (_, i) => years!.from + i);
          listInd = subj.ind;
          year = listYears.shift();
          if (year === undefined) continue;
          expected = valueAt(subj.ind, year);
          key = String(year);
        } else {
          listYears = undefined;
          const cumulative = /累计|合计|共计/.test(text.slice(cStart, q.start));
          if (!years) {
            if (piece.doc === 'plan') continue; // a plan sentence without a year speaks of every year, or none
            years = cumulative && subj.ind.measure === 'flow' ? { from: first, to: last } : { from: last, to: last };
          }
          if (subj.ind.measure === 'stock' && /新增|净增/.test(text.slice(cStart, q.start))) {
            // 新增有效发明专利5000件 is the change of a level, not the level.
            const from = years.from === years.to ? years.to - 1 : years.from - 1;
            const v0 = valueAt(subj.ind, from);
            const v1 = valueAt(subj.ind, years.to);
            year = years.to;
            expected = v0 === undefined || v1 === undefined ? undefined : v1 - v0;
            key = `+${from}-${years.to}`;
            if (expected === undefined) continue;
          } else if (subj.ind.measure === 'flow' && years.from !== years.to && (cumulative || /累计|合计/.test(head))) {
            expected = sumOver(subj.ind, years.from, years.to);
            year = years.to;
            key = `${years.from}-${years.to}`;
          } else if (years.from !== years.to && /均/.test(text.slice(subj.end, q.start))) {
            // 各年度…均在0.15%以上: every year must agree; the first that does not is the one to name.
            year = years.to;
            for (let y = years.from; y <= years.to; y++) {
              const v = valueAt(subj.ind, y);
              if (v !== undefined && !agrees(q, (v * unit.scale) / q.scale)) {
                year = y;
                break;
              }
            }
            expected = valueAt(subj.ind, year);
            key = String(year);
          } else {
            year = years.to;
            expected = valueAt(subj.ind, year);
            key = String(year);
          }
        }
        const ref = text.slice(subj.end > cStart && subj.start >= cStart ? subj.start : cStart, q.end);
        const inUnit = (v: number) => (v * unit.scale) / q.scale;
        if (expected === undefined) {
          statements.push({ piece, q, ind: subj.ind, key, value: (q.value * q.scale) / unit.scale, ref });
          continue;
        }
        statements.push({ piece, q, ind: subj.ind, key, value: (q.value * q.scale) / unit.scale, ref });
        if (agrees(q, inUnit(expected))) continue;
        const source = key.startsWith('+') ? `按指标表${key.slice(1).replace('-', '—')}年的增量，` : year > last ? `方案${year}年目标值` : key.includes('-') ? `指标表${key.replace('-', '—')}年合计` : `指标表${year}年`;
        findings.push({
          kind: 'figure',
          code: 'consistency.figure',
          message: `${DOC_NAME[piece.doc]}写“${ref}”，${source}${subj.ind.name}为${show(subj.ind, expected)}${q.unit === subj.ind.unit ? '' : `（折合${showAt(inUnit(expected), q.decimals)}${q.unit}）`}`,
          path: piece.path,
          ...where(q.start),
          indicator: subj.ind.id,
          year,
          stated: `${text.slice(q.start, q.end)}`,
          expected: `${showAt(inUnit(expected), q.decimals)}${q.unit}`,
          ref,
        });
      }
    }
  }
  return { findings, statements };
}

/**
 * The same indicator and year stated twice with different values, where the table cannot say
 * which is right (no value for that year): the report and the plan must still agree.
 */
export function checkStatements(statements: Statement[], ctx: FigureContext): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, Statement[]>();
  for (const s of statements) {
    const k = `${s.ind.id}@${s.key}`;
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  const last = ctx.reportYears[ctx.reportYears.length - 1]!;
  for (const list of byKey.values()) {
    const first = list[0]!;
    const known = first.key.includes('-') ? undefined : Number(first.key) <= last ? ctx.series.get(Number(first.key))?.get(first.ind.id) : ctx.targets.get(first.ind.id)?.get(Number(first.key));
    if (known !== undefined) continue; // each is already compared with the table
    for (const s of list.slice(1)) {
      const unit = unitOf(s.ind.unit)!;
      if (agrees(s.q, (first.value * unit.scale) / s.q.scale) || agrees(first.q, (s.value * unit.scale) / first.q.scale)) continue;
      const at = s.piece.at(s.q.start) ?? {};
      out.push({
        kind: 'cross',
        code: 'consistency.cross',
        message: `${DOC_NAME[s.piece.doc]}写“${s.ref}”，而${first.piece.doc === s.piece.doc ? '同一文件另一处' : DOC_NAME[first.piece.doc]}写“${first.ref}”（${s.ind.name}，${s.key.replace('-', '—')}年）`,
        path: s.piece.path,
        ...at,
        indicator: s.ind.id,
        year: Number(s.key.split('-').pop()),
        stated: s.ref,
        expected: first.ref,
        ref: s.ref,
      });
    }
  }
  return out;
}
