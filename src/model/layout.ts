/**
 * Where the 发文机关署名 and the 成文日期 stand (GB/T 9704 7.3.5.1), in Hanzi of the 28-Hanzi
 * line. The templates lay both out with paragraph alignment and indents computed from these
 * numbers (tools/ooxml.ts), never with spaces, so the name stays on one line and over the date in
 * Word, WPS, LibreOffice and our engine alike; the view model only says which of the two layouts
 * a name takes.
 */
import { LINE_HANZI, hanziWidth } from '../common/format.js';

export { hanziWidth, LINE_HANZI };

/** The date 右空四字. */
export const DATE_RIGHT_HANZI = 4;
/**
 * The width the centred name is laid out against: "2022年2月15日" is 6.5 Hanzi; every date of the
 * form YYYY年M月D日 is 6 to 7, so the name's centre is within 0.25 Hanzi of the date's.
 */
export const NOMINAL_DATE_HANZI = 6.5;
/** Centre of the date, from the right edge of the type area. */
export const SIGNER_CENTRE_FROM_RIGHT = DATE_RIGHT_HANZI + NOMINAL_DATE_HANZI / 2;
/** The widest name that can be centred over the date without passing the right edge. */
export const SIGNER_CENTRED_MAX = 2 * SIGNER_CENTRE_FROM_RIGHT;

export type SignerLayout = 'centred' | 'right';

/**
 * A name up to 14.5 Hanzi is centred over the date; a longer one stands on one line flush with
 * the right edge of the type area (7.3.5.1 cannot be met, the name must not wrap). Names longer
 * than a line are refused by validation (src/schema/rules.ts).
 */
export function signerLayout(signer: string): SignerLayout {
  return hanziWidth(signer) <= SIGNER_CENTRED_MAX ? 'centred' : 'right';
}

/**
 * The 发文机关标志's size on the 170 mm letterhead line: 2号 (22 pt) while the name fits (21
 * Hanzi), then 小二 (18 pt, 26 Hanzi), then 三号 (16 pt, every name validation lets through).
 */
export function organSize(organ: string): 'large' | 'medium' | 'small' {
  const w = hanziWidth(organ);
  return w <= 21 ? 'large' : w <= 26 ? 'medium' : 'small';
}

/** Column widths of the 推荐函's table (twips): 序号, 申报单位, 申报类别, 审核意见. */
export const RECOMMENDATION_COLUMNS = [600, 2600, 2300, 3345];

/** Rows of the 28 × 22 grid a page holds (GB/T 9704 5.2.2). */
export const PAGE_ROWS = 22;
/** Blank lines between the last text and the 署名 (room for the seal, 7.3.5.1). */
export const FOOT_BLANKS = 2;

/** Lines a paragraph of the body takes: 2 Hanzi of first-line indent, 28 Hanzi a line. */
export function paragraphRows(text: string, indent = 2): number {
  return Math.max(1, Math.ceil((indent + hanziWidth(text)) / LINE_HANZI - 1e-9));
}

/** Pitch of the body grid and of a table line (TableText: 五号 on exact 18 pt lines), points. */
const GRID_PT = 28.95;
const TABLE_LINE_PT = 18;
/** Hanzi of 五号 (10.5 pt) a cell of `twips` holds, less its 0.075 in margins. */
const cellHanzi = (twips: number): number => (twips - 216) / 20 / 10.5;

/** Grid rows a table takes: its rows' lines at 18 pt, the paragraph after it back on the grid. */
export function tableRows(rows: string[][], widthsTwips: number[]): number {
  let pt = 0;
  for (const row of rows) {
    const lines = Math.max(1, ...row.map((cell, i) => Math.ceil(hanziWidth(cell) / Math.max(1, Math.floor(cellHanzi(widthsTwips[i] ?? 1000))) - 1e-9)));
    pt += lines * TABLE_LINE_PT + 1;
  }
  return Math.ceil(pt / GRID_PT - 0.05);
}

/**
 * Blank lines above the 署名 (GB/T 9704 7.3.5.5): the 结束语, 署名, 成文日期 and 附注 travel as one
 * block (keep with next). Where the block would not fit under the last body line and would open a
 * page alone, the standard asks to adjust the spacing rather than let it go: the blank lines above
 * the 署名 give up as many rows as the block lacks (both of them at most). The rows are an
 * estimate from the text (28 Hanzi a line, figures half a Hanzi): what the renderers do is checked
 * on their PDFs (test/model/letter-foot.test.ts).
 */
export function footBlankLines(rowsBefore: number, blockRows: number, firstPageRows = PAGE_ROWS, blanks = FOOT_BLANKS): number {
  const onFirst = rowsBefore < firstPageRows;
  const used = onFirst ? rowsBefore : (rowsBefore - firstPageRows) % PAGE_ROWS;
  const lack = used + blockRows + blanks - (onFirst ? firstPageRows : PAGE_ROWS);
  if (used === 0 || lack <= 0 || lack > blanks) return blanks;
  return blanks - lack;
}


/**
 * Rows of a letter's 版头, 发文字号, title and 主送机关 (with the blank line under the number and the
 * title). The generated 版头 sits in the first page's header and leaves the body 21 of the 22
 * rows: it counts as one.
 */
export function letterHeadRows(letterhead: 'generated' | 'paper' | 'none', spaceMm: number, titleLines: number): number {
  const head = letterhead === 'generated' ? 1 : letterhead === 'paper' ? Math.ceil((spaceMm * 72) / 25.4 / GRID_PT - 0.05) : 0;
  return head + 1 + 1 + titleLines + 1 + 1;
}
