import type { Catalogue } from '../program/indicators.js';
import type { Category, Program } from '../program/schema.js';
import { reportingYears } from '../program/years.js';

/**
 * A commented starter applicant file. Every value the applicant must supply is left empty
 * ("" or a 0 to replace), so `validate` lists exactly what is still to do, with the line of each.
 */
export function starterYaml(program: Program, category: Category, catalogue: Catalogue, schemaRef = 'https://shenbao.invalid/applicant.schema.json'): string {
  const years = reportingYears(program.year);
  const kinds = category.kinds.map((id) => program.applicant_kinds.find((k) => k.id === id)!);
  const stored = catalogue.indicators.filter((i) => !i.derived);
  const derived = catalogue.indicators.filter((i) => i.derived);
  const L: string[] = [];
  const q = (s: string) => JSON.stringify(s);
  L.push(`# yaml-language-server: $schema=${schemaRef}`);
  L.push(`# shenbao 申报数据：${program.name}`);
  L.push(`# 申报类别：${category.name}（名额 ${category.quota ?? '由省级知识产权局确定'}）`);
  L.push(`# 报送截止：${program.deadline}，${program.submission.text}`);
  L.push('# 填写说明：把每个 "" 换成实际内容；长段落用 | 块写，空行分段；标题不要自带“一、（一）”等编号。');
  L.push('# 填完后运行 shenbao validate 本文件 检查，shenbao check 本文件 查看申报条件符合情况。');
  L.push('');
  L.push(`program: ${program.id}`);
  L.push(`category: ${category.id}   # ${category.short_name}`);
  L.push('');
  L.push('applicant:');
  L.push('  name: ""          # 申报单位全称，如 上海市徐汇区人民政府');
  L.push('  short_name: ""    # 简称，如 徐汇区');
  L.push('  place: ""         # 申报地区或园区名称');
  L.push(`  kind: ${kinds[0]!.id}   # 申报主体类型，可选：${kinds.map((k) => `${k.id}（${k.name}）`).join('、')}`);
  L.push('  former_titles: [] # 已获称号，如 [原国家知识产权试点城区]');
  L.push('');
  L.push('contact:            # 联系人（写入申报函附注）');
  L.push('  name: ""');
  L.push('  position: ""      # 职务，可删除');
  L.push('  phone: ""         # 如 021-64872222');
  L.push('');
  L.push('letter:             # 申报函');
  L.push(`  number: ""        # 发文字号，如 X府〔${program.year}〕8号`);
  L.push(`  date: ""          # 成文日期 YYYY-MM-DD，不晚于 ${program.deadline}`);
  L.push('  signer: ""        # 发文机关署名');
  L.push('');
  L.push('# 申报条件符合情况：以下条件需由申报单位说明并列出证明材料（文件名称、文号、日期）。');
  L.push('# 其余条件（申报主体、经费占比、考核排名、已获称号）由数据自动判定。');
  L.push('conditions:');
  for (const c of category.conditions) {
    if (c.check.type !== 'declared') continue;
    L.push(`  # ${c.clause} ${c.title}：${c.text.replace(/\s+/g, '')}`);
    L.push(`  ${c.id}:`);
    L.push('    statement: ""');
    L.push('    evidence:');
    L.push('      - title: ""');
    L.push('        number: ""  # 文号，无文号可删除此行');
    L.push('        date: ""');
  }
  L.push('');
  L.push(`# 近三年指标（${years.join('、')} 年）。派生指标（${derived.map((d) => d.name).join('、')}）自动计算，不要填写。`);
  L.push('indicators:');
  for (const y of years) {
    L.push(`  "${y}":`);
    for (const ind of stored) L.push(`    ${ind.id}: 0   # ${ind.name}（${ind.unit}）${ind.kind === 'rank' ? '，无排名可删除' : ''}`);
  }
  L.push('');
  L.push('report:             # 创建工作报告');
  L.push('  overview: ""      # 基本情况');
  L.push('  summary:          # 近三年知识产权工作总结，按节填写');
  L.push('    - title: ""');
  L.push('      paragraphs: ""');
  L.push('');
  const start = program.year;
  L.push('plan:               # 三年期工作方案');
  L.push(`  period: { start: ${start}, end: ${start + 2} }`);
  L.push('  guiding_ideas: "" # 指导思想');
  L.push('  principles:       # 基本原则');
  L.push('    - title: ""');
  L.push('      text: ""');
  L.push('  overall_goal: ""  # 总体目标');
  L.push(`  targets:          # 量化目标；基期值默认取 ${program.year - 1} 年指标`);
  L.push(`    - indicator: ${stored[0]!.id}`);
  L.push(`      values: { "${start}": 0, "${start + 1}": 0, "${start + 2}": 0 }`);
  L.push('  tasks:            # 重点任务');
  L.push('    - title: ""');
  L.push('      content: ""');
  L.push('      lead: ""      # 牵头单位');
  L.push('      partners: []  # 配合单位');
  L.push(`      deadline: "${start + 2}-12"`);
  L.push('  safeguards:       # 保障措施');
  L.push('    - title: ""');
  L.push('      text: ""');
  return `${L.join('\n')}\n`;
}
