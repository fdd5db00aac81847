#!/usr/bin/env node
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// `shenbao --version` answers before any module of the CLI loads (scripts call it to probe the install).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}
const { main } = await import('../dist/cli/main.js');

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
