/**
 * Loaded faces with their metrics (fontkit over the original file, so layout measures exactly
 * what will be embedded), and the choice of face for each character: Hanzi and full-width
 * punctuation from the eastAsia family, the rest from the Latin family, then any other loaded
 * face that has the glyph. A character no face has is reported, never dropped.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { FaceRef, FontReport, ResolveOptions } from './resolve.js';
import { FontResolver } from './resolve.js';

interface FkFont {
  unitsPerEm: number;
  postscriptName: string;
  ascent: number;
  descent: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number; id: number };
  getFont?(name: string): FkFont;
  fonts?: FkFont[];
}

export class Face {
  readonly used = new Set<number>();
  private readonly widths = new Map<number, number>();
  constructor(
    readonly id: string,
    readonly ref: FaceRef,
    private readonly font: FkFont,
  ) {}
  get postscript(): string {
    return this.font.postscriptName || this.ref.postscript || 'Font';
  }
  has(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }
  /** Advance in em. */
  advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      w = this.font.glyphForCodePoint(cp).advanceWidth / this.font.unitsPerEm;
      this.widths.set(cp, w);
    }
    return w;
  }
  get ascent(): number {
    return this.font.ascent / this.font.unitsPerEm;
  }
  get descent(): number {
    return this.font.descent / this.font.unitsPerEm;
  }
}

const fileCache = new Map<string, Buffer>();
const faceCache = new Map<string, FkFont>();

function openFace(ref: FaceRef): FkFont {
  const k = `${ref.file}#${ref.index}`;
  const hit = faceCache.get(k);
  if (hit) return hit;
  let buf = fileCache.get(ref.file);
  if (!buf) {
    buf = readFileSync(ref.file);
    fileCache.set(ref.file, buf);
  }
  const fk = fontkit as unknown as { create(b: ArrayBuffer, ps?: string): FkFont };
  const isCollection = buf.toString('latin1', 0, 4) === 'ttcf';
  // fontkit's bundled Buffer copies a Uint8Array byte by byte (150 ms for a 26 MB .ttc) but wraps an ArrayBuffer.
  const whole = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  let font = fk.create(whole as ArrayBuffer, isCollection ? ref.postscript : undefined);
  if (font.fonts && !('unitsPerEm' in font && font.unitsPerEm)) font = font.fonts[ref.index]!;
  faceCache.set(k, font);
  return font;
}

/** U+2018–U+201D, —, …, · are set in the Hanzi face, as Word does for zh-CN text. */
export function isEastAsian(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff) || cp === 0x2014 || cp === 0x2015 || cp === 0x2026 || (cp >= 0x2018 && cp <= 0x201d) || cp === 0x00b7 ||
    cp === 0x2025 || cp === 0x3000 || (cp >= 0x2460 && cp <= 0x24ff) || (cp >= 0x2160 && cp <= 0x217f)
  );
}

export interface MissingChar {
  char: string;
  where: string;
}

export class FontSet {
  readonly resolver: FontResolver;
  private readonly faces = new Map<string, Face>();
  private readonly byFamily = new Map<string, Face | undefined>();
  readonly reports = new Map<string, FontReport>();
  readonly missing: MissingChar[] = [];

  constructor(options: ResolveOptions = {}) {
    this.resolver = new FontResolver(options);
  }

  family(name: string, script: 'eastAsia' | 'latin'): Face | undefined {
    const k = `${script}:${name}`;
    if (this.byFamily.has(k)) return this.byFamily.get(k);
    const r = this.resolver.resolve(name, script);
    if (!this.reports.has(name)) this.reports.set(name, r.report);
    let face: Face | undefined;
    if (r.face) {
      const id = `${r.face.file}#${r.face.index}`;
      face = this.faces.get(id);
      if (!face) {
        try {
          face = new Face(id, r.face, openFace(r.face));
          this.faces.set(id, face);
        } catch {
          face = undefined;
        }
      }
    }
    this.byFamily.set(k, face);
    return face;
  }

  /** The face a character is drawn in, or undefined (reported) when no face has it. */
  pick(cp: number, latin: string, eastAsia: string, where: () => string): Face | undefined {
    const ea = isEastAsian(cp);
    const first = ea ? this.family(eastAsia, 'eastAsia') : this.family(latin, 'latin');
    if (first?.has(cp)) return first;
    const second = ea ? this.family(latin, 'latin') : this.family(eastAsia, 'eastAsia');
    if (second?.has(cp)) return second;
    for (const f of this.faces.values()) if (f.has(cp)) return f;
    // Last resort: the standard stand-ins, even if the document does not name them.
    for (const fam of ['宋体', '黑体', 'Times New Roman']) {
      const f = this.family(fam, fam === 'Times New Roman' ? 'latin' : 'eastAsia');
      if (f?.has(cp)) return f;
    }
    this.missing.push({ char: String.fromCodePoint(cp), where: where() });
    return first ?? second;
  }

  allFaces(): Face[] {
    return [...this.faces.values()];
  }
}
