import { z } from 'zod';
import { toParagraphs } from './prose.js';

/**
 * The applicant file, as the people who fill it see it. Every field carries its Chinese label
 * in `title` (shown in error messages and in editors through the JSON Schema). Shape only:
 * rules that need the round (kinds, deadline, condition ids) live in validate/rules.ts.
 *
 * Titles are registered on the schema just built (`.register(z.globalRegistry, …)`), not with
 * `.meta()`, which copies the schema first: this file is built by every command, `validate`
 * included, and zod's copies are a measurable part of its start-up. Only a schema shared by
 * several fields (isoDateSchema, year) takes `.meta()`, so each field has its own title.
 */

const t = (title: string, description?: string) => (description ? { title, description } : { title });

const text = (title: string, description?: string) =>
  z.string().trim().min(1, '不能为空').register(z.globalRegistry, t(title, description));

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{1,2}-\d{1,2}$/, { error: '应为日期，格式 YYYY-MM-DD，例如 2022-02-15', abort: true })
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, '不是有效的日历日期');

const date = (title: string) => isoDateSchema.meta(t(title, '格式 YYYY-MM-DD'));

/** A paragraph block: one string (blank line = new paragraph) or a list of paragraphs. */
export const proseSchema = (title: string, description?: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .register(z.globalRegistry, t(title, description ?? '可用 | 块写多段，空行分段'))
    .transform(toParagraphs)
    .refine((p) => p.length > 0, '不能为空');

const year = z.coerce.number().int().min(1990).max(2100);
const nonNegative = z.number().min(0, '不能为负数');

export const evidenceSchema = z
  .object({
    title: text('文件名称', '证明材料的名称，如《徐汇区知识产权“十四五”规划》'),
    number: z.string().trim().min(1).optional().register(z.globalRegistry, t('文号', '如 徐府发〔2021〕12号')),
    issuer: z.string().trim().min(1).optional().register(z.globalRegistry, t('发文单位')),
    date: date('印发日期'),
  })
  .strict()
  .register(z.globalRegistry, t('证明材料'));

export const conditionEvidenceSchema = z
  .object({
    met: z.boolean().default(true).register(z.globalRegistry, t('是否符合', '申报单位自评；不符合时写 false 并在说明中解释')),
    statement: proseSchema('符合情况说明'),
    evidence: z.array(evidenceSchema).default([]).register(z.globalRegistry, t('证明材料清单')),
  })
  .strict()
  .register(z.globalRegistry, t('申报条件符合情况'));

export interface SectionInput {
  title: string;
  paragraphs?: string | string[];
  sections?: SectionInput[];
}
export interface Section {
  title: string;
  paragraphs: string[];
  sections: Section[];
}

/** Numbering (一、（一）1.（1）) is added by the tool; a typed prefix would be printed twice. */
const TYPED_NUMBER = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])/;

export const sectionSchema: z.ZodType<Section, SectionInput> = z.lazy(() =>
  z
    .object({
      title: text('标题')
        .refine((s) => !TYPED_NUMBER.test(s), '标题不要自带编号（一、（一）1.（1）由工具自动添加）'),
      paragraphs: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .register(z.globalRegistry, t('正文段落', '空行分段'))
        .transform((p) => (p === undefined ? [] : toParagraphs(p))),
      sections: z.array(sectionSchema).default([]).register(z.globalRegistry, t('下级标题')),
    })
    .strict()
    .register(z.globalRegistry, t('章节')),
);

const indicatorValues = z
  .record(z.string().regex(/^[a-z][a-z0-9_]*$/, '指标代码应为小写英文，见 data/indicators.yaml'), nonNegative)
  .register(z.globalRegistry, t('当年指标', '指标代码: 数值，见 data/indicators.yaml'));

export const targetSchema = z
  .object({
    indicator: text('指标代码', '见 data/indicators.yaml'),
    baseline: nonNegative.optional().register(z.globalRegistry, t('基期值', '省略时取方案起始年前一年的指标值')),
    values: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), nonNegative).register(z.globalRegistry, t('各年度目标值', '年份: 目标值')),
  })
  .strict()
  .register(z.globalRegistry, t('量化目标'));

export const taskSchema = z
  .object({
    title: text('任务名称'),
    content: proseSchema('工作措施'),
    lead: text('牵头单位'),
    partners: z.array(z.string().trim().min(1)).default([]).register(z.globalRegistry, t('配合单位')),
    deadline: z
      .union([z.number().int(), z.string()])
      .transform(String)
      .pipe(z.string().regex(/^\d{4}(-\d{1,2}(-\d{1,2})?)?$/, '应为 YYYY、YYYY-MM 或 YYYY-MM-DD'))
      .register(z.globalRegistry, t('完成时限')),
  })
  .strict()
  .register(z.globalRegistry, t('重点任务'));

const titledText = (title: string) =>
  z.object({ title: text('标题'), text: proseSchema('内容') }).strict().register(z.globalRegistry, t(title));

/** A consistency finding the applicant keeps on purpose (a different 统计口径, a rounded figure), with the reason. */
export const acknowledgementSchema = z
  .object({
    finding: text('核对发现', 'shenbao check 所列发现中的“确认用语”：正文片段或字段路径，如 有效发明专利23140件、plan.targets[0].values.2024'),
    reason: text('理由', '为何保留这一表述，如 统计口径不同'),
  })
  .strict()
  .register(z.globalRegistry, t('已确认的核对发现'));

export const applicantSchema = z
  .object({
    sample: z.boolean().default(false).register(z.globalRegistry, t('示例数据', '为 true 时各文件标注“示例数据”')),
    program: text('申报批次', '如 2022-shanghai，见 data/programs/'),
    category: text('申报类别', '类别代码或简称，如 pilot-park 或 试点园区'),
    applicant: z
      .object({
        name: text('申报单位全称', '如 上海市徐汇区人民政府'),
        short_name: text('简称', '如 徐汇区'),
        kind: text('申报主体类型', '见申报批次文件的 applicant_kinds，如 district_government'),
        place: z.string().trim().min(1, '不能为空').optional().register(z.globalRegistry, t('申报地区或园区名称', '基本工作状况表（全国批次）使用，如 苏州市、张江高新技术产业开发区')),
        former_titles: z.array(z.string().trim().min(1)).default([]).register(z.globalRegistry, t('已获称号', '如 原国家知识产权试点城区')),
      })
      .strict()
      .register(z.globalRegistry, t('申报单位')),
    contact: z
      .object({
        name: text('联系人'),
        position: z.string().trim().min(1).optional().register(z.globalRegistry, t('职务')),
        unit: z.string().trim().min(1).optional().register(z.globalRegistry, t('所在单位')),
        // A number here means YAML already dropped the area code's leading 0 (021… → 21…).
        phone: z
          .string({ error: (iss) => (typeof iss.input === 'number' ? '电话号码请加引号，如 "021-64872222"（不加引号时开头的 0 会丢失）' : '应为电话号码，如 021-64872222') })
          .regex(/^[0-9+\-() ]{7,20}$/, '应为电话号码，如 021-64872222')
          .register(z.globalRegistry, t('联系电话')),
        mobile: z
          .union([z.string(), z.number()])
          .transform(String)
          .pipe(z.string().regex(/^1\d{10}$/, '应为 11 位手机号码'))
          .optional()
          .register(z.globalRegistry, t('手机')),
        email: z.email('应为电子邮箱地址').optional().register(z.globalRegistry, t('电子邮箱')),
      })
      .strict()
      .register(z.globalRegistry, t('联系人')),
    letter: z
      .object({
        number: z
          .string()
          .trim()
          .regex(/^\S+〔\d{4}〕[1-9]\d*号$/, '发文字号应为 机关代字〔年份〕序号号，如 徐府〔2022〕8号（六角括号〔〕，序号不加“第”、不编虚位）')
          .register(z.globalRegistry, t('发文字号')),
        date: date('成文日期'),
        signer: text('发文机关署名', '如 上海市徐汇区人民政府'),
        recipient: z.string().trim().min(1).optional().register(z.globalRegistry, t('主送机关', '省略时取申报批次的受理机关，如 上海市知识产权局；全国批次应写明本省知识产权局')),
      })
      .strict()
      .register(z.globalRegistry, t('申报函')),
    profile: z
      .object({
        area_km2: nonNegative.optional().register(z.globalRegistry, t('面积（平方公里）')),
        gdp_100m: nonNegative.optional().register(z.globalRegistry, t('地区生产总值（亿元）')),
        ip_office: z.string().trim().min(1).optional().register(z.globalRegistry, t('知识产权管理机构')),
        ip_staff: z.number().int().min(0).optional().register(z.globalRegistry, t('知识产权工作人员数')),
        leading_industries: z.array(z.string().trim().min(1)).default([]).register(z.globalRegistry, t('主导产业')),
      })
      .strict()
      .default({ leading_industries: [] })
      .register(z.globalRegistry, t('基本情况')),
    conditions: z.record(z.string(), conditionEvidenceSchema).default({}).register(z.globalRegistry, t('申报条件符合情况', '条件代码: 说明与证明材料')),
    indicators: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), indicatorValues).register(z.globalRegistry, t('近三年指标', '年份: {指标代码: 数值}')),
    report: z
      .object({
        overview: proseSchema('基本情况'),
        summary: z.array(sectionSchema).min(1, '至少写一节').register(z.globalRegistry, t('近三年知识产权工作总结')),
      })
      .strict()
      .register(z.globalRegistry, t('创建工作报告')),
    plan: z
      .object({
        period: z
          .object({ start: year.meta(t('起始年')), end: year.meta(t('结束年')) })
          .strict()
          .register(z.globalRegistry, t('方案期限')),
        guiding_ideas: proseSchema('指导思想'),
        principles: z.array(titledText('基本原则')).min(1, '至少写一条').register(z.globalRegistry, t('基本原则')),
        overall_goal: proseSchema('总体目标'),
        targets: z.array(targetSchema).min(1, '至少写一项').register(z.globalRegistry, t('量化目标')),
        tasks: z.array(taskSchema).min(1, '至少写一项').register(z.globalRegistry, t('重点任务')),
        safeguards: z.array(titledText('保障措施')).min(1, '至少写一条').register(z.globalRegistry, t('保障措施')),
      })
      .strict()
      .register(z.globalRegistry, t('三年期工作方案')),
    layout: z
      .object({
        letterhead: z
          .enum(['generated', 'paper'])
          .default('generated')
          .register(z.globalRegistry, t('版头', 'generated：申报函首页生成红色版头（发文机关标志和红色双线）；paper：在印好版头的信函纸上打印，只留出版头的空白')),
        letterhead_space_mm: z
          .number()
          .int('应为整数毫米')
          .min(0, '不能为负数')
          .max(100, '不能超过 100 毫米')
          .default(15)
          .register(z.globalRegistry, t('版头空白（毫米）', 'letterhead 为 paper 时，首页版心上方留给印好版头的空白高度，从版心上边缘（距纸张上边缘 37 毫米）量起')),
        titles: z
          .partialRecord(z.enum(['letter', 'report', 'plan', 'status-form']), z.array(z.string().trim().min(1)).min(1))
          .optional()
          .register(z.globalRegistry, t('标题分行', '手工指定标题的分行，如 report: [第一行, 第二行]；各行连起来须与生成的标题一字不差，否则按自动分行')),
      })
      .strict()
      .default({ letterhead: 'generated', letterhead_space_mm: 15 })
      .register(z.globalRegistry, t('版式')),
    acknowledged: z.array(acknowledgementSchema).default([]).register(z.globalRegistry, t('已确认的核对发现', '有意保留的表述，写明理由后 check 不再提示')),
  })
  .strict()
  .register(z.globalRegistry, t('申报单位数据', 'shenbao 申报数据文件'));

export type ApplicantInput = z.input<typeof applicantSchema>;
export type Applicant = z.output<typeof applicantSchema>;
