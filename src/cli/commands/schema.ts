import { writeFileAtomic } from '../../common/fsutil.js';
import { applicantJsonSchema } from '../../schema/json-schema.js';
import type { Io } from '../output.js';

export async function schemaCommand(opts: { out?: string }, io: Io): Promise<number> {
  const text = `${JSON.stringify(applicantJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    await writeFileAtomic(opts.out, text);
    io.err(`已写入 ${opts.out}`);
  } else io.out(text);
  return 0;
}
