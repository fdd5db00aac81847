/** The library API: the same steps the CLI runs, typed. */
export * from './common/diagnostics.js';
export * from './common/format.js';
export { loadYamlFile, type LocatedData } from './load/index.js';
export { applicantSchema, type Applicant, type ApplicantInput, type Section } from './schema/applicant.js';
export { validateFile, validateLocated, type ValidApplicant, type ValidationResult } from './schema/validate.js';
export { applicantJsonSchema } from './schema/json-schema.js';
export { starterYaml } from './schema/starter.js';
export { programSchema, type Program, type Category, type Condition, type Material } from './program/schema.js';
export { catalogueSchema, type Catalogue, type Indicator } from './program/indicators.js';
export { loadProgram, loadCatalogue, listPrograms, findCategory } from './program/load.js';
export { evaluate, indicatorSeries, reportingYears, STATUS_LABEL, type Evaluation, type ConditionResult, type ConditionStatus } from './evaluate/index.js';
export { main as runCli } from './cli/main.js';
