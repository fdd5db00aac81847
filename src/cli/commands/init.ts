import { access } from 'node:fs/promises';
import { UserError } from '../../common/diagnostics.js';
import { writeFileAtomic } from '../../common/fsutil.js';
import { findCategory, loadCatalogue, loadProgram } from '../../program/load.js';
import { schemaUrl } from '../../schema/json-schema.js';
import { starterYaml } from '../../schema/starter.js';
import { json, type Io } from '../output.js';

export async function initCommand(file: string, opts: { program: string; category: string; force?: boolean; json?: boolean }, io: Io): Promise<number> {
  const program = await loadProgram(opts.program).catch((err) => {
    throw err instanceof UserError ? new UserError(err.diagnostics, 2) : err;
  });
  const category = findCategory(program, opts.category);
  if (!category) {
    throw new UserError(
      [{ severity: 'error', code: 'usage.category', message: `批次 ${program.id} 没有申报类别 ${opts.category}；可用：${program.categories.map((c) => `${c.id}（${c.short_name}）`).join('、')}` }],
      2,
    );
  }
  if (!opts.force && (await access(file).then(() => true, () => false))) {
    throw new UserError([{ severity: 'error', code: 'usage.exists', file, message: '文件已存在，未覆盖（如需覆盖请加 --force）' }], 2);
  }
  const catalogue = await loadCatalogue();
  await writeFileAtomic(file, starterYaml(program, category, catalogue, schemaUrl()));
  if (opts.json) json(io, { file, program: program.id, category: category.id });
  else io.out(`已生成 ${file}（${category.name}）。填写后运行：shenbao validate ${file}`);
  return 0;
}


