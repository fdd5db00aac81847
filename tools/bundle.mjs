/**
 * `npm run build` step: the CLI (dist/cli/main.js) bundled by esbuild into dist/bundle/, one file
 * per lazily imported command (code splitting), which bin/shenbao.js loads when it is there. Node
 * 20 spends most of a short command's start-up resolving and compiling the hundreds of files of
 * zod, yaml and commander; one file each makes `validate` start in about a third of the time.
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
await esbuild.build({
  entryPoints: [`${root}dist/cli/main.js`],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  // Next to main.js: modules that find package.json and data/ two folders up must stay two folders down.
  chunkNames: '[name]-[hash]',
  external: ['piscina', 'wawoff2', 'harfbuzzjs', 'subset-font', 'fontverter'],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __shenbaoRequire } from 'node:module'; const require = __shenbaoRequire(import.meta.url);" },
  legalComments: 'none',
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
