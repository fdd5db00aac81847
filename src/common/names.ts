/**
 * File and folder names come from applicants' data (简称, 类别). They must be valid on Windows,
 * where most packages are opened, and must never climb out of the output folder.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** UTF-8 bytes of a sanitised name (50 CJK characters), leaving room for suffixes. */
export const MAX_NAME_BYTES = 150;

export function safeName(raw: string, fallback = '未命名'): string {
  let s = raw
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  // ".." alone or leading dots would mean a parent or hidden folder.
  s = s.replace(/^\.+/, '').replace(/[. ]+$/, '');
  if (!s) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  // Keep well under the 255 limit of a name even with suffixes added (-材料汇编.pdf, .tmp):
  // 255 characters on Windows, but 255 bytes on Linux and macOS, where a CJK character takes 3.
  let chars = [...s].slice(0, 80);
  while (Buffer.byteLength(chars.join(''), 'utf8') > MAX_NAME_BYTES) chars.pop();
  // A cut may end on a dot or space, which Windows drops.
  return chars.join('').replace(/[. ]+$/, '') || fallback;
}
