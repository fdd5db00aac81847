import { lstat } from 'node:fs/promises';
import { UserError } from '../../common/diagnostics.js';
import { writeFileAtomic } from '../../common/fsutil.js';
import { applicantJsonSchema } from '../../schema/json-schema.js';
import type { Io } from '../output.js';

export async function schemaCommand(opts: { out?: string; force?: boolean }, io: Io): Promise<number> {
  const text = `${JSON.stringify(applicantJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    // As for init: a file the user already has is never replaced without being asked.
    if (!opts.force && (await lstat(opts.out).then(() => true, () => false))) {
      throw new UserError([{ severity: 'error', code: 'usage.exists', file: opts.out, message: '文件已存在，未覆盖（如需覆盖请加 --force）' }], 2);
    }
    await writeFileAtomic(opts.out, text);
    io.err(`已写入 ${opts.out}`);
  } else io.out(text);
  return 0;
}
