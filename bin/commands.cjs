'use strict';
/**
 * The CLI's command names, read by bin/shenbao.js to pick a bundle and by tools/bundle.mjs to
 * leave the heavy commands out of the light one: one list, so the two cannot drift.
 */
/** Every command (each gets its own V8 code cache). */
exports.COMMANDS = ['init', 'validate', 'check', 'schema', 'render', 'package', 'batch', 'doctor', 'templates', 'edit'];
/** Commands only dist/bundle/main.cjs has; the rest run from light.cjs. */
exports.HEAVY = ['render', 'package', 'batch', 'templates', 'doctor', 'edit'];
