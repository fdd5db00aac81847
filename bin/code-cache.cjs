'use strict';
/**
 * A bundled script (tools/bundle.mjs) run with V8's code cache: the functions it compiled last
 * time are read back instead of being parsed and compiled again (Node 20 has no compile cache of
 * its own; from Node 22 module.enableCompileCache does this and `load` just requires the file).
 * One cache per use (a CLI command, the batch worker), since each compiles different code, under
 * the OS cache folder (never the user's), named after the version and the bundle's size and
 * time, so a rebuilt or upgraded bundle starts a new one. An entry that fails its checksum, or
 * that V8 rejects, is only ignored and written again. SHENBAO_CACHE=0 turns it off, SHENBAO_CACHE_DIR
 * moves it (the same folder as src/common/cache.ts).
 */
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/**
 * The cache root, or undefined when the cache is off (SHENBAO_CACHE=0) or there is no home
 * folder: env-paths' cache folder, worked out here (resolving one more package costs every
 * start-up a few milliseconds). src/common/cache.ts uses this one too, so the code cache and the
 * other caches can never disagree on where the cache is.
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

let version;
function cacheFile(file, use) {
  const root = cacheRoot();
  if (!root) return undefined;
  try {
    version ??= JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
    const st = statSync(file);
    return path.join(root, 'v8', `${version}-${path.basename(file, '.cjs')}-${st.size}-${Math.round(st.mtimeMs)}-${process.version}-${process.arch}-${use}.${sumName()}.cache`);
  } catch {
    return undefined;
  }
}

/** Caches of earlier builds and versions pile up: past MAX_BYTES the least recently used go. */
const MAX_BYTES = 64 << 20;

/**
 * One of the cache's folders down to three quarters of maxBytes, least recently used first (a
 * read touches its entry), and the .tmp files of writers killed over an hour ago. Shared with
 * src/common/cache.ts: every folder of the cache follows the same rule.
 */
function prune(dir, maxBytes) {
  let entries;
  try {
    entries = readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      try {
        const st = statSync(file);
        if (name.endsWith('.tmp') && Date.now() - st.mtimeMs > 3600_000) {
          unlinkSync(file);
          return [];
        }
        return st.isFile() ? [{ file, size: st.size, used: st.mtimeMs }] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return;
  }
  let total = entries.reduce((s, e) => s + e.size, 0);
  if (total <= maxBytes) return;
  for (const e of entries.sort((a, b) => a.used - b.used)) {
    if (total <= maxBytes * 0.75) break;
    try {
      unlinkSync(e.file);
      total -= e.size;
    } catch {
      // Gone already.
    }
  }
}

/**
 * The entry's checksum. V8 checks a cache's version, flags, source and length, but release builds
 * skip its payload checksum (test/cli/code-cache.test.ts: V8 accepts and runs a cache with one
 * byte flipped), and deserialising a damaged cache is undefined behaviour, so the entry carries
 * its own. CRC-32 (zlib, Node 20.15+) finds a torn or rotted file as surely as SHA-256 at half
 * the cost (measured on the validate cache: 2 ms against 4, node:crypto being some twenty
 * modules); older Nodes keep SHA-256. Neither stops someone who can write the cache folder, who
 * could as well write the bundle. The algorithm is in the entry's name, so the two never read
 * each other's.
 */
let crc32;
const crc = () => (crc32 ??= require('node:zlib').crc32 ?? null);
const sumName = () => (crc() ? 'crc' : 'sha');
const sumLength = () => (crc() ? 4 : 32);
function checksum(data) {
  const f = crc();
  if (!f) return require('node:crypto').createHash('sha256').update(data).digest();
  const out = Buffer.alloc(4);
  out.writeUInt32LE(f(data) >>> 0);
  return out;
}

/**
 * V8's code caches are only accepted by a process whose V8 flags are those of the process that
 * wrote them. The batch worker raises the interrupt budget (src/batch/worker.ts: half the
 * optimising compiler's CPU on two cores), process-wide, which made every cache written after it
 * (the worker's own, the main thread's) one that no fresh process would accept: each run compiled
 * the 3.5 MB bundles again and wrote them out again. So shenbao's own processes (the CLI, the
 * batch workers) set the same value before they load a bundle. The library does not: it runs in
 * someone else's process, whose optimiser is not ours to tune; it only never writes a cache under
 * flags that changed after it loaded (save, below).
 */
let tuned = false;
function tuneOptimiser() {
  if (tuned) return;
  tuned = true;
  require('node:v8').setFlagsFromString(OPTIMISER_FLAGS);
}
const OPTIMISER_FLAGS = '--interrupt-budget=1000000';

/**
 * Runs the CommonJS bundle `file` and returns its exports, and `save`, which stores what V8 has
 * compiled by then: call it once the work the cache should cover is done.
 */
function load(file, use) {
  if (use !== 'lib') tuneOptimiser();
  // What V8 will compare a cache against: its version, its flags and the CPU's features.
  const tag = require('node:v8').cachedDataVersionTag();
  if (typeof Module.enableCompileCache === 'function') {
    // Node's own cache, under our folder, so SHENBAO_CACHE=0 and SHENBAO_CACHE_DIR apply to it too.
    const root = cacheRoot();
    if (root) Module.enableCompileCache(path.join(root, 'v8'));
    return { exports: require(file), save() {} };
  }
  const target = cacheFile(file, use);
  let cached;
  if (target) {
    try {
      const data = readFileSync(target);
      const n = sumLength();
      const body = data.subarray(n);
      if (data.length > n && checksum(body).equals(data.subarray(0, n))) cached = body;
    } catch {
      // Not made yet, or unreadable: compile as usual.
    }
  }
  // The bundles are pure ASCII (tools/bundle.mjs makes them so): latin1 is a copy, not a decode.
  const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), {
    filename: file,
    cachedData: cached,
    importModuleDynamically: vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  let saved = false;
  return {
    exports: mod.exports,
    save() {
      if (saved || !target || (cached && !script.cachedDataRejected)) return;
      // Flags changed since the bundle loaded (a batch run through the library): a cache written
      // now would be refused by every fresh process, and would replace one that is not.
      if (require('node:v8').cachedDataVersionTag() !== tag) return;
      saved = true;
      try {
        const data = script.createCachedData();
        mkdirSync(path.dirname(target), { recursive: true });
        // worker_threads only here: loading it costs every start-up a few milliseconds.
        const tmp = `${target}.${process.pid}-${require('node:worker_threads').threadId}.tmp`;
        writeFileSync(tmp, Buffer.concat([checksum(data), data]));
        renameSync(tmp, target);
        prune(path.dirname(target), MAX_BYTES);
      } catch {
        // A cache that cannot be written costs the next run its start-up, nothing more.
      }
    },
  };
}

module.exports = { load, OPTIMISER_FLAGS, cacheRoot, prune };
