#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';

const args = process.argv.slice(2);
// `shenbao --version` answers before any module of the CLI loads (scripts call it to probe the install).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}
// Node 22+ keeps V8's compiled code between runs (zod, yaml, pdf-lib): later start-ups skip parsing.
module.enableCompileCache?.();
// The bundled build (tools/bundle.mjs) when `npm run build` made one: a third of the start-up.
const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) && !process.env.SHENBAO_NO_BUNDLE ? bundle.href : '../dist/cli/main.js');

// `shenbao check … | head`: a closed pipe is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(args).then((code) => {
  process.exitCode = code;
});
