/**
 * The shipped templates, as code: one function per document, each a list of styled paragraphs
 * with docxtemplater tags. Every value shown comes from the view model (src/model/fields.ts);
 * the only literal text is wording that never changes (table headers, 附件, 证明材料：).
 */
import { RECOMMENDATION_COLUMNS } from '../src/model/layout.js';
import { TAB, docxPackage, loop, p, paras, table, unless, type Column, type PageSetup } from './ooxml.js';

const blank = p('Normal');
/**
 * The paragraph Word requires after a closing table: 1 pt high, so a table that fills its page
 * does not push it onto a page of its own (a blank numbered page).
 */
const end = p('DocEnd');

/** The blank for letterhead paper, 发文字号, title, 主送机关 and body: how every letter (申报函, 推荐函) opens. */
function letterHead(): string[] {
  return [
    // The generated 版头 is in the first page's header (tools/ooxml.ts); letterhead paper keeps a blank here.
    loop('letterhead_space', 'LetterheadSpace', p('LetterheadSpace')),
    p('DocNumber', '{number}'),
    blank,
    p('DocTitle', '{title}'),
    blank,
    p('Recipient', '{recipient}：'),
    paras('body'),
  ];
}

/**
 * Two blank lines, then 署名 (centred over the date, or flush right when too long), 成文日期
 * 右空四字 and 附注: how every letter closes. All keep with the next, so they move as one block.
 */
function letterFoot(): string[] {
  return [
    // Two blank lines, fewer where the block would otherwise open a page alone (7.3.5.5).
    loop('foot_blanks', 'BlankKeep', p('BlankKeep')),
    loop('signer_centred', 'Signer', p('Signer', '{signer}')),
    unless('signer_centred', 'SignerRight', p('SignerRight', '{signer}')),
    p('DateLine', '{date}'),
    p('Annotation', '{note}'),
  ];
}

/** A document the letter sends as 附件N: the label on line 1, the title on line 3 (7.3.7). */
function attachmentHead(): string[] {
  return [loop('attachment', 'AttachLabelTop', [p('AttachLabelTop', '{attachment_label}'), blank])];
}

function letter(): string {
  return [
    ...letterHead(),
    p('Closing', '{closing}'),
    p('BlankKeep'),
    // The last name keeps with the 署名 below it, so the 署名 never opens a page alone (7.3.5.5).
    loop('attachments', 'AttachNote', [
      unless('last', 'AttachNote', p('AttachNote', `{#first}附件：{/first}{^first}${TAB}{/first}{number}${TAB}{name}`)),
      loop('last', 'AttachNoteKeep', p('AttachNoteKeep', `{#first}附件：{/first}{^first}${TAB}{/first}{number}${TAB}{name}`)),
    ]),
    ...letterFoot(),
  ].join('');
}

/**
 * Widths that hold the widest figure on one line in 五号 (10.5 pt) even with a stand-in Latin
 * face whose digits are wider than Times New Roman's (DejaVu Serif: 6.7 pt a digit): a value
 * column takes "19,516,000" (60 pt) and the 0.08 cm cell margins; a growth column "-15.6%".
 */
const VALUE_WIDTH = 1400;
const GROWTH_WIDTH = 1000;
const UNIT_WIDTH = 700;
const indicatorColumns: Column[] = [
  { head: '指标', cell: '{name}', width: 8845 - UNIT_WIDTH - 3 * VALUE_WIDTH - 2 * GROWTH_WIDTH, left: true },
  { head: '单位', cell: '{unit}', width: UNIT_WIDTH },
  { head: '{y1}', cell: '{v1}', width: VALUE_WIDTH, style: 'TableNumber' },
  { head: '{y2}', cell: '{v2}', width: VALUE_WIDTH, style: 'TableNumber' },
  { head: '{y3}', cell: '{v3}', width: VALUE_WIDTH, style: 'TableNumber' },
  { head: '{y2}增长', cell: '{g2}', width: GROWTH_WIDTH, style: 'TableNumber' },
  { head: '{y3}增长', cell: '{g3}', width: GROWTH_WIDTH, style: 'TableNumber' },
];

function sections(): string {
  // 一、 is the part heading; the applicant's sections start at （一） and nest to （1）.
  const level4 = loop('sections', 'Heading3', [p('Heading3', '{heading}'), paras('paragraphs')]);
  const level3 = loop('sections', 'Heading3', [p('Heading3', '{heading}'), paras('paragraphs'), level4]);
  return loop('summary', 'Heading2', [p('Heading2', '{heading}'), paras('paragraphs'), level3]);
}

function report(): string {
  return [
    ...attachmentHead(),
    p('DocTitle', '{title}'),
    blank,
    p('Heading1', '{overview_heading}'),
    paras('overview'),
    p('Heading1', '{conditions_heading}'),
    loop('conditions_intro', 'Normal', p('Normal', '{conditions_intro}')),
    loop('conditions', 'Normal', [
      p('Heading2', '{heading}'),
      p('Normal', '申报条件：{text}'),
      p('Normal', '符合情况：{status}。{reason}'),
      paras('statement'),
      loop('has_evidence', 'Normal', [p('ListLabel', '证明材料：'), loop('evidence', 'EvidenceLine', p('EvidenceLine', '{line}'))]),
    ]),
    p('Heading1', '{summary_heading}'),
    sections(),
    p('Heading2', '{indicators_heading}'),
    p('Normal', '{indicator_note}'),
    table('indicators', indicatorColumns),
    end,
  ].join('');
}

function plan(): string {
  return [
    ...attachmentHead(),
    p('DocTitle', '{title}'),
    p('DocSubtitle', '（{period}）'),
    blank,
    p('Heading1', '{requirements_heading}'),
    p('Heading2', '{guiding_heading}'),
    paras('guiding_ideas'),
    p('Heading2', '{principles_heading}'),
    loop('principles', 'Normal', [p('Heading3', '{heading}'), paras('paragraphs')]),
    p('Heading1', '{goals_heading}'),
    p('Heading2', '{overall_goal_heading}'),
    paras('overall_goal'),
    p('Heading2', '{targets_heading}'),
    table('targets', [
      { head: '指标', cell: '{name}', width: 8845 - UNIT_WIDTH - 4 * VALUE_WIDTH, left: true },
      { head: '单位', cell: '{unit}', width: UNIT_WIDTH },
      { head: '{baseline_label}', cell: '{baseline}', width: VALUE_WIDTH, style: 'TableNumber' },
      { head: '{t1}', cell: '{v1}', width: VALUE_WIDTH, style: 'TableNumber' },
      { head: '{t2}', cell: '{v2}', width: VALUE_WIDTH, style: 'TableNumber' },
      { head: '{t3}', cell: '{v3}', width: VALUE_WIDTH, style: 'TableNumber' },
    ]),
    p('Heading1', '{tasks_heading}'),
    loop('tasks', 'Normal', [
      p('Heading2', '{heading}'),
      paras('paragraphs'),
      p('Normal', '牵头单位：{lead}；配合单位：{partners}；完成时限：{deadline}。'),
    ]),
    p('Heading1', '{safeguards_heading}'),
    loop('safeguards', 'Normal', [p('Heading2', '{heading}'), paras('paragraphs')]),
    blank,
    p('AttachNote', `附件：{breakdown_name}`),
    p('AttachLabel', '附件'),
    blank,
    p('DocTitle', '{breakdown_title}'),
    blank,
    table('tasks', [
      { head: '序号', cell: '{number}', width: 700 },
      { head: '重点任务', cell: '{title}', width: 1700, left: true },
      { head: '工作措施', cell: '{measures}', width: 2945, left: true },
      { head: '牵头单位', cell: '{lead}', width: 1200 },
      { head: '配合单位', cell: '{partners}', width: 1200 },
      { head: '完成时限', cell: '{deadline}', width: 1100 },
    ]),
    end,
  ].join('');
}

function statusForm(): string {
  return [
    ...attachmentHead(),
    p('DocTitle', '{title}'),
    blank,
    table('basics', [
      { head: '项目', cell: '{label}', width: 2645 },
      { head: '内容', cell: '{value}', width: 6200, left: true },
    ]),
    blank,
    p('BodyFlush', '{indicators_heading}'),
    table('indicators', indicatorColumns),
    blank,
    p('BodyFlush', '{contact_line}'),
  ].join('');
}

function recommendation(): string {
  return [
    ...letterHead(),
    table('entries', [
      // Two lines a row for the usual wording: the 推荐函 then keeps its 署名 on its first page.
      { head: '序号', cell: '{number}', width: RECOMMENDATION_COLUMNS[0]! },
      { head: '申报单位', cell: '{name}', width: RECOMMENDATION_COLUMNS[1]!, left: true },
      { head: '申报类别', cell: '{category}', width: RECOMMENDATION_COLUMNS[2]!, left: true },
      { head: '审核意见', cell: '{review}', width: RECOMMENDATION_COLUMNS[3]!, left: true },
    ]),
    p('Closing', '{closing}'),
    ...letterFoot(),
  ].join('');
}

function contactReceipt(): string {
  return [
    p('DocTitle', '{title}'),
    blank,
    p('BodyFlush', '{intro}'),
    table('contacts', [
      { head: '单位', cell: '{unit}', width: 1745, left: true },
      { head: '姓名', cell: '{name}', width: 1000 },
      { head: '职务', cell: '{position}', width: 1100 },
      { head: '办公电话', cell: '{phone}', width: 1500, style: 'TableNumber' },
      { head: '手机', cell: '{mobile}', width: 1500, style: 'TableNumber' },
      { head: '电子邮箱', cell: '{email}', width: 2000, style: 'TableNumber' },
    ]),
  ].join('');
}

const DOCS: Record<string, { title: string; body: () => string; setup?: PageSetup }> = {
  // 信函格式 (GB/T 9704 10.1): no page number on the first page.
  letter: { title: '申报函', body: letter, setup: { unnumberedFirstPage: true } },
  report: { title: '创建工作报告', body: report },
  plan: { title: '三年期工作方案', body: plan },
  'status-form': { title: '基本工作状况表', body: statusForm },
  recommendation: { title: '推荐函', body: recommendation, setup: { unnumberedFirstPage: true } },
  'contact-receipt': { title: '联系人回执', body: contactReceipt },
};

/** Which documents each round ships (file names as in data/programs/<round>.yaml). */
export const ROUNDS: Record<string, string[]> = {
  '2022-shanghai': ['letter', 'report', 'plan'],
  '2022-national': ['recommendation', 'letter', 'report', 'plan', 'status-form', 'contact-receipt'],
};

/** Every shipped template: round → file name → bytes. Pure and deterministic. */
export function buildAllTemplates(): Record<string, Record<string, Buffer>> {
  const out: Record<string, Record<string, Buffer>> = {};
  for (const [round, docs] of Object.entries(ROUNDS)) {
    out[round] = {};
    for (const id of docs) {
      const doc = DOCS[id]!;
      out[round][`${id}.docx`] = docxPackage(doc.title, doc.body(), doc.setup);
    }
  }
  return out;
}
