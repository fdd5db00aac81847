/**
 * What each document's view model holds, as data: `templates lint` checks every template tag
 * against it, and a test checks that buildViewModels produces exactly these fields. A field is
 * `required` when the document is incomplete without it, so a template that never shows it is
 * reported.
 */
export type FieldType = 'text' | 'bool' | 'list' | 'object';

export interface FieldSpec {
  /** Chinese label, shown by lint and in the template guide. */
  label: string;
  type: FieldType;
  required?: boolean;
  /** For lists of objects and objects: the item's fields. Lists of strings have none (use {.}). */
  fields?: Record<string, FieldSpec>;
}

export type DocId = 'letter' | 'report' | 'plan' | 'status-form' | 'recommendation' | 'contact-receipt';
export const DOC_IDS: readonly DocId[] = ['letter', 'report', 'plan', 'status-form', 'recommendation', 'contact-receipt'];

const text = (label: string, required = false): FieldSpec => ({ label, type: 'text', required });
const bool = (label: string): FieldSpec => ({ label, type: 'bool' });
const paragraphs = (label: string, required = false): FieldSpec => ({ label, type: 'list', required });
const list = (label: string, fields: Record<string, FieldSpec>, required = false): FieldSpec => ({
  label,
  type: 'list',
  required,
  fields,
});

/** Present in every document model. */
export const COMMON_FIELDS: Record<string, FieldSpec> = {
  sample: bool('是否示例数据'),
  sample_note: text('示例数据标注（非示例时为空）', true),
  applicant_name: text('申报单位全称'),
  applicant_short: text('申报单位简称'),
  place: text('申报地区或园区名称'),
  program_name: text('申报批次名称'),
  category_name: text('申报类别全称'),
  category_short: text('申报类别简称'),
  level: text('示范或试点'),
  year: text('申报年度'),
};

const evidence = list('证明材料', {
  line: text('证明材料行（编号、名称、文号、日期）'),
  title: text('文件名称'),
  number: text('文号'),
  issuer: text('发文单位'),
  date: text('印发日期'),
});

/** A row of an indicator table over three years. */
const indicatorRow = list(
  '指标行',
  {
    name: text('指标名称'),
    unit: text('单位'),
    v1: text('第一年数值'),
    v2: text('第二年数值'),
    v3: text('第三年数值'),
    g2: text('第二年增长率'),
    g3: text('第三年增长率'),
  },
  true,
);
const yearLabels = {
  y1: text('第一年（如 2019年）'),
  y2: text('第二年'),
  y3: text('第三年'),
};

const section3 = list('四级标题下的章节', { heading: text('标题（含编号）'), paragraphs: paragraphs('段落') });
const section2 = list('三级标题下的章节', {
  heading: text('标题（含编号）'),
  paragraphs: paragraphs('段落'),
  sections: section3,
});
const section1 = list('章节', { heading: text('标题（含编号）'), paragraphs: paragraphs('段落'), sections: section2 });

const letterFoot = {
  signer_centred: bool('署名居中于成文日期之上（否则右对齐版心右边缘）'),
  letterhead: bool('生成版头（发文机关标志和红色双线）'),
  letterhead_paper: bool('使用印好版头的信函纸（只留出版头空白）'),
  letterhead_space: list('版头空白（每项 1 毫米）', {}),
  foot_blanks: list('署名上方的空行（每项一行；署名等会单独落到下一页时减少，GB/T 9704 7.3.5.5）', {}),
  organ: text('发文机关标志（版头中的机关名称）'),
  organ_large: bool('发文机关标志用2号字（21字以内）'),
  organ_medium: bool('发文机关标志用小2号字（22至26字）'),
  organ_small: bool('发文机关标志用3号字（27字以上）'),
};

/** Attachments of the 申报函 (附件1 …) carry their label on their first line. */
const attachmentFields = {
  attachment: bool('是否为申报函的附件'),
  attachment_label: text('附件标识（如 附件1）'),
};

export const DOC_FIELDS: Record<DocId, Record<string, FieldSpec>> = {
  letter: {
    ...COMMON_FIELDS,
    number: text('发文字号', true),
    title: text('标题', true),
    recipient: text('主送机关', true),
    body: paragraphs('正文段落', true),
    closing: text('结束语'),
    attachments: list(
      '附件说明',
      { first: bool('是否第一件'), last: bool('是否最后一件'), number: text('序号（如 1.）'), name: text('附件名称') },
      true,
    ),
    signer: text('发文机关署名', true),
    ...letterFoot,
    date: text('成文日期', true),
    note: text('附注（联系人及电话）', true),
  },
  report: {
    ...COMMON_FIELDS,
    ...attachmentFields,
    title: text('标题', true),
    overview_heading: text('基本情况标题', true),
    overview: paragraphs('基本情况', true),
    conditions_heading: text('申报条件符合情况标题', true),
    conditions_intro: text('申报条件引言'),
    conditions: list(
      '申报条件',
      {
        heading: text('条件标题（含编号）'),
        clause: text('条款号'),
        title: text('条件名称'),
        text: text('条件原文'),
        status: text('符合情况（符合/不符合/待补充）'),
        reason: text('判断依据'),
        statement: paragraphs('符合情况说明'),
        has_evidence: bool('是否有证明材料'),
        evidence,
      },
      true,
    ),
    summary_heading: text('工作总结标题', true),
    summary: section1,
    indicators_heading: text('指标表标题（含编号）', true),
    indicator_note: text('指标表说明'),
    ...yearLabels,
    indicators: indicatorRow,
  },
  plan: {
    ...COMMON_FIELDS,
    ...attachmentFields,
    title: text('标题', true),
    period: text('方案期限（如 2022—2024年）', true),
    requirements_heading: text('总体要求标题', true),
    guiding_heading: text('指导思想标题'),
    guiding_ideas: paragraphs('指导思想', true),
    principles_heading: text('基本原则标题'),
    principles: list('基本原则', { heading: text('标题（含编号）'), paragraphs: paragraphs('内容') }, true),
    goals_heading: text('工作目标标题', true),
    overall_goal_heading: text('总体目标标题'),
    overall_goal: paragraphs('总体目标', true),
    targets_heading: text('量化目标标题'),
    baseline_label: text('基期列标题（如 基期值（2021年））'),
    t1: text('第一年'),
    t2: text('第二年'),
    t3: text('第三年'),
    targets: list(
      '量化目标',
      {
        name: text('指标名称'),
        unit: text('单位'),
        baseline: text('基期值'),
        v1: text('第一年目标'),
        v2: text('第二年目标'),
        v3: text('第三年目标'),
      },
      true,
    ),
    tasks_heading: text('重点任务标题', true),
    tasks: list(
      '重点任务',
      {
        number: text('序号'),
        heading: text('标题（含编号）'),
        title: text('任务名称'),
        paragraphs: paragraphs('工作措施'),
        measures: text('工作措施（一段）'),
        lead: text('牵头单位'),
        partners: text('配合单位'),
        deadline: text('完成时限'),
      },
      true,
    ),
    safeguards_heading: text('保障措施标题', true),
    safeguards: list('保障措施', { heading: text('标题（含编号）'), paragraphs: paragraphs('内容') }, true),
    breakdown_title: text('任务分解表标题', true),
    breakdown_name: text('任务分解表名称（附件说明中，不分行）', true),
  },
  'status-form': {
    ...COMMON_FIELDS,
    ...attachmentFields,
    title: text('标题', true),
    basics: list('基本情况', { label: text('项目'), value: text('内容') }, true),
    indicators_heading: text('指标表标题'),
    ...yearLabels,
    indicators: indicatorRow,
    contact_line: text('填表联系人'),
  },
  recommendation: {
    ...COMMON_FIELDS,
    number: text('发文字号'),
    title: text('标题', true),
    recipient: text('主送机关', true),
    body: paragraphs('正文段落', true),
    entries: list(
      '推荐名单',
      {
        number: text('序号'),
        name: text('申报单位'),
        category: text('申报类别'),
        review: text('审核意见'),
      },
      true,
    ),
    closing: text('结束语'),
    signer: text('署名', true),
    ...letterFoot,
    date: text('成文日期', true),
    note: text('附注'),
  },
  'contact-receipt': {
    ...COMMON_FIELDS,
    title: text('标题', true),
    intro: text('说明'),
    contacts: list(
      '联系人',
      {
        unit: text('单位'),
        name: text('姓名'),
        position: text('职务'),
        phone: text('办公电话'),
        mobile: text('手机'),
        email: text('电子邮箱'),
      },
      true,
    ),
  },
};

/**
 * The round-independent documents of the package and batch stages (templates/common/), built
 * by src/model/package.ts. A separate registry: they are not materials of a round, and
 * buildViewModels does not build them.
 */
export type CommonDocId = 'cover' | 'checklist' | 'summary';
export const COMMON_DOC_IDS: readonly CommonDocId[] = ['cover', 'checklist', 'summary'];

const sampleFields = {
  sample: COMMON_FIELDS.sample!,
  sample_note: COMMON_FIELDS.sample_note!,
};

export const COMMON_DOC_FIELDS: Record<CommonDocId, Record<string, FieldSpec>> = {
  cover: {
    ...COMMON_FIELDS,
    title: text('封面标题', true),
    applicant_name: text('申报单位全称', true),
    category_name: text('申报类别全称', true),
    date: text('日期（如 2022年2月15日）', true),
    toc_title: text('目录标题'),
    parts: list('目录条目', { number: text('编号'), name: text('材料名称'), page: text('起始页码') }, true),
  },
  checklist: {
    ...COMMON_FIELDS,
    title: text('标题', true),
    note: text('用途说明（内部自查用）', true),
    applicant_name: text('申报单位全称', true),
    category_name: text('申报类别全称', true),
    conditions: list(
      '申报条件',
      {
        id: text('条件代码'),
        clause: text('条款号'),
        title: text('条件名称'),
        text: text('条件原文'),
        status: text('判定（符合/不符合/待补充/待人工确认/具备优先条件）'),
        reason: text('判断依据'),
        has_evidence: bool('是否有证明材料'),
        evidence: paragraphs('证明材料（每件一行；没有时为“—”）'),
      },
      true,
    ),
    met: text('符合项数', true),
    unmet: text('不符合项数', true),
    pending: text('待补充项数', true),
    review: text('待人工确认项数', true),
    priority: text('具备优先条件项数', true),
    conclusion: text('结论'),
    has_warnings: bool('是否有提示信息'),
    warnings: list('提示信息', { number: text('序号（如 1.）'), text: text('内容') }),
    findings_summary: text('数据核对结论（如 发现2处疑点，已确认1处）'),
    findings: list('数据核对发现', { number: text('序号（如 1.）'), kind: text('类别（如 数字与指标表不符）'), text: text('内容'), where: text('位置（字段及行列）'), status: text('处理（待核实/已确认：理由）') }),
  },
  summary: {
    ...sampleFields,
    program_name: text('申报批次名称'),
    year: text('申报年度'),
    title: text('标题', true),
    intro: text('说明'),
    categories: list(
      '申报类别',
      {
        heading: text('类别标题（含编号、推荐名额和申报家数）'),
        name: text('类别全称'),
        short_name: text('类别简称'),
        quota: text('推荐名额（不限时为“不限”）'),
        count: text('申报家数'),
        eligible_count: text('满足申报条件家数'),
        over_quota: bool('满足条件家数是否超过推荐名额'),
        quota_line: text('名额说明'),
        has_applicants: bool('是否有申报单位'),
        overview_heading: text('自查结果与主要指标标题'),
        indicator_note: text('指标说明（年份、增长口径）'),
        h1: text('第一个指标列标题'),
        h2: text('第二个指标列标题'),
        h3: text('第三个指标列标题'),
        h4: text('第四个指标列标题'),
        applicants: list('申报单位', {
          number: text('序号'),
          name: text('申报单位全称'),
          short_name: text('申报单位简称'),
          file: text('数据文件'),
          met: text('符合项数'),
          unmet: text('不符合项数'),
          pending: text('待补充项数'),
          priority: text('具备优先条件项数'),
          review: text('待人工确认项数'),
          eligible: text('是否满足申报条件（是/否/待人工确认）'),
          built: text('材料包情况（已生成/未生成）'),
          v1: text('第一个指标数值'),
          g1: text('第一个指标较上年变化'),
          v2: text('第二个指标数值'),
          g2: text('第二个指标较上年变化'),
          v3: text('第三个指标数值'),
          g3: text('第三个指标较上年变化'),
          v4: text('第四个指标数值'),
          g4: text('第四个指标较上年变化'),
        }),
        conditions_heading: text('逐条判定标题'),
        conditions: list('逐条判定（申报单位 × 条件）', {
          applicant: text('申报单位简称'),
          id: text('条件代码'),
          clause: text('条款号'),
          title: text('条件名称'),
          status: text('判定'),
          reason: text('判断依据'),
        }),
      },
      true,
    ),
    total_line: text('合计'),
    has_failed: bool('是否有未生成材料包的数据文件'),
    failed_heading: text('未生成材料包的数据文件标题'),
    failed_note: text('未生成材料包的说明'),
    failed: list('未生成材料包的数据文件（按提交顺序）', {
      number: text('序号'),
      file: text('数据文件'),
      name: text('申报单位（数据无法读取时为“—”）'),
      reason: text('未生成的原因'),
    }),
  },
};

/** The fields of one document's view model (for lint and for the template guide). */
export function viewModelFields(docId: string): Record<string, FieldSpec> | undefined {
  return (DOC_FIELDS as Record<string, Record<string, FieldSpec>>)[docId] ?? (COMMON_DOC_FIELDS as Record<string, Record<string, FieldSpec>>)[docId];
}

/** A template's document id: its file name without .docx (letter.docx → letter). */
export function docIdOfTemplate(template: string): DocId | undefined {
  const id = template.replace(/^.*[\\/]/, '').replace(/\.docx$/i, '');
  return (DOC_IDS as readonly string[]).includes(id) ? (id as DocId) : undefined;
}
