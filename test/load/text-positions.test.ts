import { describe, expect, it } from 'vitest';
import { parseYaml, pathKey } from '../../src/load/index.js';

/** Line and column (1-based) of the n-th occurrence of `needle` in `text`, counted the way editors do. */
function where(text: string, needle: string, nth = 0): { line: number; col: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, col: at - before.lastIndexOf('\n') };
}

function locateIn(text: string, path: (string | number)[], needle: string) {
  const parsed = parseYaml(text, 'a.yaml');
  expect(parsed.diagnostics).toEqual([]);
  const value = path.reduce<any>((v, k) => v[k], parsed.data);
  const offset = (value as string).indexOf(needle);
  expect(offset).toBeGreaterThanOrEqual(0);
  const pos = parsed.where().textPositions.get(pathKey(path))!(offset);
  return { line: pos.line, col: pos.col };
}

describe('a character offset inside a string value maps back to where it was typed', () => {
  it('literal block: indentation stripped, third line of the second paragraph', () => {
    const text = 'report:\n  overview: |  # 基本情况\n    第一段，有效发明专利23140件。\n\n    第二段第一行，\n    第二行：质押融资20.56亿元，\n    较2019年增长34.1%。\nnext: 1\n';
    expect(locateIn(text, ['report', 'overview'], '23140')).toEqual(where(text, '23140'));
    expect(locateIn(text, ['report', 'overview'], '20.56')).toEqual(where(text, '20.56'));
    expect(locateIn(text, ['report', 'overview'], '34.1%')).toEqual(where(text, '34.1%'));
  });

  it('folded block and more-indented lines', () => {
    const text = 'a: >-\n  第一行有效商标\n  15.96万件，\n    缩进更多的1260条\n  末行2417次\n';
    expect(locateIn(text, ['a'], '15.96')).toEqual(where(text, '15.96'));
    expect(locateIn(text, ['a'], '1260')).toEqual(where(text, '1260'));
    expect(locateIn(text, ['a'], '2417')).toEqual(where(text, '2417'));
  });

  it('plain multi-line, double- and single-quoted scalars, in a list', () => {
    const text = [
      'list:',
      '  - 普通文本跨行',
      '    第二行587件',
      '  - "双引号\\t转义后的2021年达到587件"',
      "  - '单引号''转义''后的6037次'",
      '',
    ].join('\n');
    expect(locateIn(text, ['list', 0], '587')).toEqual(where(text, '587'));
    expect(locateIn(text, ['list', 1], '587')).toEqual(where(text, '587', 1));
    expect(locateIn(text, ['list', 2], '6037')).toEqual(where(text, '6037'));
  });

  it('CRLF line ends', () => {
    const text = 'p: |\r\n  甲乙\r\n  丙丁248件\r\n';
    const pos = locateIn(text, ['p'], '248');
    expect(pos).toEqual({ line: 3, col: 5 });
  });
});
