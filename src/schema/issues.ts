// zod issues as diagnostics live in common/ because rounds (program/) and applicants (schema/) both use them.
export * from '../common/issues.js';
