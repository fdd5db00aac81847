import { describe, expect, it } from 'vitest';
import { applicantSchema, isoDateSchema, sectionSchema } from '../../src/schema/applicant.js';
import { joinWrappedLines, toParagraphs } from '../../src/schema/prose.js';
import { parseYaml } from '../../src/load/index.js';
import { exampleRaw } from './example.js';

/** Field-level checks of the applicant schema: what a person typing the file gets told. */

/** Parse the xuhui example after `mutate`, returning the issues (empty when valid). */
function issuesAfter(mutate: (raw: any) => void) {
  const raw = exampleRaw('xuhui-demo-district');
  mutate(raw);
  const r = applicantSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('the examples', () => {
  it('all parse', () => {
    for (const name of ['xuhui-demo-district', 'minhang-pilot-district', 'zhangjiang-demo-park', 'caohejing-pilot-park'] as const) {
      expect(applicantSchema.safeParse(exampleRaw(name)).success, name).toBe(true);
    }
  });
});

describe('发文字号', () => {
  const withNumber = (n: unknown) => issuesAfter((raw) => (raw.letter.number = n));

  it('accepts the 机关代字〔年份〕序号号 form', () => {
    expect(withNumber('徐府〔2022〕8号')).toEqual([]);
    expect(withNumber('沪张江高新管〔2022〕12号')).toEqual([]);
    expect(withNumber('  徐府〔2022〕108号  ')).toEqual([]); // surrounding spaces trimmed
  });

  it.each([
    ['square brackets', '徐府[2022]8号'],
    ['round brackets', '徐府（2022）8号'],
    ['第 before the serial', '徐府〔2022〕第8号'],
    ['a padded serial', '徐府〔2022〕08号'],
    ['serial 0', '徐府〔2022〕0号'],
    ['no 号', '徐府〔2022〕8'],
    ['a two-digit year', '徐府〔22〕8号'],
    ['no 机关代字', '〔2022〕8号'],
  ])('rejects %s (%s)', (_why, n) => {
    const issues = withNumber(n);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['letter', 'number']);
    expect(issues[0]!.message).toContain('六角括号〔〕');
  });
});

describe('dates', () => {
  it.each(['2022-02-15', '2022-2-5', '2024-02-29', '2021-12-31'])('accepts %s', (d) => {
    expect(isoDateSchema.safeParse(d).success).toBe(true);
  });

  it.each(['2022-02-30', '2023-02-29', '2022-13-01', '2022-00-10', '2022-04-31'])('rejects the impossible date %s', (d) => {
    const r = isoDateSchema.safeParse(d);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('不是有效的日历日期');
  });

  it.each(['2022/02/15', '2022年2月15日', '15-02-2022', '2022-02'])('rejects the wrong format %s', (d) => {
    const r = isoDateSchema.safeParse(d);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('格式 YYYY-MM-DD');
  });

  it('checks the letter date and evidence dates in the applicant', () => {
    expect(issuesAfter((raw) => (raw.letter.date = '2022-02-30'))).toEqual([{ path: ['letter', 'date'], message: '不是有效的日历日期' }]);
    const ev = issuesAfter((raw) => (raw.conditions['sh-demo-district-policy'].evidence[0].date = '2021-02-29'));
    expect(ev).toEqual([{ path: ['conditions', 'sh-demo-district-policy', 'evidence', 0, 'date'], message: '不是有效的日历日期' }]);
  });
});

describe('contact', () => {
  const contact = (c: Record<string, unknown>) => issuesAfter((raw) => Object.assign(raw.contact, c));

  it('accepts phone numbers as text and asks for quotes on a bare number', () => {
    expect(contact({ phone: '021-64872222' })).toEqual([]);
    expect(contact({ phone: '(021) 6487 2222' })).toEqual([]);
    expect(contact({ phone: '+86-21-64872222' })).toEqual([]);
    const issues = contact({ phone: 64872222 });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('电话号码请加引号');
  });

  it('rejects what is not a phone number', () => {
    for (const phone of ['六四八七二二二二', '6487', 'tel:021-64872222']) {
      const issues = contact({ phone });
      expect(issues, phone).toHaveLength(1);
      expect(issues[0]!.path).toEqual(['contact', 'phone']);
      expect(issues[0]!.message).toContain('应为电话号码');
    }
  });

  it('requires an 11-digit mobile number starting with 1 (text or number)', () => {
    expect(contact({ mobile: '13800138001' })).toEqual([]);
    expect(contact({ mobile: 13800138001 })).toEqual([]);
    for (const mobile of ['1380013800', '138001380011', '23800138001', '138-0013-8001']) {
      const issues = contact({ mobile });
      expect(issues, mobile).toHaveLength(1);
      expect(issues[0]!.path).toEqual(['contact', 'mobile']);
      expect(issues[0]!.message).toBe('应为 11 位手机号码');
    }
  });

  it('does not silently drop the leading 0 of an unquoted phone number', () => {
    const { data } = parseYaml('phone: 02164872222\n', 'x.yaml') as { data: { phone: unknown } };
    const parsed = applicantSchema.safeParse({ ...exampleRaw('xuhui-demo-district'), contact: { name: '王晓敏', phone: data.phone } });
    // either refused, or kept as typed
    expect(!parsed.success || parsed.data.contact.phone === '02164872222').toBe(true);
  });

  it('leaves mobile and email optional', () => {
    expect(issuesAfter((raw) => {
      delete raw.contact.mobile;
      delete raw.contact.email;
    })).toEqual([]);
  });

  it('validates the email address', () => {
    expect(contact({ email: 'ip.office@xuhui.gov.cn' })).toEqual([]);
    for (const email of ['xuhui-ip', 'xuhui@', '徐汇@example', 'a b@example.com']) {
      const issues = contact({ email });
      expect(issues, email).toHaveLength(1);
      expect(issues[0]!.path).toEqual(['contact', 'email']);
      expect(issues[0]!.message).toBe('应为电子邮箱地址');
    }
  });
});

describe('prose', () => {
  it('starts a new paragraph at a blank line', () => {
    expect(toParagraphs('第一段。\n\n第二段。\n')).toEqual(['第一段。', '第二段。']);
    expect(toParagraphs('第一段。\n\n\n\n第二段。')).toEqual(['第一段。', '第二段。']);
  });

  it('treats a line of spaces, tabs or full-width spaces as blank', () => {
    expect(toParagraphs('第一段。\n   \n第二段。\n\t\n第三段。\n\u3000\n第四段。')).toEqual(['第一段。', '第二段。', '第三段。', '第四段。']);
  });

  it('joins wrapped Chinese lines without a space', () => {
    expect(toParagraphs('区委、区政府高度重视\n知识产权工作，\n  建立了协调机制。\n')).toEqual(['区委、区政府高度重视知识产权工作，建立了协调机制。']);
  });

  it('joins wrapped Latin words with one space', () => {
    expect(toParagraphs('The Madrid\nSystem of 2021\n(WIPO) applies.')).toEqual(['The Madrid System of 2021 (WIPO) applies.']);
    expect(joinWrappedLines(['PCT', 'applications'])).toBe('PCT applications');
  });

  it('does not put a space between Latin and Chinese across a wrap', () => {
    expect(toParagraphs('推动PCT\n国际专利申请')).toEqual(['推动PCT国际专利申请']);
    expect(toParagraphs('国际专利申请\nPCT途径')).toEqual(['国际专利申请PCT途径']);
  });

  it('handles CRLF and CR line ends', () => {
    expect(toParagraphs('第一段，\r\n续写。\r\n\r\n第二段。\r\n')).toEqual(['第一段，续写。', '第二段。']);
    expect(toParagraphs('第一段。\r\r第二段。')).toEqual(['第一段。', '第二段。']);
  });

  it('accepts a list of paragraphs, each of which may hold blank lines', () => {
    expect(toParagraphs(['一。', '二。\n\n三。', '   '])).toEqual(['一。', '二。', '三。']);
  });

  it('is applied by the schema: a block scalar becomes paragraphs, whitespace alone is empty', () => {
    const raw = exampleRaw('xuhui-demo-district');
    raw.report.overview = '徐汇区位于\n上海市中心城区。\n\n下辖13个街道。\n';
    expect(applicantSchema.parse(raw).report.overview).toEqual(['徐汇区位于上海市中心城区。', '下辖13个街道。']);

    raw.report.overview = '  \n\n ';
    const r = applicantSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path, i.message])).toEqual([[['report', 'overview'], '不能为空']]);
  });
});

describe('section titles', () => {
  const title = (t: string) => sectionSchema.safeParse({ title: t, paragraphs: '正文。' });

  it.each(['一、健全工作体系', '十二、其他', '（一）完善机制', '(二)完善机制', '1.高价值专利', '2．商标品牌', '3、专利导航', '（1）专利', '(2)商标'])(
    'rejects a typed number: %s',
    (t) => {
      const r = title(t);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(['title']);
      expect(r.error!.issues[0]!.message).toContain('标题不要自带编号');
    },
  );

  it.each(['健全工作体系', '一流营商环境建设', '十四五规划实施', '5G产业知识产权布局', '2021年工作回顾'])('accepts an ordinary title: %s', (t) => {
    expect(title(t).success).toBe(true);
  });

  it('checks nested sections and reports the nested path', () => {
    const raw = exampleRaw('xuhui-demo-district');
    raw.report.summary[1].sections[0].title = '（一）高价值专利培育成效明显';
    const r = applicantSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['report', 'summary', 1, 'sections', 0, 'title']);
  });

  it('defaults paragraphs and sections to empty lists', () => {
    expect(sectionSchema.parse({ title: '总体情况' })).toEqual({ title: '总体情况', paragraphs: [], sections: [] });
  });
});

describe('other shape checks', () => {
  it('rejects negative indicator values', () => {
    const neg = issuesAfter((raw) => (raw.indicators['2021'].ip_funds = -1));
    expect(neg).toEqual([{ path: ['indicators', '2021', 'ip_funds'], message: '不能为负数' }]);
  });

  /** zod 4 wraps a bad record key in an `invalid_key` issue; the schema's Chinese message is nested inside. */
  const keyIssue = (mutate: (raw: any) => void) => {
    const raw = exampleRaw('xuhui-demo-district');
    mutate(raw);
    const r = applicantSchema.safeParse(raw);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0] as any;
    expect(issue.code).toBe('invalid_key');
    return { path: issue.path, nested: issue.issues.map((i: any) => i.message) };
  };

  it('rejects a year key that is not four digits', () => {
    expect(keyIssue((raw) => (raw.indicators['21'] = raw.indicators['2021']))).toEqual({ path: ['indicators', '21'], nested: ['年份应为四位数字'] });
    expect(keyIssue((raw) => (raw.plan.targets[0].values = { '22': 1, '2023': 2, '2024': 3 }))).toEqual({
      path: ['plan', 'targets', 0, 'values', '22'],
      nested: ['年份应为四位数字'],
    });
  });

  it('rejects an indicator code that is not lower-case', () => {
    const r = keyIssue((raw) => (raw.indicators['2021'].InventionPatents = 1));
    expect(r.path).toEqual(['indicators', '2021', 'InventionPatents']);
    expect(r.nested[0]).toContain('指标代码应为小写英文');
  });

  it('accepts task deadlines as YYYY, YYYY-MM or YYYY-MM-DD, number or text', () => {
    for (const d of [2024, '2024', '2024-06', '2024-6-30']) expect(issuesAfter((raw) => (raw.plan.tasks[0].deadline = d)), String(d)).toEqual([]);
    const r = issuesAfter((raw) => (raw.plan.tasks[0].deadline = '2024年底'));
    expect(r).toEqual([{ path: ['plan', 'tasks', 0, 'deadline'], message: '应为 YYYY、YYYY-MM 或 YYYY-MM-DD' }]);
  });

  it('rejects unknown keys (strict objects)', () => {
    const r = applicantSchema.safeParse({ ...exampleRaw('xuhui-demo-district'), catagory: 'demo-district' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.code).toBe('unrecognized_keys');
  });
});
