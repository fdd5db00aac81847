/**
 * Shared by the PDF tests and the bench: the example documents as DOCX bytes (the same pipeline as
 * `shenbao render`: validateFile → evaluate → renderDocuments), and what poppler reads back from a
 * PDF (text lines per page, line boxes, fonts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import PizZip from 'pizzip';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocuments } from '../../src/docx/render.js';
import { evaluate } from '../../src/evaluate/index.js';
import { validateFile } from '../../src/schema/validate.js';
import { renderPdf, type RenderPdfResult } from '../../src/pdf/index.js';
import { convertWithLibreOffice, findSoffice } from '../../src/pdf/libreoffice.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ExampleDoc {
  /** e.g. caohejing-pilot-park/plan: stable, ASCII, usable as a file name with the slash replaced. */
  id: string;
  example: string;
  materialId: string;
  fileName: string;
  bytes: Buffer;
}

/** Every document of every examples/*.yaml, in file-name then round order. */
export async function exampleDocs(): Promise<ExampleDoc[]> {
  const out: ExampleDoc[] = [];
  for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml')).sort()) {
    const v = await validateFile(join(EXAMPLES, f));
    if (!v.ok) throw new Error(`${f}: ${v.diagnostics.map((d) => d.message).join('; ')}`);
    const evaluation = evaluate(v.applicant, v.program, v.category, v.catalogue);
    const r = renderDocuments({ ...v, evaluation });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new Error(`${f}: ${errors.map((d) => d.message).join('; ')}`);
    const example = f.replace(/\.yaml$/, '');
    for (const file of r.files) out.push({ id: `${example}/${file.materialId}`, example, materialId: file.materialId, fileName: file.fileName, bytes: file.bytes });
  }
  return out;
}

export const MM = 72 / 25.4;

/**
 * poppler-utils (pdftotext, pdftoppm, pdffonts) measure a PDF's geometry in the layout tests. A
 * machine without them (a fresh clone with only Node) skips those tests and says why, once.
 */
export const hasPoppler = ((): boolean => {
  const ok = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0;
  if (!ok) console.warn('跳过版面几何测试：未安装 poppler-utils（pdftotext、pdftoppm、pdffonts）；在 Debian 上 apt-get install poppler-utils');
  return ok;
})();

/**
 * A mark hanging past the right margin (w:overflowPunct): LibreOffice 7.4 lays the line out with
 * it but does not paint it (seen in its PDF and its PNG), so a line's trailing hangable mark is
 * not compared.
 */
const HANGING_END = /[，。、．,.：；！？:;!?]$/u;

/**
 * Text lines of each page as `pdftotext -layout` prints them, whitespace removed: justification
 * turns the same line into different runs of spaces in different engines, and Chinese text has no
 * word spaces to lose. Empty lines are dropped.
 */
export function layoutText(pdf: string): string[][] {
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const pages = text.split('\f');
  if (pages.length && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages.map((p) => p.split('\n').map((l) => l.replace(/\s+/g, '').replace(HANGING_END, '')).filter(Boolean));
}

/** Length of the longest common subsequence of two line lists. */
export function lcs(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[b.length]!;
}

export interface LineAgreement {
  /** Lines in common, in order, summed page by page. */
  common: number;
  native: number;
  reference: number;
  /** common / max(native, reference): a line counts only if it is identical and on the same page in the same order. */
  ratio: number;
  /** Lines of the native PDF that LibreOffice does not have (page, text), for the failure message. */
  differing: { page: number; text: string }[];
}

/**
 * How many text lines two renderings share. Page by page (so a line pushed to the next page is a
 * difference), the longest common subsequence of the pages' lines (so order matters and one
 * re-broken paragraph costs only its own lines), divided by the longer document's line count (so
 * neither dropping nor adding lines can raise the ratio).
 */
export function lineAgreement(native: string[][], reference: string[][]): LineAgreement {
  let common = 0;
  const differing: { page: number; text: string }[] = [];
  const n = Math.max(native.length, reference.length);
  for (let p = 0; p < n; p++) {
    const a = native[p] ?? [];
    const b = reference[p] ?? [];
    common += lcs(a, b);
    const set = new Set(b);
    for (const l of a) if (!set.has(l)) differing.push({ page: p + 1, text: l });
  }
  const na = native.reduce((s, p) => s + p.length, 0);
  const nb = reference.reduce((s, p) => s + p.length, 0);
  return { common, native: na, reference: nb, ratio: common / Math.max(1, na, nb), differing };
}

export interface BoxWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
export interface BoxLine {
  page: number;
  text: string;
  words: BoxWord[];
  /** Points from the page's top-left (pdftotext reports points). */
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Line boxes of a PDF as `pdftotext -bbox-layout` sees them; text joins the words without spaces. */
export function boxLines(pdf: string): { pages: number; lines: BoxLine[]; pageSize: { width: number; height: number } } {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines: BoxLine[] = [];
  let page = 0;
  let pageSize = { width: 0, height: 0 };
  for (const chunk of html.split(/<page /).slice(1)) {
    page++;
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(chunk);
    if (size) pageSize = { width: +size[1]!, height: +size[2]! };
    for (const m of chunk.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...m[5]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
        text: decode(w[5]!),
        xMin: +w[1]!,
        yMin: +w[2]!,
        xMax: +w[3]!,
        yMax: +w[4]!,
      }));
      lines.push({ page, text: words.map((w) => w.text).join(''), words, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]! });
    }
  }
  return { pages: page, lines, pageSize };
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export interface PdfFontRow {
  name: string;
  type: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}

/** `pdffonts` rows, and whatever poppler printed on stderr (it must be nothing). */
export function pdfFonts(pdf: string): { fonts: PdfFontRow[]; stderr: string } {
  const r = spawn('pdffonts', [pdf]);
  const rows = r.stdout.split('\n').slice(2).filter((l) => l.trim());
  const fonts = rows.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type... encoding emb sub uni object ID (the type and encoding may have spaces).
    const [emb, sub, uni] = cols.slice(-5, -2);
    return { name: cols[0]!, type: l.slice(37, 54).trim(), emb: emb === 'yes', sub: sub === 'yes', uni: uni === 'yes' };
  });
  return { fonts, stderr: r.stderr };
}

export function spawn(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** One page of a PDF rasterised by poppler (pdftoppm, PPM), for reading drawn rules and colours back. */
export interface Raster {
  width: number;
  height: number;
  dpi: number;
  rgb: Uint8Array;
}

export function raster(pdf: string, page: number, dpi: number): Raster {
  const out = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), pdf], { maxBuffer: 512 << 20 });
  // P6 <w> <h> <max>\n then RGB bytes.
  let i = 0;
  const fields: string[] = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(out[i]!))) i++;
    let j = i;
    while (!/\s/.test(String.fromCharCode(out[j]!))) j++;
    fields.push(out.subarray(i, j).toString('latin1'));
    i = j;
  }
  return { width: +fields[1]!, height: +fields[2]!, dpi, rgb: new Uint8Array(out.subarray(i + 1)) };
}

export type PixelTest = (r: number, g: number, b: number) => boolean;
export const RED: PixelTest = (r, g, b) => r > 150 && g < 120 && b < 120;
export const DARK: PixelTest = (r, g, b) => r < 110 && g < 110 && b < 110;

/** Runs of matching pixels down the column at x (points): [top, height] in points. */
export function columnRuns(img: Raster, xPt: number, test: PixelTest, from = 0, to = Infinity): [number, number][] {
  const s = 72 / img.dpi;
  const x = Math.round(xPt / s);
  const runs: [number, number][] = [];
  let start = -1;
  const y0 = Math.max(0, Math.floor(from / s));
  const y1 = Math.min(img.height, Math.ceil(to / s));
  for (let y = y0; y <= y1; y++) {
    const o = (y * img.width + x) * 3;
    const hit = y < y1 && test(img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!);
    if (hit && start < 0) start = y;
    if (!hit && start >= 0) {
      runs.push([start * s, (y - start) * s]);
      start = -1;
    }
  }
  return runs;
}

/** Leftmost and rightmost matching pixel along the row at y (points), as [x0, x1] in points. */
export function rowExtent(img: Raster, yPt: number, test: PixelTest): [number, number] | undefined {
  const s = 72 / img.dpi;
  const y = Math.round(yPt / s);
  let first = -1;
  let last = -1;
  for (let x = 0; x < img.width; x++) {
    const o = (y * img.width + x) * 3;
    if (test(img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!)) {
      if (first < 0) first = x;
      last = x;
    }
  }
  return first < 0 ? undefined : [first * s, (last + 1) * s];
}

/** Count of matching pixels inside a box (points). */
export function countPixels(img: Raster, box: { xMin: number; yMin: number; xMax: number; yMax: number }, test: PixelTest): number {
  const s = 72 / img.dpi;
  let n = 0;
  for (let y = Math.floor(box.yMin / s); y < Math.ceil(box.yMax / s); y++)
    for (let x = Math.floor(box.xMin / s); x < Math.ceil(box.xMax / s); x++) {
      const o = (y * img.width + x) * 3;
      if (test(img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!)) n++;
    }
  return n;
}

/** An example DOCX with its body replaced by the given block XML, and its section properties edited. */
export function withBody(bytes: Buffer, blocks: string, sect?: (sectPr: string) => string): Buffer {
  const zip = new PizZip(bytes);
  const xml = zip.file('word/document.xml')!.asText();
  const start = xml.indexOf('<w:body>') + '<w:body>'.length;
  let tail = xml.slice(xml.lastIndexOf('<w:sectPr'));
  if (sect) tail = tail.replace(/<w:sectPr[\s\S]*<\/w:sectPr>/, (m) => sect(m));
  zip.file('word/document.xml', xml.slice(0, start) + blocks + tail);
  // A letter's first page holds the 版头 as template tags; a case with its own body gets the plain
  // header and an empty footer there, so only what the case draws is on its page 1.
  const header = zip.file('word/header1.xml')?.asText();
  if (header && zip.file('word/header3.xml')) zip.file('word/header3.xml', header);
  const footer = zip.file('word/footer3.xml')?.asText();
  if (footer) zip.file('word/footer3.xml', footer.replace(/<w:p>[\s\S]*<\/w:p>/, '<w:p><w:pPr><w:pStyle w:val="PageNumberOdd"/></w:pPr></w:p>'));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * A fontconfig setup (for FONTCONFIG_FILE) that gives LibreOffice exactly the font files our
 * engine resolved, under the family names the DOCX asks for: each file is linked into one
 * folder, the only folder fontconfig scans, and each requested family (仿宋_GB2312, 黑体,
 * Times New Roman, …) is rewritten to the family, style and weight of the face our engine drew
 * it with. So the comparison of the two PDFs does not depend on what the machine has installed.
 */
export function libreOfficeFonts(reports: Iterable<FontReportLike>, dir: string): { file: string; families: Map<string, string> } {
  const fontsDir = join(dir, 'fonts');
  const cacheDir = join(dir, 'cache');
  mkdirSync(fontsDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  const families = new Map<string, string>();
  const rules: string[] = [];
  const linked = new Map<string, string>();
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  for (const r of reports) {
    if (!r.file || families.has(r.requested)) continue;
    let link = linked.get(r.file);
    if (!link) {
      link = join(fontsDir, `${linked.size}-${basename(r.file)}`);
      // LibreOffice does not load a face through a symbolic link (it falls back to whatever has
      // the glyphs): a hard link, or a copy across file systems.
      if (!existsSync(link)) {
        try {
          linkSync(r.file, link);
        } catch {
          copyFileSync(r.file, link);
        }
      }
      linked.set(r.file, link);
    }
    // The face inside the file (a .ttc holds several): the one whose PostScript name our engine reported.
    const faces = execFileSync('fc-scan', ['--format', '%{index}\t%{family[0]}\t%{style[0]}\t%{weight}\t%{postscriptname}\n', r.file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
    const face = faces.find((f) => f[4] === r.face) ?? faces[0];
    if (!face) continue;
    const [, family, style, weight] = face;
    families.set(r.requested, `${family} ${style}`);
    rules.push(
      `<match target="pattern"><test name="family" compare="eq" ignore-blanks="true"><string>${esc(r.requested)}</string></test>` +
        `<edit name="family" mode="assign" binding="strong"><string>${esc(family!)}</string></edit>` +
        `<edit name="style" mode="assign" binding="strong"><string>${esc(style!)}</string></edit>` +
        `<edit name="weight" mode="assign" binding="strong"><int>${Number(weight)}</int></edit></match>`,
    );
  }
  const file = join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n<dir>${esc(fontsDir)}</dir>\n<cachedir>${esc(cacheDir)}</cachedir>\n${rules.join('\n')}\n</fontconfig>\n`,
  );
  return { file, families };
}

export interface FontReportLike {
  requested: string;
  file?: string;
  face?: string;
}

/** Runs fn with FONTCONFIG_FILE set (LibreOffice started inside it sees only those fonts). */
export async function withFontconfig<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.FONTCONFIG_FILE;
  process.env.FONTCONFIG_FILE = file;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.FONTCONFIG_FILE;
    else process.env.FONTCONFIG_FILE = saved;
  }
}

export interface RenderedCases {
  /** Our PDF of each case: its file in `work`, and what renderPdf returned. */
  native: Record<string, { file: string; result: RenderPdfResult }>;
  /** LibreOffice's PDF of the cases asked for, where soffice is installed. */
  lo: Record<string, string>;
}

/**
 * The engine tests' setup: every DOCX case rendered by our engine into `work`, and the cases named
 * in `withLibreOffice` also by LibreOffice (in one soffice call), for side-by-side assertions.
 */
export async function renderCases(cases: Record<string, Uint8Array>, work: string, withLibreOffice: string[]): Promise<RenderedCases> {
  const native: RenderedCases['native'] = {};
  const lo: RenderedCases['lo'] = {};
  for (const [name, bytes] of Object.entries(cases)) {
    const result = await renderPdf(bytes);
    const file = join(work, `${name}.native.pdf`);
    writeFileSync(file, result.bytes);
    writeFileSync(join(work, `${name}.docx`), bytes);
    native[name] = { file, result };
  }
  if (findSoffice() && withLibreOffice.length) {
    const pdfs = await convertWithLibreOffice(withLibreOffice.map((n) => join(work, `${n}.docx`)), work, { timeoutMs: 300_000 });
    pdfs.forEach((p, i) => (lo[withLibreOffice[i]!] = p));
  }
  return { native, lo };
}
