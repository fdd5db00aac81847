/**
 * A bounded cache of derived bytes on disk (font subsets), under the OS cache folder
 * (~/.cache/shenbao on Linux, ~/Library/Caches/shenbao on macOS, %LOCALAPPDATA%\shenbao\Cache on
 * Windows), never in the user's folders. Whatever goes wrong with it (no home folder, a full
 * disk, a truncated or altered entry, two processes writing at once) costs only the work it
 * would have saved: every entry carries the SHA-256 of its bytes and is recomputed when it does
 * not match. SHENBAO_CACHE_DIR moves it, SHENBAO_CACHE=0 turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { createRequire } from 'node:module';

const HASH = 32;

export interface DiskCache {
  readonly dir: string;
  get(key: string): Uint8Array | undefined;
  set(key: string, bytes: Uint8Array): void;
}

/**
 * Where the cache is and how a folder of it is kept under its size: bin/code-cache.cjs holds both
 * (it runs before any bundle loads, and keeps V8's code cache in the same root), and this module
 * uses them, so the two can never disagree. Two levels up from here is the package root, as from
 * dist/common and from the bundles in dist/bundle.
 */
const shared = createRequire(import.meta.url)('../../bin/code-cache.cjs') as {
  cacheRoot(): string | undefined;
  prune(dir: string, maxBytes: number): void;
};
/** The cache root, or undefined when the cache is turned off. */
export const cacheRoot: () => string | undefined = shared.cacheRoot;
/** Down to three quarters of maxBytes, oldest use first; stale .tmp files of killed writers go too. */
export const prune: (dir: string, maxBytes: number) => void = shared.prune;

let sequence = 0;

/**
 * The cache `name` (a subfolder of the root), holding at most about maxBytes: past that, the
 * entries used least recently go, checked once per process after its first write.
 */
export function diskCache(name: string, maxBytes: number): DiskCache | undefined {
  const root = cacheRoot();
  if (!root) return undefined;
  const dir = path.join(root, name);
  const fileOf = (key: string): string => path.join(dir, createHash('sha256').update(key).digest('hex'));
  let pruned = false;
  return {
    dir,
    get(key) {
      const file = fileOf(key);
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch {
        return undefined;
      }
      const body = data.subarray(HASH);
      if (data.length <= HASH || !createHash('sha256').update(body).digest().equals(data.subarray(0, HASH))) {
        try {
          unlinkSync(file);
        } catch {
          // Another process may have replaced it already.
        }
        return undefined;
      }
      try {
        // Recently used: kept when the cache is trimmed.
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // A read-only cache still serves.
      }
      return new Uint8Array(body.buffer, body.byteOffset, body.length);
    },
    set(key, bytes) {
      try {
        mkdirSync(dir, { recursive: true });
        const file = fileOf(key);
        // Written aside and renamed: a reader never sees half an entry, a killed writer leaves a .tmp.
        const tmp = `${file}.${process.pid}-${threadId}-${sequence++}.tmp`;
        writeFileSync(tmp, Buffer.concat([createHash('sha256').update(bytes).digest(), bytes]));
        renameSync(tmp, file);
      } catch {
        return;
      }
      if (!pruned) {
        pruned = true;
        prune(dir, maxBytes);
      }
    },
  };
}
