import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Digest of every file under a folder (names and contents), for "did the templates change?". */
export function folderDigest(dir: string): string {
  const h = createHash('sha256');
  if (!existsSync(dir)) return 'none';
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      // A FIFO or device among the templates is never read (it would block the batch): its name counts, not its bytes.
      else if (!st.isFile()) h.update(path.relative(dir, p)).update('\0special\0');
      else h.update(path.relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}
