/**
 * Just enough of the OpenType container to index a font folder quickly: the faces of a .ttc and
 * the names each face goes by (family, typographic family, full and PostScript names, in every
 * language the name table has, so 仿宋 and FangSong both match). Reads a few kilobytes per face
 * with positional reads instead of parsing whole 20 MB fonts.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface FaceNames {
  index: number;
  names: string[];
  postscript?: string;
  bold: boolean;
  italic: boolean;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n);
}

function decodeName(platform: number, bytes: Buffer): string {
  if (platform === 0 || platform === 3) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes.readUInt16BE(i));
    return s;
  }
  return bytes.toString('latin1');
}

function faceNames(fd: number, offset: number, index: number): FaceNames | undefined {
  const head = readAt(fd, offset, 12);
  if (head.length < 12) return undefined;
  const numTables = head.readUInt16BE(4);
  const dir = readAt(fd, offset + 12, numTables * 16);
  let nameOff = 0;
  let nameLen = 0;
  let os2Off = 0;
  for (let i = 0; i < numTables; i++) {
    const tag = dir.toString('latin1', i * 16, i * 16 + 4);
    if (tag === 'name') { nameOff = dir.readUInt32BE(i * 16 + 8); nameLen = dir.readUInt32BE(i * 16 + 12); }
    if (tag === 'OS/2') os2Off = dir.readUInt32BE(i * 16 + 8);
  }
  if (!nameOff) return undefined;
  const t = readAt(fd, nameOff, Math.min(nameLen, 1 << 16));
  const count = t.readUInt16BE(2);
  const strOff = t.readUInt16BE(4);
  const names = new Set<string>();
  let postscript: string | undefined;
  let subfamily = '';
  for (let i = 0; i < count; i++) {
    const r = 6 + i * 12;
    if (r + 12 > t.length) break;
    const platform = t.readUInt16BE(r);
    const nameId = t.readUInt16BE(r + 6);
    const len = t.readUInt16BE(r + 8);
    const off = t.readUInt16BE(r + 10);
    if (![1, 2, 4, 6, 16].includes(nameId) || platform === 1) continue;
    const s = decodeName(platform, t.subarray(strOff + off, strOff + off + len)).trim();
    if (!s) continue;
    if (nameId === 6) postscript ??= s;
    if (nameId === 2) { if (!subfamily) subfamily = s; continue; }
    names.add(s);
  }
  let bold = /bold|black|heavy/i.test(subfamily);
  if (os2Off) {
    const os2 = readAt(fd, os2Off + 4, 2);
    if (os2.length === 2 && os2.readUInt16BE(0) >= 700) bold = true;
  }
  return { index, names: [...names], postscript, bold, italic: /italic|oblique/i.test(subfamily) };
}

/** Faces of a .ttf / .otf / .ttc file; empty when the file is not an OpenType font. */
export function readFaces(path: string): FaceNames[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const head = readAt(fd, 0, 12);
    if (head.length < 12) return [];
    const tag = head.toString('latin1', 0, 4);
    if (tag === 'ttcf') {
      const n = head.readUInt32BE(8);
      const offs = readAt(fd, 12, n * 4);
      const out: FaceNames[] = [];
      for (let i = 0; i < n; i++) {
        const f = faceNames(fd, offs.readUInt32BE(i * 4), i);
        if (f) out.push(f);
      }
      return out;
    }
    if (tag === 'OTTO' || head.readUInt32BE(0) === 0x00010000 || tag === 'true') {
      const f = faceNames(fd, 0, 0);
      return f ? [f] : [];
    }
    return [];
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}
