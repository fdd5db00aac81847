/**
 * The XML of a DOCX part as a small element tree: what the reader asks of it (children in order,
 * attributes by qualified name or by namespace, text content), built by a single-pass parser
 * that is several times faster than @xmldom/xmldom on the parts Word, WPS, LibreOffice and
 * docxtemplater write. Anything it is not sure about (a DOCTYPE, an unknown entity, a bare &, a
 * stray < in an attribute, mismatched tags, an unbound prefix) sends the whole part to xmldom,
 * so malformed input is read exactly as before; the tree is then copied from xmldom's DOM.
 */
import { DOMParser } from '@xmldom/xmldom';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface XAttr {
  /** Qualified name as written, e.g. w:val. */
  q: string;
  local: string;
  ns: string | null;
  value: string;
}

export class XText {
  readonly nodeType = 3;
  nextSibling: XNode | null = null;
  constructor(readonly data: string) {}
  get textContent(): string {
    return this.data;
  }
}

export class XElement {
  readonly nodeType = 1;
  firstChild: XNode | null = null;
  lastChild: XNode | null = null;
  nextSibling: XNode | null = null;
  constructor(
    readonly tagName: string,
    readonly localName: string,
    readonly attrs: XAttr[],
  ) {}

  append(n: XNode): void {
    if (this.lastChild) this.lastChild.nextSibling = n;
    else this.firstChild = n;
    this.lastChild = n;
  }
  getAttribute(q: string): string | null {
    for (const a of this.attrs) if (a.q === q) return a.value;
    return null;
  }
  getAttributeNS(ns: string, local: string): string | null {
    for (const a of this.attrs) if (a.local === local && a.ns === ns) return a.value;
    return null;
  }
  getAttributeNode(q: string): XAttr | null {
    for (const a of this.attrs) if (a.q === q) return a;
    return null;
  }
  get textContent(): string {
    let s = '';
    for (let n = this.firstChild; n; n = n.nextSibling) s += n.textContent;
    return s;
  }
  getElementsByTagName(name: string): XElement[] {
    const out: XElement[] = [];
    const walk = (e: XElement): void => {
      for (let n = e.firstChild; n; n = n.nextSibling) {
        if (n.nodeType !== 1) continue;
        if (n.tagName === name) out.push(n);
        walk(n);
      }
    };
    walk(this);
    return out;
  }
}

export type XNode = XElement | XText;

export interface XDocument {
  documentElement: XElement | null;
  getElementsByTagName(name: string): XElement[];
}

class Fallback extends Error {}

/** Line ends as XML 1.1 reads them (xmldom's normalizeLineEndings). */
function normalizeLineEndings(s: string): string {
  return s.replace(/\r[\n\u0085]/g, '\n').replace(/[\r\u0085\u2028\u2029]/g, '\n');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([^;&]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Fallback();
    const p = PREDEFINED[body];
    if (p !== undefined) return p;
    let cp = NaN;
    if (/^#[0-9]{1,7}$/.test(body)) cp = parseInt(body.slice(1), 10);
    else if (/^#x[0-9a-fA-F]{1,6}$/.test(body)) cp = parseInt(body.slice(2), 16);
    if (!(cp >= 1 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) throw new Fallback();
    return String.fromCodePoint(cp);
  });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

interface Scope {
  [prefix: string]: string;
}

function fastParse(src: string): XDocument {
  const root = new XElement('#document', '#document', []);
  const stack: XElement[] = [root];
  const scopes: Scope[] = [{ xml: XML_NS }];
  let pos = 0;
  const n = src.length;
  while (pos < n) {
    const lt = src.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos) {
      const raw = src.slice(pos, textEnd);
      if (stack.length > 1) stack[stack.length - 1]!.append(new XText(decode(raw)));
      else if (raw.trim()) throw new Fallback(); // text outside the root element
    }
    if (lt < 0) break;
    const c = src.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const gt = src.indexOf('>', lt);
      if (gt < 0) throw new Fallback();
      const name = src.slice(lt + 2, gt).trimEnd();
      const top = stack.pop()!;
      scopes.pop();
      if (stack.length === 0 || top.tagName !== name) throw new Fallback();
      pos = gt + 1;
      continue;
    }
    if (c === 63 /* ? */) {
      const end = src.indexOf('?>', lt + 2);
      if (end < 0) throw new Fallback();
      // An XML declaration anywhere but at the very start (after a BOM, say) is xmldom's to judge.
      if (lt !== 0 && /^<\?xml[\s?]/i.test(src.slice(lt, lt + 6))) throw new Fallback();
      pos = end + 2;
      continue;
    }
    if (c === 33 /* ! */) {
      if (src.startsWith('<!--', lt)) {
        const end = src.indexOf('-->', lt + 4);
        if (end < 0) throw new Fallback();
        pos = end + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt + 9);
        if (end < 0 || stack.length === 1) throw new Fallback();
        stack[stack.length - 1]!.append(new XText(src.slice(lt + 9, end)));
        pos = end + 3;
        continue;
      }
      throw new Fallback(); // DOCTYPE and other declarations
    }
    // Start tag.
    let i = lt + 1;
    while (i < n) {
      const ch = src.charCodeAt(i);
      if (isSpace(ch) || ch === 47 || ch === 62) break;
      i++;
    }
    const tag = src.slice(lt + 1, i);
    if (!NAME.test(tag)) throw new Fallback();
    const raw: [string, string][] = [];
    let selfClose = false;
    for (;;) {
      while (i < n && isSpace(src.charCodeAt(i))) i++;
      if (i >= n) throw new Fallback();
      const ch = src.charCodeAt(i);
      if (ch === 62) { i++; break; }
      if (ch === 47) {
        if (src.charCodeAt(i + 1) !== 62) throw new Fallback();
        selfClose = true;
        i += 2;
        break;
      }
      const eq = src.indexOf('=', i);
      if (eq < 0) throw new Fallback();
      const an = src.slice(i, eq).trimEnd();
      if (!NAME.test(an)) throw new Fallback();
      let q = eq + 1;
      while (q < n && isSpace(src.charCodeAt(q))) q++;
      const quote = src[q];
      if (quote !== '"' && quote !== "'") throw new Fallback();
      const close = src.indexOf(quote, q + 1);
      if (close < 0) throw new Fallback();
      const v = src.slice(q + 1, close);
      if (v.indexOf('<') >= 0) throw new Fallback();
      if (raw.some((a) => a[0] === an)) throw new Fallback();
      raw.push([an, decode(v.replace(/[\t\n\r]/g, ' '))]);
      i = close + 1;
      const after = src.charCodeAt(i);
      if (!(isSpace(after) || after === 47 || after === 62)) throw new Fallback();
    }
    // Namespace declarations of this element first, then the names.
    let scope = scopes[scopes.length - 1]!;
    for (const [an, v] of raw) {
      if (an === 'xmlns' || an.startsWith('xmlns:')) {
        if (scope === scopes[scopes.length - 1]) scope = Object.create(scope) as Scope;
        scope[an === 'xmlns' ? '' : an.slice(6)] = v;
      }
    }
    const attrs: XAttr[] = raw.map(([an, v]) => {
      if (an === 'xmlns') return { q: an, local: an, ns: XMLNS_NS, value: v };
      const colon = an.indexOf(':');
      if (colon < 0) return { q: an, local: an, ns: null, value: v };
      const prefix = an.slice(0, colon);
      const ns = prefix === 'xmlns' ? XMLNS_NS : scope[prefix];
      if (ns === undefined) throw new Fallback();
      return { q: an, local: an.slice(colon + 1), ns, value: v };
    });
    const colon = tag.indexOf(':');
    if (colon >= 0 && scope[tag.slice(0, colon)] === undefined) throw new Fallback();
    const el = new XElement(tag, colon >= 0 ? tag.slice(colon + 1) : tag, attrs);
    if (stack.length === 1 && root.firstChild) throw new Fallback(); // a second root element
    stack[stack.length - 1]!.append(el);
    if (!selfClose) {
      stack.push(el);
      scopes.push(scope);
    }
    pos = i;
  }
  if (stack.length !== 1) throw new Fallback();
  const documentElement = root.firstChild as XElement | null;
  return { documentElement, getElementsByTagName: (name) => root.getElementsByTagName(name) };
}

interface DomNode {
  nodeType: number;
  nodeName: string;
  localName?: string | null;
  nodeValue?: string | null;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
  attributes?: { length: number; [i: number]: { name: string; localName: string | null; namespaceURI: string | null; value: string } };
}

function copyDom(node: DomNode): XElement {
  const attrs: XAttr[] = [];
  const a = node.attributes;
  if (a) for (let i = 0; i < a.length; i++) attrs.push({ q: a[i]!.name, local: a[i]!.localName ?? a[i]!.name, ns: a[i]!.namespaceURI ?? null, value: a[i]!.value });
  const el = new XElement(node.nodeName, node.localName ?? node.nodeName, attrs);
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) el.append(copyDom(c));
    else if (c.nodeType === 3 || c.nodeType === 4) el.append(new XText(c.nodeValue ?? ''));
  }
  return el;
}

/** Parses one XML part; throws only where xmldom throws (a fatal error in malformed XML). */
export function parseXml(text: string): XDocument {
  const src = normalizeLineEndings(text);
  try {
    return fastParse(src);
  } catch (e) {
    if (!(e instanceof Fallback)) throw e;
  }
  const dom = new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml') as unknown as { documentElement: DomNode | null };
  const documentElement = dom.documentElement ? copyDom(dom.documentElement) : null;
  return {
    documentElement,
    getElementsByTagName: (name) => {
      if (!documentElement) return [];
      return [...(documentElement.tagName === name ? [documentElement] : []), ...documentElement.getElementsByTagName(name)];
    },
  };
}
