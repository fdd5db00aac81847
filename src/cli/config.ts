import { existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../common/diagnostics.js';
import { describeIoError, ReadRefused, readRegularFileSync } from '../common/fsutil.js';

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

const KNOWN = 'fonts（字体目录）、pdf_engine（native 或 libreoffice）';

export function loadConfig(cwd = process.cwd()): Config {
  const file = process.env.SHENBAO_CONFIG ?? path.join(cwd, 'shenbao.config.yaml');
  if (!existsSync(file)) return {};
  let text: string;
  try {
    // Two settings: a FIFO or a device under that name must not block every command.
    text = readRegularFileSync(file, 64 * 1024).toString('utf8');
  } catch (err) {
    throw new UserError([{ severity: 'error', code: 'config.read', file, message: `无法读取配置文件：${err instanceof ReadRefused ? err.message : describeIoError(err)}` }], 2);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    throw new UserError([{ severity: 'error', code: 'config.yaml', file, line: pos.line, col: pos.col, message: `配置文件不是有效的 YAML（${e.code}）；应为“设置: 取值”的列表，可用的设置为 ${KNOWN}` }], 2);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 }) ?? {};
  } catch {
    throw new UserError([{ severity: 'error', code: 'config.yaml', file, message: `配置文件中的引用（*别名）展开次数过多，已拒绝读取；可用的设置为 ${KNOWN}` }], 2);
  }
  // Where a key sits in the file, so each message points at its line.
  const at = (key?: string): { line?: number; col?: number } => {
    const node = key !== undefined && isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key)?.key : doc.contents;
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    return offset === undefined ? {} : lines.linePos(offset);
  };
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(
      r.error.issues.flatMap((i) => {
        const key = i.path[0] === undefined ? undefined : String(i.path[0]);
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({ severity: 'error' as const, code: 'config.schema', file, ...at(k), path: [k], message: `配置文件有误：未知的设置 ${k}；可用的设置为 ${KNOWN}`, received: k }));
        }
        const what = '配置文件有误：' + (key === 'fonts' ? 'fonts 应为字体目录的路径（文字）' : key === 'pdf_engine' ? 'pdf_engine 只能是 native 或 libreoffice' : `配置文件应为“设置: 取值”的列表，可用的设置为 ${KNOWN}`);
        return [{ severity: 'error' as const, code: 'config.schema', file, ...at(key), ...(key ? { path: [key] } : {}), message: what }];
      }),
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
