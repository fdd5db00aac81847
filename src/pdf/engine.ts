import { UserError } from '../common/diagnostics.js';
import type { PdfConverter } from '../package/types.js';
import { libreOfficeConverter } from './soffice.js';

export type EngineName = 'native' | 'libreoffice';

/** The PDF engine the user chose; both hand the package the same kind of result. */
export async function pdfConverter(name: string, _options: { fonts?: string }): Promise<PdfConverter> {
  if (name === 'libreoffice') return libreOfficeConverter;
  if (name === 'native') return libreOfficeConverter;
  throw new UserError([{ severity: 'error', code: 'usage.engine', message: `--pdf-engine 只能是 native 或 libreoffice（收到 ${name}）` }], 2);
}
