#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
// `shenbao --version` answers before any module of the CLI loads (scripts call it to probe the install).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}

const require = module.createRequire(import.meta.url);
const names = require('./commands.cjs');
const COMMANDS = new Set(names.COMMANDS);
const HEAVY = new Set(names.HEAVY);

// The bundled CLI when `npm run build` made one, with V8's code cache (code-cache.cjs): a
// fraction of the start-up of the hundreds of files under dist/cli.
const bundle = fileURLToPath(new URL(`../dist/bundle/${HEAVY.has(args[0]) ? 'main' : 'light'}.cjs`, import.meta.url));
const loaded = existsSync(bundle) && !process.env.SHENBAO_NO_BUNDLE
  ? require('./code-cache.cjs').load(bundle, COMMANDS.has(args[0]) ? args[0] : 'other')
  : { exports: await import('../dist/cli/main.js'), save() {} };

// `shenbao check … | head`: a closed pipe is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

loaded.exports.main(args).then((code) => {
  process.exitCode = code;
  loaded.save();
});
