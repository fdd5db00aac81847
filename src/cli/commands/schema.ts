import { lstat } from 'node:fs/promises';
import { UserError } from '../../common/diagnostics.js';
import { writeFileAtomic } from '../../common/fsutil.js';
import { publishedJsonSchema } from '../../schema/json-schema.js';
import { json, type Io } from '../output.js';

/** The schema itself is JSON, so --json changes only what is said after writing it to a file. */
export async function schemaCommand(opts: { out?: string; json?: boolean; force?: boolean }, io: Io): Promise<number> {
  const text = `${JSON.stringify(await publishedJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    // As for init: a file the user already has is never replaced without being asked.
    if (!opts.force && (await lstat(opts.out).then(() => true, () => false))) {
      throw new UserError([{ severity: 'error', code: 'usage.exists', file: opts.out, message: '文件已存在，未覆盖（如需覆盖请加 --force）' }], 2);
    }
    await writeFileAtomic(opts.out, text);
    if (opts.json) json(io, { ok: true, out: opts.out });
    else io.err(`已写入 ${opts.out}`);
  } else io.out(text);
  return 0;
}
