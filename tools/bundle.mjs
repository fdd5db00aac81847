/**
 * `npm run build` step: the CLI (dist/cli/main.js) bundled by esbuild into one CommonJS file,
 * dist/bundle/main.cjs (and light.cjs without the commands that make PDFs), which bin/shenbao.js loads when it is there. Node 20 spends most of a
 * short command's start-up resolving and compiling the hundreds of files of zod, yaml, pdf-lib
 * and commander; one file makes `validate` start in about a third of the time, and being a script
 * (not an ES module) lets bin/shenbao.js keep V8's compiled code between runs (a code cache: Node
 * 20 has no module.enableCompileCache). Each command's modules stay lazily evaluated inside the
 * file (esbuild turns `await import()` into a deferred initialiser).
 * Packages that find files next to their own code at run time (wasm, worker scripts) stay outside.
 * Zod's 60 translations of its messages are left out: shenbao writes its own Chinese messages.
 * Without esbuild (an install without dev dependencies) the step is skipped and the CLI runs unbundled.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('esbuild 未安装，跳过打包（命令行仍可使用，只是启动稍慢）\n');
  process.exit(0);
}
const out = `${root}dist/bundle`;
rmSync(out, { recursive: true, force: true });
/** Commands the light bundle leaves out: they load pdf-lib, fontkit, docxtemplater and the worker pool. */
const HEAVY = ['render', 'package', 'batch', 'templates', 'doctor', 'edit'];
const options = {
  entryPoints: [`${root}dist/cli/main.js`],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['piscina', 'wawoff2', 'harfbuzzjs', 'subset-font', 'fontverter'],
  // The sources are ES modules that locate files from import.meta.url; in a script it is the bundle's own URL.
  define: { 'import.meta.url': '__shenbaoUrl' },
  banner: { js: "var __shenbaoUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  // No comments or indentation: a fifth of the bytes to read and hash at every start (names are kept for stack traces).
  minifyWhitespace: true,
  charset: 'ascii',
  logLevel: 'warning',
  plugins: [
    {
      name: 'zod-without-translations',
      setup(build) {
        build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
          /[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
        );
        build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
          contents: `export { default as en } from ${JSON.stringify(args.path)};`,
          resolveDir: path.dirname(args.path),
        }));
      },
    },
  ],
};
// Two folders below the package root, as dist/cli/main.js is: modules find package.json and data/ from there.
await esbuild.build({ ...options, outfile: `${out}/main.cjs` });
// The same CLI without the heavy commands, for init, validate, check and schema: a third of the
// bytes to read and of the code cache to load at start-up. bin/shenbao.js picks the bundle by
// the command; a heavy command reaching this one is a bug in that choice, said as such.
await esbuild.build({
  ...options,
  outfile: `${out}/light.cjs`,
  plugins: [
    ...options.plugins,
    {
      name: 'light',
      setup(build) {
        const filter = new RegExp(`^\\./commands/(${HEAVY.join('|')})\\.js$`);
        build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'heavy' }));
        build.onLoad({ filter: /.*/, namespace: 'heavy' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path} is not in the light bundle`)});` }));
      },
    },
  ],
});

// The editor's front end (shenbao edit): one script and its page, served by src/edit/server.ts.
// Everything it needs is in the bundle, so the workspace works offline and loads nothing from a CDN.
const ui = `${root}dist/edit/ui`;
rmSync(ui, { recursive: true, force: true });
mkdirSync(ui, { recursive: true });
await esbuild.build({
  entryPoints: { app: `${root}src/edit/ui/main.tsx` },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: ui,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) copyFileSync(`${root}src/edit/ui/${f}`, `${ui}/${f}`);
