/**
 * Laid-out pages → PDF bytes with pdf-lib. Each face is subset by HarfBuzz to the characters the
 * document uses and embedded whole (pdf-lib's own subsetting drops CJK glyphs), under a subset tag
 * derived from its content so identical input gives identical bytes. Text is drawn glyph by glyph
 * positions in one TJ per line and font run; ToUnicode comes from the embedded cmap. The outline
 * is built from low-level objects (pdf-lib has no API for it).
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFArray, PDFDict, PDFDocument, PDFFont, PDFHeader, PDFHexString, PDFRawStream, PDFName, PDFNumber, PDFRef, PDFString, numberToString, toHexStringOfMinLength,
} from 'pdf-lib';
import { memoDeflate } from '../../common/deflate-cache.js';
import type { CoreProps } from '../docx/model.js';
import type { Face } from '../fonts/face.js';
import { subsetFace } from '../fonts/harfbuzz.js';
import type { LayoutResult, OutlineEntry } from '../layout/types.js';

const ZLIB = `zlib-${process.versions.zlib}-default`;

function tagFor(bytes: Uint8Array): string {
  const h = createHash('sha256').update(bytes).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (h[i]! % 26));
  return tag;
}

function hexColor(c: string): [number, number, number] {
  const n = parseInt(c.padStart(6, '0').slice(0, 6), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
/** A number as pdf-lib prints it (PDFNumber): never in exponent notation. */
const num = (n: number): string => {
  const s = String(n);
  return s.includes('e') ? numberToString(n) : s;
};

export interface WriteOptions {
  core: CoreProps;
  /** Extra characters per face that only fields produce (page numbers). */
  faces: Face[];
}

export async function writePdf(layout: LayoutResult, options: WriteOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Node's zlib instead of pako for the embedded fonts: the same kind of stream, several times
  // faster; a font subset deflated before (the same document again) is not deflated again.
  doc.context.flateStream = (contents, dict = {}) =>
    doc.context.stream(memoDeflate(ZLIB, typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents, (b) => deflateSync(b)), { ...dict, Filter: 'FlateDecode' });
  doc.registerFontkit(fontkit);
  const { core } = options;
  const epoch = new Date(0);
  if (core.title) doc.setTitle(core.title, { showInWindowTitleBar: true });
  if (core.creator) doc.setAuthor(core.creator);
  if (core.subject) doc.setSubject(core.subject);
  if (core.keywords) doc.setKeywords([core.keywords]);
  doc.setCreator('shenbao');
  doc.setProducer('shenbao (pdf-lib)');
  doc.setCreationDate(core.created ?? core.modified ?? epoch);
  doc.setModificationDate(core.modified ?? core.created ?? epoch);
  doc.setLanguage('zh-CN');

  // Characters each face draws, including page numbers.
  const used = new Map<Face, Set<number>>();
  for (const page of layout.pages)
    for (const it of page.items)
      // A character no face has (reported as pdf.glyph-missing by the layout) is left blank.
      if (it.kind === 'text') for (const g of it.glyphs) if (g.face?.has(g.cp)) (used.get(g.face) ?? used.set(g.face, new Set()).get(g.face)!).add(g.cp);
  const embedded = new Map<Face, PDFFont>();
  // All subsets asked for at once: the font files a cache miss needs are read side by side.
  const inUse = options.faces.filter((face) => used.get(face)?.size);
  const subsets = await Promise.all(inUse.map((face) => subsetFace(face.ref.file, face.ref.index, [...used.get(face)!].sort((a, b) => a - b))));
  for (const [i, face] of inUse.entries()) {
    const bytes = subsets[i]!;
    const font = await doc.embedFont(bytes, { subset: false, customName: `${tagFor(bytes)}+${face.postscript}` });
    embedded.set(face, font);
  }

  // The glyph for a character: the subset keeps no layout features, so a character is always the
  // glyph its cmap maps it to (what pdf-lib's encodeText finds by running fontkit's shaper).
  type FkFont = { glyphForCodePoint(cp: number): { id: number } };
  const codes = new Map<PDFFont, { fk: FkFont; hex: Map<number, string> }>();
  const encode = (font: PDFFont, cp: number): string => {
    let m = codes.get(font);
    if (!m) {
      const fk = (font as unknown as { embedder: { font: FkFont } }).embedder.font;
      // fontkit's shaper looks up the space glyph on every run (hideDefaultIgnorables), which
      // fixes what ToUnicode says for .notdef (a subset without a space: <0000> → U+0020);
      // the same lookup keeps that mapping, and the bytes, as they were.
      fk.glyphForCodePoint(0x20);
      codes.set(font, (m = { fk, hex: new Map() }));
    }
    let hex = m.hex.get(cp);
    if (hex === undefined) m.hex.set(cp, (hex = `<${toHexStringOfMinLength(m.fk.glyphForCodePoint(cp).id, 4)}>`));
    return hex;
  };

  // Content streams written as text, the way pdf-lib prints its operators, and deflated by zlib.
  const pageRefs: PDFRef[] = [];
  for (const p of layout.pages) {
    const page = doc.addPage([layout.width, layout.height]);
    pageRefs.push(page.ref);
    const keys = new Map<PDFFont, string>();
    let out = '';
    for (const it of p.items) {
      if (it.kind === 'rule') {
        const [r, g, b] = hexColor(it.color);
        out += `q\n${num(it.width)} w\n${num(r)} ${num(g)} ${num(b)} RG\n${num(it.x1)} ${num(layout.height - it.y1)} m\n${num(it.x2)} ${num(layout.height - it.y2)} l\nS\nQ\n`;
        continue;
      }
      // Runs of glyphs in one font, size and colour.
      let i = 0;
      const idx: number[] = [];
      it.glyphs.forEach((g, k) => {
        if (g.ch !== ' ' && g.face && embedded.has(g.face) && g.face.has(g.cp)) idx.push(k);
      });
      const gs = idx.map((k) => it.glyphs[k]!);
      const xs = idx.map((k) => it.xs[k]!);
      while (i < gs.length) {
        const g0 = gs[i]!;
        const font = embedded.get(g0.face!)!;
        let j = i + 1;
        while (j < gs.length && gs[j]!.face === g0.face && gs[j]!.size === g0.size && gs[j]!.color === g0.color) j++;
        let key = keys.get(font);
        if (!key) {
          key = page.node.newFontDictionary(font.name, font.ref).toString();
          keys.set(font, key);
        }
        let arr = '[ ';
        for (let k = i; k < j; k++) {
          const g = gs[k]!;
          arr += encode(font, g.cp) + ' ';
          if (k + 1 < j) {
            const natural = xs[k]! + g.face!.advance(g.cp) * g.size;
            const adj = -((xs[k + 1]! - natural) * 1000) / g.size;
            if (Math.abs(adj) > 0.001) arr += num(Math.round(adj * 1000) / 1000) + ' ';
          }
        }
        const [r, gg, b] = hexColor(g0.color);
        out += `BT\n${num(r)} ${num(gg)} ${num(b)} rg\n${key} ${num(g0.size)} Tf\n1 0 0 1 ${num(round3(it.x + xs[i]!))} ${num(round3(layout.height - it.y))} Tm\n${arr}] TJ\nET\n`;
        i = j;
      }
    }
    page.node.addContentStream(doc.context.register(doc.context.flateStream(out)));
  }
  buildOutline(doc, layout.outline, pageRefs, layout.height);
  await doc.flush();
  labelOpenTypeFontFiles(doc);
  return doc.save({ useObjectStreams: false });
}

/**
 * pdf-lib embeds a CFF-flavoured OpenType font whole but labels the stream /CIDFontType0C (bare
 * CFF), so poppler warns "Mismatch between font type and embedded font file". The stream is an
 * OpenType file: PDF 1.6 names that /FontFile3 /Subtype /OpenType.
 */
function labelOpenTypeFontFiles(doc: PDFDocument): void {
  const ctx = doc.context;
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Subtype')) !== PDFName.of('CIDFontType2')) continue;
    const descriptor = ctx.lookup(obj.get(PDFName.of('FontDescriptor')));
    if (!(descriptor instanceof PDFDict)) continue;
    const fileRef = descriptor.get(PDFName.of('FontFile2'));
    const file = ctx.lookup(fileRef);
    if (!(file instanceof PDFRawStream) || !isCffOpenType(file)) continue;
    obj.set(PDFName.of('Subtype'), PDFName.of('CIDFontType0'));
    obj.delete(PDFName.of('CIDToGIDMap'));
    descriptor.delete(PDFName.of('FontFile2'));
    descriptor.set(PDFName.of('FontFile3'), fileRef!);
    file.dict.set(PDFName.of('Subtype'), PDFName.of('OpenType'));
  }
  if (Number(/1\.(\d)/.exec(ctx.header.toString())?.[1] ?? 7) < 6) ctx.header = PDFHeader.forVersion(1, 7);
}

function isCffOpenType(stream: PDFRawStream): boolean {
  let bytes = stream.contents;
  if (stream.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode')) bytes = inflateSync(bytes);
  return bytes[0] === 0x4f && bytes[1] === 0x54 && bytes[2] === 0x54 && bytes[3] === 0x4f; // OTTO
}

function buildOutline(doc: PDFDocument, entries: OutlineEntry[], pages: PDFRef[], pageHeight: number): void {
  if (!entries.length) return;
  const ctx = doc.context;
  interface Node { entry?: OutlineEntry; ref: PDFRef; dict: PDFDict; children: Node[]; level: number }
  const rootRef = ctx.nextRef();
  const root: Node = { ref: rootRef, dict: ctx.obj({ Type: 'Outlines' }) as PDFDict, children: [], level: -1 };
  const stack: Node[] = [root];
  for (const e of entries) {
    while (stack.length > 1 && stack[stack.length - 1]!.level >= e.level) stack.pop();
    const parent = stack[stack.length - 1]!;
    const dest = ctx.obj([pages[e.page - 1]!, PDFName.of('XYZ'), 0, pageHeight - e.y, 0]) as PDFArray;
    const node: Node = { entry: e, ref: ctx.nextRef(), dict: ctx.obj({ Title: PDFHexString.fromText(e.title), Parent: parent.ref, Dest: dest }) as PDFDict, children: [], level: e.level };
    parent.children.push(node);
    stack.push(node);
  }
  const count = (n: Node): number => n.children.reduce((s, c) => s + 1 + count(c), 0);
  const link = (n: Node): void => {
    if (n.children.length) {
      n.dict.set(PDFName.of('First'), n.children[0]!.ref);
      n.dict.set(PDFName.of('Last'), n.children[n.children.length - 1]!.ref);
      n.dict.set(PDFName.of('Count'), PDFNumber.of(n === root ? count(n) : count(n)));
    }
    n.children.forEach((c, i) => {
      if (i > 0) c.dict.set(PDFName.of('Prev'), n.children[i - 1]!.ref);
      if (i + 1 < n.children.length) c.dict.set(PDFName.of('Next'), n.children[i + 1]!.ref);
      link(c);
    });
    ctx.assign(n.ref, n.dict);
  };
  link(root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  void PDFString;
}
