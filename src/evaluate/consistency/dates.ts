import { formatDateZh } from '../../common/format.js';
import type { Applicant } from '../../schema/applicant.js';
import type { ProsePiece } from './prose.js';
import { DOC_NAME } from './prose.js';
import { pathRef } from './targets.js';
import type { Finding } from './types.js';

/**
 * Dates a reviewer checks against each other (the letter's own 文号 and the deadline are
 * validation rules already): an evidence document's 文号 year against its date, evidence older
 * than the reporting window, and "近三年" prose that names years outside it.
 */
export function checkDates(a: Applicant, reportYears: number[], pieces: ProsePiece[]): Finding[] {
  const out: Finding[] = [];
  const first = reportYears[0]!;
  const last = reportYears[reportYears.length - 1]!;
  for (const [id, c] of Object.entries(a.conditions)) {
    c.evidence.forEach((e, j) => {
      const base = ['conditions', id, 'evidence', j];
      const year = Number(e.date.slice(0, 4));
      const numberYear = e.number ? /〔(\d{4})〕/.exec(e.number)?.[1] : undefined;
      if (numberYear && Number(numberYear) !== year) {
        const path = [...base, 'number'];
        out.push({ kind: 'date', code: 'consistency.evidence-number-year', message: `证明材料《${e.title.replace(/^《|》$/g, '')}》的文号 ${e.number} 年份为${numberYear}年，而印发日期为${formatDateZh(e.date)}`, path, stated: e.number, expected: `〔${year}〕`, ref: pathRef(path), year });
      }
      if (year < first) {
        const path = [...base, 'date'];
        out.push({ kind: 'date', code: 'consistency.evidence-window', message: `证明材料《${e.title.replace(/^《|》$/g, '')}》印发于${formatDateZh(e.date)}，早于本批次的统计年度（${first}—${last}年）；请确认仍然有效，或换用近三年的材料`, path, stated: e.date, expected: `${first}—${last}年`, ref: pathRef(path), year });
      }
    });
  }
  for (const piece of pieces) {
    for (const m of piece.text.matchAll(/(?:近|过去|最近)(?:三|3)年[^。；\n]*/g)) {
      for (const y of m[0].matchAll(/(\d{4})\s*年/g)) {
        const year = Number(y[1]);
        // The round's own year is a slip (近三年 ends before it); later years are plans (到2025年).
        if ((year >= first && year <= last) || year > last + 1) continue;
        const start = m.index! + y.index!;
        const ref = piece.text.slice(m.index!, Math.min(piece.text.length, start + y[0].length));
        out.push({ kind: 'date', code: 'consistency.recent-years', message: `${DOC_NAME[piece.doc]}写“${ref}”，而本批次的近三年为${first}—${last}年`, path: piece.path, ...(piece.at(start) ?? {}), stated: `${year}年`, expected: `${first}—${last}年`, ref, year });
      }
    }
  }
  return out;
}
