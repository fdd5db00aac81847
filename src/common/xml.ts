/**
 * Characters XML 1.0 forbids (C0 controls but tab, CR, LF; U+FFFE/FFFF; lone surrogates). One
 * of them in a value makes a DOCX that Word calls corrupt, so validation warns where it is typed
 * and the DOCX stage removes it.
 */
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The forbidden characters of a string, as U+XXXX codes for a message. */
export function xmlInvalidCodes(s: string): string[] {
  const found = new Set<string>();
  for (const m of s.matchAll(XML_INVALID)) found.add(`U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  const codes = [...found];
  return codes.length > 5 ? [...codes.slice(0, 5), `等 ${codes.length} 种`] : codes;
}
