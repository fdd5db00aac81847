export { buildViewModels, buildRecommendation, reportYears, hanziWidth, layoutTitle, letterAttachments } from './build.js';
export type { ModelInput, ViewModel, ViewModels, BuiltModels, RecommendationEntry } from './build.js';
export { viewModelFields, docIdOfTemplate, DOC_FIELDS, DOC_IDS } from './fields.js';
export type { DocId, FieldSpec, FieldType } from './fields.js';
export * from './format.js';
export { buildCoverModel, buildChecklistModel, buildSummaryModel, summaryCsv } from './package.js';
export type { CoverInput, ChecklistInput, SummaryInput, SummaryApplicant } from './package.js';
export { COMMON_DOC_FIELDS, COMMON_DOC_IDS } from './fields.js';
export type { CommonDocId } from './fields.js';
