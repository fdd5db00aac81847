import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, type PDFRef } from 'pdf-lib';

export interface CombinePart {
  /** Bookmark title, e.g. 01 申报函; none for front matter. */
  title?: string;
  bytes: Uint8Array;
  /**
   * Blank pages after the part, so that the next one starts on a right-hand (odd) page when
   * printed double-sided (GB/T 9704 7.5: the blank page carries no number).
   */
  blankPagesAfter?: number;
}

export interface CombineOptions {
  title: string;
  author: string;
  /** From the data (the letter's date), never the clock: same input, same bytes. */
  date: Date;
}

export interface CombinedPdf {
  bytes: Uint8Array;
  pages: number;
  /** First page (1-based) of each part in the combined file. */
  starts: number[];
}

/**
 * Concatenates PDFs and adds one bookmark per part. pdf-lib has no outline API and copyPages
 * drops the parts' own outlines, so the /Outlines tree is built from low-level objects.
 */
export async function combinePdfs(parts: CombinePart[], options: CombineOptions): Promise<CombinedPdf> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const starts: number[] = [];
  for (const part of parts) {
    const src = await PDFDocument.load(part.bytes, { updateMetadata: false });
    starts.push(out.getPageCount() + 1);
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
    const last = pages[pages.length - 1];
    for (let i = 0; i < (part.blankPagesAfter ?? 0); i++) {
      const { width, height } = last ? last.getSize() : { width: 595.28, height: 841.89 };
      out.addPage([width, height]);
    }
  }
  addOutline(
    out,
    parts.flatMap((p, i) => (p.title ? [{ title: p.title, pageIndex: starts[i]! - 1 }] : [])),
  );
  out.setTitle(options.title, { showInWindowTitleBar: true });
  out.setAuthor(options.author);
  out.setCreator('shenbao');
  out.setProducer('shenbao (pdf-lib)');
  out.setCreationDate(options.date);
  out.setModificationDate(options.date);
  const bytes = await out.save({ useObjectStreams: false });
  return { bytes, pages: out.getPageCount(), starts };
}

export function addOutline(doc: PDFDocument, entries: { title: string; pageIndex: number }[]): void {
  if (entries.length === 0) return;
  const ctx = doc.context;
  const rootRef = ctx.nextRef();
  const refs: PDFRef[] = entries.map(() => ctx.nextRef());
  const pages = doc.getPages();
  entries.forEach((e, i) => {
    const dest = PDFArray.withContext(ctx);
    dest.push(pages[e.pageIndex]!.ref);
    dest.push(PDFName.of('XYZ'));
    dest.push(PDFNull);
    dest.push(PDFNull);
    dest.push(PDFNull);
    const item = PDFDict.withContext(ctx);
    item.set(PDFName.of('Title'), PDFHexString.fromText(e.title));
    item.set(PDFName.of('Parent'), rootRef);
    item.set(PDFName.of('Dest'), dest);
    if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
    if (i < entries.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
    ctx.assign(refs[i]!, item);
  });
  const root = PDFDict.withContext(ctx);
  root.set(PDFName.of('Type'), PDFName.of('Outlines'));
  root.set(PDFName.of('First'), refs[0]!);
  root.set(PDFName.of('Last'), refs[refs.length - 1]!);
  root.set(PDFName.of('Count'), PDFNumber.of(entries.length));
  ctx.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** Bookmark titles of a PDF (top level), for tests and the manifest. */
export async function readOutlineTitles(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const titles: string[] = [];
  let item = outlines?.lookupMaybe(PDFName.of('First'), PDFDict);
  let guard = 0;
  while (item && guard++ < 10_000) {
    const t = item.lookup(PDFName.of('Title'));
    titles.push(t instanceof PDFHexString ? t.decodeText() : String(t));
    item = item.lookupMaybe(PDFName.of('Next'), PDFDict);
  }
  return titles;
}
