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
