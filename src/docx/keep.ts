/**
 * What must not split at a line end (issue 9, Build 7): a phone number ("0512-" / "68601000"),
 * a number and its unit ("8710" / "万元", "〔2020〕27" / "号", "2021年7" / "月15日").
 *
 * The DOCX carries U+2060 WORD JOINER between the parts, which Unicode line breaking (UAX #14,
 * class WJ) forbids breaking around, and which Word, LibreOffice and our engine draw as nothing.
 * Measured with LibreOffice 7.4 (test/docx/keep.test.ts):
 * - a joiner on both sides of the hyphen holds a phone number; U+2011 NON-BREAKING HYPHEN and
 *   w:noBreakHyphen do not (it breaks after them as after "-"), so the hyphen stays ASCII;
 * - between a digit and a Hanzi it ignores a joiner (and U+FEFF, U+200D, and the settings'
 *   w:noLineBreaksBefore/After), because for text in a Chinese-language run it asks its CJK
 *   break iterator, which only knows the kinsoku lists. It asks the Unicode (ICU) iterator,
 *   which honours WJ, for a run whose East Asian language is not CJK. So the number and its unit
 *   go in a run of their own marked w:lang w:eastAsia="en-US" (only the few characters of the
 *   figure and its unit: nothing else changes language).
 */

const WJ = '\u2060';

/** Units and counters that belong to the number before them (the longest first). */
export const UNITS = [
  '万亿元', '亿元', '万元', '千元', '万人', '万件', '万家', '万个', '万吨', '万平方米', '平方公里', '平方米', '公里',
  '亿', '万', '元', '年', '月', '日', '号', '个', '项', '件', '家', '人', '次', '名', '倍', '所', '位', '条', '篇', '场', '期', '届', '批', '类', '种', '座', '户', '台', '套', '部', '本', '天', '周', '岁', '分', '秒', '时', '亩', '吨',
];
const UNIT_RE = new RegExp(`(\\d)(${UNITS.join('|')})`, 'gu');
/** A phone or fax number: digits, a hyphen, digits (021-64872222, 0512-68601000, 400-800-1234). */
const PHONE_HYPHEN = /(\d{2,})-(?=\d{3,})/g;

/** The text with word joiners where a line must not break. Idempotent. */
export function joinUnbreakables(text: string): string {
  if (!/\d/.test(text)) return text;
  return text
    .replace(/\u2060/g, '')
    .replace(PHONE_HYPHEN, `$1${WJ}-${WJ}`)
    .replace(UNIT_RE, (_m, d: string, unit: string) => d + WJ + [...unit].join(WJ));
}

/** A chain of figures and Hanzi joined by WJ inside a run's text (2021⁠年⁠7⁠月, 8710⁠万⁠元). */
const JOINED_UNIT = /(?:[0-9]+[—–~-])?[0-9][0-9.,]*(?:\u2060(?:[\u3400-\u9fff]|[0-9][0-9.,]*))+/gu;

const LANG_EN = '<w:lang w:eastAsia="en-US"/>';

/** A run's properties with its East Asian language set to en-US (see the module comment). */
function withLatinEastAsia(rPr: string | undefined): string {
  if (!rPr) return `<w:rPr>${LANG_EN}</w:rPr>`;
  if (/<w:lang\b/.test(rPr)) {
    return rPr.replace(/<w:lang\b([^>]*?)\/>/, (_m, attrs: string) => {
      const rest = attrs.replace(/\s+w:eastAsia="[^"]*"/, '');
      return `<w:lang${rest} w:eastAsia="en-US"/>`;
    });
  }
  // w:lang precedes w:eastAsianLayout, w:specVanish and w:oMath in CT_RPr.
  const after = /<w:(eastAsianLayout|specVanish|oMath)\b/.exec(rPr);
  if (after) return rPr.slice(0, after.index) + LANG_EN + rPr.slice(after.index);
  return rPr.replace(/<\/w:rPr>$/, `${LANG_EN}</w:rPr>`);
}

/**
 * Each run whose text holds a joined figure and unit split in three: before, the figure and unit
 * (in a run marked w:lang w:eastAsia="en-US"), after. Runs are matched whole: a run with anything
 * but one w:t (a tab, a break) is left as it is.
 */
export function isolateJoinedUnits(xml: string): string {
  if (!xml.includes(WJ)) return xml;
  return xml.replace(/<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t(?: xml:space="preserve")?>([^<]*)<\/w:t><\/w:r>/gs, (whole, rPr: string | undefined, text: string) => {
    if (!text.includes(WJ)) return whole;
    const parts: string[] = [];
    let last = 0;
    for (const m of text.matchAll(JOINED_UNIT)) {
      if (m.index > last) parts.push(run(rPr, text.slice(last, m.index)));
      parts.push(run(withLatinEastAsia(rPr), m[0]));
      last = m.index + m[0].length;
    }
    if (!parts.length) return whole;
    if (last < text.length) parts.push(run(rPr, text.slice(last)));
    return parts.join('');
  });
}

function run(rPr: string | undefined, text: string): string {
  return `<w:r>${rPr ?? ''}<w:t xml:space="preserve">${text}</w:t></w:r>`;
}
