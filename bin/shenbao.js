#!/usr/bin/env node
'use strict';
// A CommonJS script (bin/package.json): an ES module entry makes Node load its ES module loader
// first, a few milliseconds of every command's start-up (measured: 5–8 ms of a 110 ms validate).
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
// `shenbao --version` answers before any module of the CLI loads (scripts call it to probe the install).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}

const names = require('./commands.cjs');
const COMMANDS = new Set(names.COMMANDS);
const HEAVY = new Set(names.HEAVY);

// `shenbao check … | head`: a closed pipe is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// The bundled CLI when `npm run build` made one, with V8's code cache (code-cache.cjs): a
// fraction of the start-up of the hundreds of files under dist/cli.
const bundle = path.join(__dirname, '..', 'dist', 'bundle', `${HEAVY.has(args[0]) ? 'main' : 'light'}.cjs`);
const loaded = existsSync(bundle) && !process.env.SHENBAO_NO_BUNDLE
  ? Promise.resolve(require('./code-cache.cjs').load(bundle, COMMANDS.has(args[0]) ? args[0] : 'other'))
  : import('../dist/cli/main.js').then((exports) => ({ exports, save() {} }));

loaded.then((cli) =>
  cli.exports.main(args).then((code) => {
    process.exitCode = code;
    cli.save();
  }),
);
