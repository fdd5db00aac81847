/**
 * File and folder names come from applicants' data (简称, 类别). They must be valid on Windows,
 * where most packages are opened, and must never climb out of the output folder.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

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
  // Keep well under Windows' 255-character component limit even with suffixes added.
  return [...s].slice(0, 80).join('');
}

export function packageName(shortName: string, categoryShort: string): string {
  return safeName(`${shortName}-${categoryShort}`);
}
