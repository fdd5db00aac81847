/**
 * Which files in a plain folder shenbao wrote, by name and content: `render --out DIR` writes
 * into folders that also hold the user's own files, and a user opens our DOCX in Word and saves
 * their changes under the same name. A file may be replaced only if it is ours and still holds
 * what we wrote; anything else under a name we want is refused, never overwritten silently.
 */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './diagnostics.js';
import { readRegularFile, writeFileAtomic, writeFilesAtomic } from './fsutil.js';

/** Hidden, so it does not clutter the folder a user hands in; named so a user who sees it knows whose it is. */
export const LEDGER_NAME = '.shenbao-生成记录.json';
/** The documents of one applicant: a few dozen names. */
const MAX_LEDGER_BYTES = 1024 * 1024;
/** Ours are a few MB; a bigger file under our name was not written by us, and is not read to find out. */
const MAX_OWN_FILE_BYTES = 256 * 1024 * 1024;

/** name → the sha256 values the file may hold and still be ours (two while a write is under way). */
type Ledger = Record<string, string[]>;

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function readLedger(dir: string): Promise<Ledger> {
  try {
    const raw = JSON.parse((await readRegularFile(path.join(dir, LEDGER_NAME), MAX_LEDGER_BYTES)).toString('utf8')) as { files?: unknown };
    const out: Ledger = Object.create(null) as Ledger;
    if (raw && typeof raw.files === 'object' && raw.files) {
      for (const [k, v] of Object.entries(raw.files as Record<string, unknown>)) {
        if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
      }
    }
    return out;
  } catch {
    // No ledger (or one we cannot read): nothing in the folder is known to be ours.
    return Object.create(null) as Ledger;
  }
}

async function writeLedger(dir: string, ledger: Ledger): Promise<void> {
  const files = Object.fromEntries(Object.keys(ledger).sort().map((k) => [k, ledger[k]]));
  await writeFileAtomic(path.join(dir, LEDGER_NAME), `${JSON.stringify({ shenbao: '本文件记录 shenbao 在此文件夹中生成的文件，用于避免覆盖您自己的文件；请勿编辑', files }, null, 1)}\n`);
}

/** Why `file` may not be replaced, or undefined when it may (absent, or ours and unchanged). */
async function clash(file: string, known: string[] | undefined): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return '是文件夹或链接';
  if (!known || st.size > MAX_OWN_FILE_BYTES) return '不是 shenbao 生成的';
  const hash = sha256(await readRegularFile(file, MAX_OWN_FILE_BYTES));
  return known.includes(hash) ? undefined : '在 shenbao 生成后被修改过（例如在 Word 中编辑后保存）';
}

/**
 * Writes files into `dir` (one folder, names without separators), refusing (exit 2, nothing
 * written) any name that holds something other than what shenbao last wrote there, unless
 * `force`. The ledger is updated before the files (accepting old and new content) and after
 * them (only the new), so a kill at any point leaves every file recognisable as ours.
 */
export async function writeOwnedFiles(
  dir: string,
  entries: { name: string; data: Uint8Array }[],
  options: { force?: boolean } = {},
): Promise<void> {
  const ledger = await readLedger(dir);
  if (!options.force) {
    const refused: { name: string; why: string }[] = [];
    for (const e of entries) {
      const why = await clash(path.join(dir, e.name), ledger[e.name]);
      if (why) refused.push({ name: e.name, why });
    }
    if (refused.length) {
      throw new UserError(
        refused.map((r) => ({
          severity: 'error' as const,
          code: 'io.exists',
          file: path.join(dir, r.name),
          message: `无法写入：输出目录中已有同名文件，它${r.why}；未覆盖任何文件。请先改名或移走它，或换一个 --out 目录；确需覆盖时加 --force`,
        })),
        2,
      );
    }
  }
  const fresh = new Map(entries.map((e) => [e.name, sha256(e.data)]));
  const during: Ledger = Object.assign(Object.create(null) as Ledger, ledger);
  for (const [name, hash] of fresh) during[name] = [...new Set([...(ledger[name] ?? []), hash])];
  await writeLedger(dir, during);
  await writeFilesAtomic(entries.map((e) => ({ file: path.join(dir, e.name), data: e.data })));
  const after: Ledger = Object.assign(Object.create(null) as Ledger, ledger);
  for (const [name, hash] of fresh) after[name] = [hash];
  await writeLedger(dir, after);
}
