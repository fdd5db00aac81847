import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { FontResolver, loadAliases, type ResolveOptions } from './resolve.js';

/** Bytes read from the start of each font file: its table directory. */
const HEAD_BYTES = 64 * 1024;

/**
 * What identifies the fonts a PDF would be made with: every font file that serves a family the
 * templates name, by path, size and the start of the file. The sfnt table directory there (and a
 * collection's directories behind its header) carries a checksum of every table, so a changed
 * font changes these bytes, without reading 100 MB of CJK fonts on every batch run.
 */
export function fontFingerprint(options: ResolveOptions = {}): string {
  const resolver = new FontResolver(options);
  const files = new Set<string>();
  for (const family of Object.keys(loadAliases().families)) {
    for (const script of ['eastAsia', 'latin'] as const) {
      const face = resolver.resolve(family, script).face;
      if (face) files.add(face.file);
    }
  }
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(file).update('\0');
    try {
      const size = statSync(file).size;
      const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
      const fd = openSync(file, 'r');
      try {
        readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      hash.update(String(size)).update(head);
    } catch {
      // A font that cannot be read now fails the build itself, with its own message.
      hash.update('unreadable');
    }
  }
  return hash.digest('hex');
}
