import { writeFileAtomic } from '../../common/fsutil.js';
import { publishedJsonSchema } from '../../schema/json-schema.js';
import { json, type Io } from '../output.js';

/** The schema itself is JSON, so --json changes only what is said after writing it to a file. */
export async function schemaCommand(opts: { out?: string; json?: boolean }, io: Io): Promise<number> {
  const text = `${JSON.stringify(await publishedJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    await writeFileAtomic(opts.out, text);
    if (opts.json) json(io, { ok: true, out: opts.out });
    else io.err(`已写入 ${opts.out}`);
  } else io.out(text);
  return 0;
}
