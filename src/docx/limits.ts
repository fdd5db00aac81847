import { inflateRawSync } from 'node:zlib';

/**
 * Limits on a template (shipped ones are under 30 KB inflated; a Word re-save with its styles,
 * theme and font table stays under 1 MB of XML). A customised template is the user's file, and
 * may be anybody's: a 159 KB template inflating to 50 MB of paragraphs would exhaust memory in
 * docxtemplater before any other check ran.
 */
export const TEMPLATE_LIMITS = {
  /** The .docx file itself (images included). */
  fileBytes: 20 * 1024 * 1024,
  /** All XML parts inflated. */
  xmlBytes: 8 * 1024 * 1024,
  /** Elements over all XML parts. */
  xmlNodes: 400_000,
  /** Zip entries. */
  entries: 2_000,
  /** Loops inside loops: the shipped templates use two; each level multiplies the output. */
  loopDepth: 4,
  /** Tag evaluations during one render (the shipped documents need a few hundred). */
  evaluations: 200_000,
  /** Characters a render may produce, estimated as it goes (values placed, loop bodies repeated). */
  outputChars: 20_000_000,
};

export class TemplateLimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Checks a template zip's parts against the limits by reading its central directory and
 * inflating each XML part with a hard output cap, so a part that lies about its size is caught
 * when its output passes the cap, not after it filled memory. Returns why it is refused, or
 * undefined. A zip this cannot read is left to the DOCX check that follows.
 */
export function templateLimitProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length > TEMPLATE_LIMITS.fileBytes) return `文件大小超过 ${MB(TEMPLATE_LIMITS.fileBytes)} 上限`;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  if (count > TEMPLATE_LIMITS.entries) return `压缩包中有 ${count} 个部件，超过 ${TEMPLATE_LIMITS.entries} 个的上限`;
  let at = buf.readUInt32LE(eocd + 16);
  let xml = 0;
  let nodes = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return undefined;
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (!/\.(xml|rels)$/i.test(name)) continue;
    if (local + 30 > buf.length) return undefined;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    const room = TEMPLATE_LIMITS.xmlBytes - xml;
    let part: Buffer;
    try {
      part = method === 0 ? data : inflateRawSync(data, { maxOutputLength: room + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return `解压后的 XML 超过 ${MB(TEMPLATE_LIMITS.xmlBytes)} 上限（${name}）`;
      return undefined;
    }
    xml += part.length;
    if (xml > TEMPLATE_LIMITS.xmlBytes) return `解压后的 XML 超过 ${MB(TEMPLATE_LIMITS.xmlBytes)} 上限（${name}）`;
    for (let j = part.indexOf(0x3c); j >= 0; j = part.indexOf(0x3c, j + 1)) {
      if (part[j + 1] !== 0x2f && ++nodes > TEMPLATE_LIMITS.xmlNodes) return `XML 元素超过 ${TEMPLATE_LIMITS.xmlNodes / 10_000} 万个的上限（${name}）`;
    }
  }
  return undefined;
}

interface Part {
  type?: string;
  value?: string;
  module?: string;
  subparsed?: Part[];
}

/** The deepest nesting of loops in a docxtemplater tag tree, and the loop where it is reached. */
export function loopDepth(parts: Part[] | undefined): { depth: number; tag?: string } {
  let best: { depth: number; tag?: string } = { depth: 0 };
  for (const p of parts ?? []) {
    if (!p.subparsed) continue;
    const inner = loopDepth(p.subparsed);
    const d = inner.depth + (p.module === 'loop' ? 1 : 0);
    if (d > best.depth) best = { depth: d, tag: inner.tag ?? p.value };
  }
  return best;
}

/** Characters a loop body adds per iteration, not counting loops nested in it (they charge their own). */
export function bodySize(parts: Part[] | undefined): number {
  let n = 0;
  for (const p of parts ?? []) {
    if (p.module === 'loop') continue;
    if (typeof p.value === 'string') n += p.value.length;
    if (p.subparsed) n += bodySize(p.subparsed);
  }
  return n;
}
