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

const NAME = '[A-Za-z_:][\\w.:-]*';
const REF = /&(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9a-fA-F]+);/y;
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const OTHER = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/y;

/** Every `&` in s starts a well-formed reference. */
function refsOk(s: string, from: number, to: number): boolean {
  for (let i = s.indexOf('&', from); i >= 0 && i < to; i = s.indexOf('&', i + 1)) {
    REF.lastIndex = i;
    if (!REF.test(s)) return false;
  }
  return true;
}

/**
 * Why an XML text is not well-formed, or undefined: tags balanced and nested, attributes
 * quoted, no bare `<` or `&` in text. A single linear scan, several times faster than building a
 * DOM, for checking every part a render wrote (the template itself is checked with a parser).
 */
export function xmlNotWellFormed(xml: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? xml.length : lt;
    if (!refsOk(xml, i, end)) return `位置 ${i} 之后有不完整的字符引用（&）`;
    if (lt < 0) break;
    OTHER.lastIndex = lt;
    if (OTHER.test(xml)) {
      i = OTHER.lastIndex;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (!m) return `位置 ${lt} 处的标记不完整`;
    const [, close, name, attrs, selfClose] = m;
    if (attrs && !refsOk(attrs, 0, attrs.length)) return `元素 ${name} 的属性中有不完整的字符引用（&）`;
    if (close) {
      if (selfClose || attrs) return `结束标记 </${name}> 写法不正确`;
      const open = stack.pop();
      if (open !== name) return `结束标记 </${name}> 与开始标记 <${open ?? ''}> 不一致`;
    } else {
      if (!stack.length) roots++;
      if (!selfClose) stack.push(name!);
    }
    i = TAG.lastIndex;
  }
  if (stack.length) return `元素 <${stack.at(-1)}> 没有结束标记`;
  if (roots !== 1) return roots ? '有多个根元素' : '没有根元素';
  return undefined;
}
