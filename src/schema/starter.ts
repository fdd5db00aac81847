import type { Catalogue } from '../program/indicators.js';
import type { Category, Program } from '../program/schema.js';
import { reportingYears } from '../program/years.js';

/**
 * What the starter puts where the applicant must write something. Validation refuses it
 * wherever it is left (one 待填写 per place, nothing else about that field), so `validate` on a
 * fresh starter lists exactly what is still to do, with the line of each.
 */
export const PLACEHOLDER = '待填写';

/** Names as the people of this kind of applicant write them, for the hints. */
const EXAMPLES: Record<string, { name: string; short: string; signer: string; code: string; unit: string }> = {
  城区: { name: '上海市徐汇区人民政府', short: '徐汇区', signer: '上海市徐汇区人民政府', code: '徐府', unit: '上海市徐汇区市场监督管理局（知识产权局）' },
  城市: { name: '苏州市人民政府', short: '苏州市', signer: '苏州市人民政府', code: '苏府函', unit: '苏州市市场监督管理局（苏州市知识产权局）' },
  县: { name: '昆山市人民政府', short: '昆山市', signer: '昆山市人民政府', code: '昆政函', unit: '昆山市市场监督管理局（知识产权局）' },
  园区: { name: '上海张江高新技术产业开发区管理委员会', short: '张江高新区', signer: '上海张江高新技术产业开发区管理委员会', code: '沪张江高新管', unit: '张江高新区管委会科技发展处' },
};

/** Indicators that describe a place with residents and a municipal ranking, not a park. */
const DISTRICT_ONLY = new Set(['population', 'performance_rank']);

/**
 * A commented starter applicant file for one category of one round: every field an applicant
 * of that category can fill (and that some document of the round shows), placeholders where a
 * value is needed, hints in the category's own terms.
 */
export function starterYaml(program: Program, category: Category, catalogue: Catalogue, schemaRef = 'https://shenbao.invalid/applicant.schema.json'): string {
  const years = reportingYears(program.year);
  const kinds = category.kinds.map((id) => program.applicant_kinds.find((k) => k.id === id)!);
  const park = category.scope.includes('园区');
  const ex = EXAMPLES[category.scope] ?? EXAMPLES['城区']!;
  const needed = new Set(category.conditions.flatMap((c) => (c.check.type === 'ratio' ? [c.check.numerator, c.check.denominator] : c.check.type === 'rank' ? [c.check.indicator] : [])));
  const stored = catalogue.indicators.filter((i) => !i.derived && (needed.has(i.id) || !park || !DISTRICT_ONLY.has(i.id)));
  const derived = catalogue.indicators.filter((i) => i.derived);
  const hasStatusForm = program.materials.some((m) => m.id === 'status-form');
  const P = PLACEHOLDER;
  const L: string[] = [];
  L.push(`# yaml-language-server: $schema=${schemaRef}`);
  L.push(`# shenbao 申报数据：${program.name}`);
  L.push(`# 申报类别：${category.name}（推荐名额 ${category.quota ?? '按分配名额确定'}）`);
  L.push(`# 报送截止：${program.deadline}，${program.submission.text}`);
  L.push(`# 填写说明：把每个“${P}”换成实际内容（标明“可删除”的行不适用时整行删除）；长段落用 | 块写，空行分段；`);
  L.push('# 标题不要自带“一、（一）”等编号。填完后运行 shenbao validate 本文件 检查，shenbao check 本文件 查看申报条件符合情况。');
  L.push('');
  L.push(`program: ${program.id}`);
  L.push(`category: ${category.id}   # ${category.short_name}`);
  L.push('');
  L.push('applicant:');
  L.push(`  name: ${P}          # 申报单位全称，如 ${ex.name}`);
  L.push(`  short_name: ${P}    # 简称，如 ${ex.short}`);
  if (hasStatusForm) L.push(`  place: ${P}         # ${park ? '园区名称' : '地区名称'}，印在基本工作状况表中，如 ${ex.short}`);
  L.push(`  kind: ${kinds[0]!.id}   # 申报主体类型，可选：${kinds.map((k) => `${k.id}（${k.name}）`).join('、')}`);
  L.push(`  former_titles: []   # 已获称号，如 [${titleExample(category)}]；没有时保留 []`);
  L.push('');
  L.push('contact:              # 联系人，印在申报函末尾');
  L.push(`  name: ${P}`);
  L.push(`  unit: ${P}          # 所在单位，如 ${ex.unit}；可删除`);
  L.push(`  position: ${P}      # 职务，可删除`);
  L.push(`  phone: ${P}         # 如 "021-64872222"（加引号）`);
  L.push('');
  L.push(`letter:               # 申报函，由${kinds.map((k) => k.signer_hint ?? k.name).filter((v, i, a) => a.indexOf(v) === i).join('或')}行文`);
  L.push(`  number: ${P}        # 发文字号，如 ${ex.code}〔${program.year}〕8号`);
  L.push(`  date: ${P}          # 成文日期 YYYY-MM-DD，不晚于 ${program.deadline}`);
  L.push(`  signer: ${P}        # 发文机关署名，如 ${ex.signer}`);
  if (program.offices) L.push(`  recipient: ${P}     # 主送机关：本省（自治区、直辖市）知识产权局全称，如 江苏省知识产权局；它也是推荐函的署名机关`);
  L.push('');
  if (hasStatusForm) {
    L.push('profile:              # 基本情况，印在基本工作状况表中');
    L.push(`  area_km2: ${P}      # 面积（平方公里）`);
    L.push(`  gdp_100m: ${P}      # ${park ? '园区生产总值' : '地区生产总值'}（亿元）`);
    L.push(`  ip_office: ${P}     # 知识产权管理机构，如 ${ex.unit}`);
    L.push(`  ip_staff: ${P}      # 知识产权工作人员数`);
    L.push(`  leading_industries: [${P}]   # 主导产业，如 [电子信息, 生物医药]`);
    L.push('');
  }
  const auto = category.conditions.filter((c) => c.check.type !== 'declared');
  L.push('# 申报条件符合情况：以下条件需由申报单位说明并列出证明材料（文件名称、文号、日期）。');
  if (auto.length) L.push(`# 其余条件（${auto.map((c) => c.title).filter((v, i, a) => a.indexOf(v) === i).join('、')}）由数据判定，不在此填写。`);
  L.push('conditions:');
  for (const c of category.conditions) {
    if (c.check.type !== 'declared') continue;
    L.push(`  # ${c.clause} ${c.title}：${c.text.replace(/\s+/g, '')}`);
    L.push(`  ${c.id}:`);
    L.push(`    statement: ${P}`);
    L.push('    evidence:');
    L.push(`      - title: ${P}`);
    L.push(`        number: ${P}  # 文号，无文号时删除此行`);
    L.push(`        date: ${P}`);
  }
  L.push('');
  L.push(`# 近三年指标（${years.join('、')} 年），${park ? '园区' : '全域'}口径。派生指标（${derived.map((d) => d.name).join('、')}）自动计算，不要填写。`);
  L.push('# 0 是一个数值（如当年没有质押融资就写 0）；没有统计的指标整行删除，不要写 0。');
  L.push('indicators:');
  for (const y of years) {
    L.push(`  "${y}":`);
    for (const ind of stored) {
      const why = needed.has(ind.id) ? '，申报条件据此判定' : '，无统计可删除';
      L.push(`    ${ind.id}: ${P}   # ${ind.name}（${ind.unit}）${why}`);
    }
  }
  L.push('');
  L.push('report:               # 创建工作报告');
  L.push(`  overview: ${P}      # 基本情况：${park ? '园区区位、面积、主导产业、企业和人才集聚情况' : '地区概况、经济和科技创新情况、知识产权工作机构'}`);
  L.push('  summary:            # 近三年知识产权工作总结，按节填写（节标题不带编号）');
  L.push(`    - title: ${P}`);
  L.push(`      paragraphs: ${P}`);
  L.push('');
  const start = program.year;
  L.push(`plan:                 # 三年期${category.level}工作方案`);
  L.push(`  period: { start: ${start}, end: ${start + 2} }`);
  L.push(`  guiding_ideas: ${P} # 指导思想`);
  L.push('  principles:         # 基本原则');
  L.push(`    - title: ${P}`);
  L.push(`      text: ${P}`);
  L.push(`  overall_goal: ${P}  # 总体目标`);
  L.push(`  targets:            # 量化目标；基期值默认取 ${program.year - 1} 年指标`);
  L.push(`    - indicator: ${stored[0]!.id}`);
  L.push(`      values: { "${start}": ${P}, "${start + 1}": ${P}, "${start + 2}": ${P} }`);
  L.push('  tasks:              # 重点任务');
  L.push(`    - title: ${P}`);
  L.push(`      content: ${P}`);
  L.push(`      lead: ${P}      # 牵头单位`);
  L.push('      partners: []    # 配合单位');
  L.push(`      deadline: "${start + 2}-12"`);
  L.push('  safeguards:         # 保障措施');
  L.push(`    - title: ${P}`);
  L.push(`      text: ${P}`);
  return `${L.join('\n')}\n`;
}

/** A former title this category's conditions name, as the hint's example. */
function titleExample(category: Category): string {
  for (const c of category.conditions) if (c.check.type === 'former_title') return c.check.titles[0]!;
  return category.scope.includes('园区') ? '原国家知识产权试点园区' : '原国家知识产权试点城区';
}
