import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UserError } from '../common/diagnostics.js';

/**
 * Settings an office keeps between runs, in shenbao.config.yaml in the working folder (or the
 * file SHENBAO_CONFIG names): mostly where its licensed 公文 fonts live, so every command finds
 * them without --fonts.
 */
const configSchema = z
  .object({
    fonts: z.string().min(1).optional(),
    pdf_engine: z.enum(['native', 'libreoffice']).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export function loadConfig(cwd = process.cwd()): Config {
  const file = process.env.SHENBAO_CONFIG ?? path.join(cwd, 'shenbao.config.yaml');
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new UserError([{ severity: 'error', code: 'config.yaml', file, message: `配置文件无法解析：${(err as Error).message.split('\n')[0]}` }], 2);
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(
      [{ severity: 'error', code: 'config.schema', file, message: `配置文件有误：可用的设置为 fonts（字体目录）、pdf_engine（native 或 libreoffice）（${r.error.issues.map((i) => i.path.join('.') || i.message).join('、')}）` }],
      2,
    );
  }
  const config = r.data;
  if (config.fonts) config.fonts = path.resolve(path.dirname(file), config.fonts);
  return config;
}

/** Command-line options win over the config file. */
export function withConfig<T extends { fonts?: string; pdfEngine?: string }>(opts: T, engineGiven: boolean): T {
  const config = loadConfig();
  return {
    ...opts,
    fonts: opts.fonts ?? config.fonts,
    pdfEngine: engineGiven ? opts.pdfEngine : (config.pdf_engine ?? opts.pdfEngine),
  };
}
