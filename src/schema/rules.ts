import type { Diagnostic } from '../common/diagnostics.js';
import { HEADING_LEVELS, LINE_HANZI, SUMMARY_FIRST_LEVEL, formatDateZh, hanziWidth } from '../common/format.js';
import type { Catalogue } from '../program/indicators.js';
import type { Category, Program } from '../program/schema.js';
import type { Applicant, Section } from './applicant.js';
import { planBaseYear, reportingYears } from '../program/years.js';
import { xmlInvalidCodes } from '../common/xml.js';

/** A rule finding before positions are attached: the validator locates it by path. */
export type RuleFinding = Omit<Diagnostic, 'file' | 'line' | 'col'>;


/**
 * Cross-field rules: what needs the round, the catalogue or two fields at once. Each rule
 * returns findings with a path; all findings are reported together.
 */
export function checkRules(a: Applicant, program: Program, category: Category, catalogue: Catalogue): RuleFinding[] {
  const out: RuleFinding[] = [];
  const err = (path: (string | number)[], code: string, message: string, label?: string): void => {
    out.push({ severity: 'error', code: `rule.${code}`, path, label, message });
  };
  const warn = (path: (string | number)[], code: string, message: string, label?: string): void => {
    out.push({ severity: 'warning', code: `rule.${code}`, path, label, message });
  };

  // The applicant's kind must exist in the round and be admitted by the category.
  const kind = program.applicant_kinds.find((k) => k.id === a.applicant.kind);
  if (!kind) {
    err(['applicant', 'kind'], 'kind-unknown', `未知的申报主体类型 ${a.applicant.kind}；本批次可用：${program.applicant_kinds.map((k) => `${k.id}（${k.name}）`).join('、')}`, '申报主体类型');
  } else if (!category.kinds.includes(kind.id)) {
    const names = category.kinds.map((id) => program.applicant_kinds.find((k) => k.id === id)?.name ?? id);
    err(['applicant', 'kind'], 'kind-category', `“${category.short_name}”只接受以下申报主体：${names.join('、')}；本单位为 ${kind.name}`, '申报主体类型');
  }

  // Three consecutive years before the round.
  const years = reportingYears(program.year);
  const given = Object.keys(a.indicators).map(Number);
  for (const y of years) {
    if (!given.includes(y)) err(['indicators'], 'indicator-year', `缺少 ${y} 年的指标：本批次（${program.year} 年）需要 ${years.join('、')} 连续三年的数据`, '近三年指标');
  }
  // A year outside the three is still used when the plan starts later and takes its targets'
  // omitted baselines from it.
  const baseYear = planBaseYear(a.plan.period.start);
  const baselineFromData = a.plan.targets.some((t) => t.baseline === undefined);
  for (const y of given) {
    if (!years.includes(y) && !(baselineFromData && y === baseYear)) warn(['indicators', String(y)], 'indicator-extra-year', `${y} 年不在本批次的统计年度（${years.join('、')}）内，不会用于材料`, '近三年指标');
  }

  const byId = new Map(catalogue.indicators.map((i) => [i.id, i]));
  for (const [year, values] of Object.entries(a.indicators)) {
    for (const [id, value] of Object.entries(values)) {
      const ind = byId.get(id);
      const p = ['indicators', year, id];
      if (!ind) {
        err(p, 'indicator-unknown', `指标目录中没有 ${id}；可用的指标见 data/indicators.yaml（如 ${catalogue.indicators.filter((i) => !i.derived).slice(0, 4).map((i) => `${i.id} ${i.name}`).join('、')}）`);
        continue;
      }
      if (ind.derived) err(p, 'indicator-derived', `${ind.name}由其他指标计算得出，请删除此项，填写其来源指标`, ind.name);
      else if (ind.kind === 'percent' && (value < 0 || value > 100)) err(p, 'percent-range', `百分比应在 0 到 100 之间`, ind.name);
      else if (ind.kind === 'rank' && (!Number.isInteger(value) || value < 1)) err(p, 'rank', '名次应为从 1 开始的整数', ind.name);
    }
  }

  // The 发文字号 year must be the letter's year.
  const numberYear = /〔(\d{4})〕/.exec(a.letter.number)?.[1];
  const letterYear = a.letter.date.slice(0, 4);
  if (numberYear && numberYear !== letterYear) {
    err(['letter', 'number'], 'letter-year', `发文字号中的年份 ${numberYear} 与成文日期 ${formatDateZh(a.letter.date)} 的年份不一致`, '发文字号');
  }
  // The 署名 stands on one line (GB/T 9704 7.3.5): a name wider than the type area cannot.
  const signerWidth = hanziWidth(a.letter.signer);
  if (signerWidth > LINE_HANZI) {
    err(['letter', 'signer'], 'signer-width', `发文机关署名长 ${signerWidth} 个汉字宽，超过一行（${LINE_HANZI} 字），无法排在一行：请使用规范简称`, '发文机关署名');
  }
  if (normDate(a.letter.date) > program.deadline) {
    warn(['letter', 'date'], 'after-deadline', `成文日期晚于本批次的报送截止日期 ${formatDateZh(program.deadline)}`, '成文日期');
  }

  // The recipient is the round's office; where the round leaves it to the province, the
  // applicant names its provincial office, which also signs the 推荐函.
  if (program.offices) {
    const examples = program.offices.slice(0, 3).join('、');
    if (!a.letter.recipient) {
      err(['letter'], 'recipient-required', `本批次的申报函报送本省（自治区、直辖市）知识产权局：请在 letter.recipient 中写明，如 ${examples}`, '主送机关');
    } else if (!program.offices.includes(a.letter.recipient)) {
      err(['letter', 'recipient'], 'recipient-unknown', `主送机关应为省级知识产权局的全称，如 ${examples}（共 ${program.offices.length} 个，见批次文件 offices）`, '主送机关');
    }
  } else if (a.letter.recipient && a.letter.recipient !== program.recipient) {
    warn(['letter', 'recipient'], 'recipient-other', `本批次的申报函报送${program.recipient}，主送机关与之不同，请核实`, '主送机关');
  }

  // Data that no document of this round shows is said so, never silently dropped.
  const hasStatusForm = program.materials.some((m) => m.id === 'status-form');
  if (!hasStatusForm) {
    // place stays useful here: a title that wraps keeps it whole (model/build titleTerms).
    const given = Object.entries(a.profile).filter(([k, v]) => (k === 'leading_industries' ? (v as string[]).length > 0 : v !== undefined));
    if (given.length) warn(['profile'], 'unused-profile', '本批次的材料中没有基本工作状况表，基本情况（profile）中的数据不会出现在任何材料中，可删除；需要时写入创建工作报告的基本情况', '基本情况');
  } else {
    if (a.applicant.place === undefined) err(['applicant'], 'place-required', '基本工作状况表需要申报地区或园区名称：请填写 applicant.place，如 苏州市', '申报地区或园区名称');
    const missing = (['area_km2', 'gdp_100m', 'ip_office', 'ip_staff'] as const).filter((k) => a.profile[k] === undefined);
    if (missing.length || a.profile.leading_industries.length === 0) {
      warn(['profile'], 'profile-missing', '基本工作状况表中的面积、地区生产总值、知识产权管理机构、工作人员或主导产业尚未填写（profile），表中将显示“—”', '基本情况');
    }
  }

  // The plan: three years, targets and deadlines inside it.
  const { start, end } = a.plan.period;
  if (end - start !== 2) err(['plan', 'period'], 'plan-period', `三年期方案应覆盖连续三年，现为 ${start}—${end} 年`, '方案期限');
  if (start < program.year - 1 || start > program.year + 1) warn(['plan', 'period', 'start'], 'plan-start', `方案起始年 ${start} 与申报年度 ${program.year} 相差较大`, '起始年');
  const baseYearValues = a.indicators[String(baseYear)] ?? {};
  a.plan.targets.forEach((t, i) => {
    const p = ['plan', 'targets', i];
    const ind = byId.get(t.indicator);
    if (!ind) err([...p, 'indicator'], 'target-indicator', `指标目录中没有 ${t.indicator}`, '指标代码');
    for (const y of Object.keys(t.values)) {
      const n = Number(y);
      if (n < start || n > end) err([...p, 'values', y], 'target-year', `目标年份 ${y} 不在方案期限 ${start}—${end} 年内`, '各年度目标值');
    }
    for (let y = start; y <= end; y++) {
      if (!(String(y) in t.values)) warn([...p, 'values'], 'target-missing-year', `缺少 ${y} 年的目标值`, '各年度目标值');
    }
    if (t.baseline === undefined && ind && !ind.derived && baseYearValues[t.indicator] === undefined) {
      err([...p, 'baseline'], 'target-baseline', `缺少基期值：方案起始年前一年（${baseYear} 年）的指标中没有 ${t.indicator}，请填写 baseline`, '基期值');
    }
  });
  a.plan.tasks.forEach((task, i) => {
    const y = Number(task.deadline.slice(0, 4));
    if (y < start || y > end) err(['plan', 'tasks', i, 'deadline'], 'task-deadline', `完成时限 ${task.deadline} 不在方案期限 ${start}—${end} 年内`, '完成时限');
  });

  // Condition statements must name conditions of this category.
  const ids = new Map(category.conditions.map((c) => [c.id, c]));
  for (const [id, c] of Object.entries(a.conditions)) {
    if (!ids.has(id)) {
      err(['conditions', id], 'condition-unknown', `“${category.short_name}”没有代码为 ${id} 的申报条件；本类别需自述的条件：${declaredIds(category).join('、')}`, '申报条件符合情况');
      continue;
    }
    c.evidence.forEach((e, j) => {
      if (normDate(e.date) > normDate(a.letter.date)) warn(['conditions', id, 'evidence', j, 'date'], 'evidence-date', `证明材料日期晚于申报函成文日期 ${formatDateZh(a.letter.date)}`, '印发日期');
    });
  }
  for (const c of category.conditions) {
    if (c.check.type === 'declared' && !(c.id in a.conditions)) {
      warn(['conditions'], 'condition-missing', `尚未填写申报条件 ${c.id}（${c.title}）的符合情况说明和证明材料；check 将显示“待补充”`, '申报条件符合情况');
    }
  }

  // Numbering stops at four levels (一、（一）1.（1）), and the summary starts at （一）.
  const depth = (s: Section[], d: number, path: (string | number)[]): void => {
    s.forEach((sec, i) => {
      if (d > HEADING_LEVELS) err([...path, i], 'section-depth', `标题层级超过 ${HEADING_LEVELS} 级（一、（一）1.（1））：工作总结的各节从（一）起，最多再分两级（1.（1））`, '章节');
      depth(sec.sections, d + 1, [...path, i, 'sections']);
    });
  };
  depth(a.report.summary, SUMMARY_FIRST_LEVEL, ['report', 'summary']);
  return out;
}

function declaredIds(category: Category): string[] {
  return category.conditions.filter((c) => c.check.type === 'declared').map((c) => c.id);
}

/** "2022-2-5" and "2022-02-05" compare equal as strings after padding. */
export function normDate(d: string): string {
  const [y, m = '1', day = '1'] = d.split('-');
  return `${y}-${m.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * Control characters pasted from Word or a spreadsheet: found where they were typed (the DOCX
 * stage removes them later, but only the data file tells the user which line to clean).
 */
export function controlCharFindings(raw: unknown, path: (string | number)[] = [], out: RuleFinding[] = []): RuleFinding[] {
  if (typeof raw === 'string') {
    const codes = xmlInvalidCodes(raw);
    if (codes.length) {
      out.push({ severity: 'warning', code: 'rule.control-char', path, message: `含有 Word 文件不允许的控制字符（${codes.join('、')}），生成文件时将删除；建议在编辑器中删去` });
    }
  } else if (Array.isArray(raw)) raw.forEach((v, i) => controlCharFindings(v, [...path, i], out));
  else if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) controlCharFindings(v, [...path, k], out);
  return out;
}
