/**
 * Chinese line-breaking rules (W3C clreq, GB/T 15834; shared/GBT9704.md): which characters may
 * not start or end a line (避头尾), which pairs never split (—— ……), and what counts as a Latin
 * word. Break opportunities are computed on clusters: a Hanzi, a punctuation mark, a Latin word
 * (letters, digits and the marks inside a number), or a doubled dash / ellipsis.
 */

/** Never at line start (zh-CN kinsoku list, as Word's and LibreOffice's default for Chinese). */
export const NO_START = new Set([
  ...'!%),.:;?]}¢°·’”†‡›℃∶、。〃〆〕〗〞﹚﹜！＂％＇），．：；？！］｝～〉》」』】〙〛︰︱︳︴︵︶︷︸︹︺︻︼︽︾︿﹀﹁﹂﹃﹄﹏､～￠々〻ヽヾゝゞ〜…‥',
]);
/** Never at line end. */
export const NO_END = new Set([...'$(£¥·‘“〈《「『【〔〖〝﹙﹛＄（．［｛￡￥〘〚([{']);
/** Marks that may hang past the right margin when w:overflowPunct is on. */
export const HANGABLE = new Set([...'，。、．,.：；！？:;!?']);
/** Drawn two Hanzi wide and never split between their halves. */
export const PAIRED = new Set(['—', '…']);

export function isHan(cp: number): boolean {
  return (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff);
}

/** Letters, digits and number-internal marks that join into one unbreakable Latin word. */
export function isWordChar(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return /[A-Za-z0-9.,%@#&_'\-+/:]/.test(ch);
  return /\p{L}|\p{N}/u.test(ch) && !isHan(cp) && !(cp >= 0x3000 && cp <= 0x30ff) && !(cp >= 0xff00 && cp <= 0xffef);
}

export function isLatinAlnum(ch: string): boolean {
  return /[A-Za-z0-9]/.test(ch);
}
