#!/usr/bin/env node
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const args = process.argv.slice(2);
// `shenbao --version` answers before any module of the CLI loads (scripts call it to probe the install).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}
// Node 22+ keeps V8's compiled code between runs by itself.
const nodeCache = module.enableCompileCache?.();

const COMMANDS = new Set(['init', 'validate', 'check', 'schema', 'render', 'package', 'batch', 'doctor', 'templates', 'edit']);
/** Commands only dist/bundle/main.cjs has (tools/bundle.mjs); the rest run from light.cjs. */
const HEAVY = new Set(['render', 'package', 'batch', 'templates', 'doctor', 'edit']);

/**
 * The bundled CLI (tools/bundle.mjs) run as a script with V8's code cache: the functions a
 * command compiled last time are read back instead of being parsed and compiled again (Node 20
 * has no compile cache of its own). One cache per command, since each compiles different code,
 * under the OS cache folder (never the user's), named after the bundle's size and time, so a
 * rebuilt or upgraded bundle starts a new one. An entry that fails its hash, or that V8 rejects,
 * is only ignored and written again. SHENBAO_CACHE=0 turns it off, SHENBAO_CACHE_DIR moves it.
 */
function loadBundle(file) {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  const command = COMMANDS.has(args[0]) ? args[0] : 'other';
  const cacheFile = codeCacheFile(`${path.basename(file, '.cjs')}-${st.size}-${Math.round(st.mtimeMs)}-${process.version}-${process.arch}-${command}`);
  let cached;
  if (cacheFile) {
    try {
      const data = readFileSync(cacheFile);
      const body = data.subarray(32);
      if (data.length > 32 && createHash('sha256').update(body).digest().equals(data.subarray(0, 32))) cached = body;
    } catch {
      // First run of this command, or the cache is unreadable: compile as usual.
    }
  }
  const script = new vm.Script(module.wrap(source), {
    filename: file,
    cachedData: cached,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const exports = {};
  const mod = { exports, filename: file, id: file, loaded: false };
  script.runInThisContext()(exports, module.createRequire(file), mod, file, path.dirname(file));
  const save = () => {
    if (!cacheFile || (cached && !script.cachedDataRejected)) return;
    try {
      const data = script.createCachedData();
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]));
      renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written costs the next run its start-up, nothing more.
    }
  };
  return { main: mod.exports.main, save };
}

/**
 * The folder src/common/cache.ts uses (env-paths' cache folder), worked out here without loading
 * env-paths: resolving one more package costs a start-up a few milliseconds.
 */
function cacheRoot() {
  const off = process.env.SHENBAO_CACHE;
  if (off !== undefined && /^(0|off|false|no)$/i.test(off.trim())) return undefined;
  if (process.env.SHENBAO_CACHE_DIR) return process.env.SHENBAO_CACHE_DIR;
  const home = os.homedir();
  if (!home) return undefined;
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'shenbao');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'shenbao', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'shenbao');
}

function codeCacheFile(key) {
  const root = cacheRoot();
  if (!root) return undefined;
  return path.join(root, 'v8', `${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}-${key}.cache`);
}

const bundle = fileURLToPath(new URL(`../dist/bundle/${HEAVY.has(args[0]) ? 'main' : 'light'}.cjs`, import.meta.url));
const loaded = !existsSync(bundle) || process.env.SHENBAO_NO_BUNDLE
  ? { main: (await import('../dist/cli/main.js')).main }
  : nodeCache // Node 22+: its own cache covers a required script.
    ? { main: module.createRequire(import.meta.url)(bundle).main }
    : loadBundle(bundle);

// `shenbao check … | head`: a closed pipe is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

loaded.main(args).then((code) => {
  process.exitCode = code;
  loaded.save?.();
});
