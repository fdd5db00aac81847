import { UserError, type Diagnostic } from '../common/diagnostics.js';
import { describeIoError, ReadRefused, readRegularFile } from '../common/fsutil.js';

export { describeIoError };

/** Applicant files are a few hundred KB at most; anything bigger is a wrong file, not data. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export interface DecodedSource {
  text: string;
  /** Set when the bytes were not UTF-8 and were converted. */
  encoding: 'utf-8' | 'utf-16' | 'gb18030';
  warnings: Diagnostic[];
  /** The bytes the text was decoded from, when they were read from a file. */
  bytes?: Buffer;
}

function ioError(file: string, message: string): UserError {
  return new UserError([{ severity: 'error', code: 'io.read', file, message }], 2);
}

/** A data file over the size limit, read from disk (exit 1, as invalid data) or held in memory by the editor. */
export function sourceTooLarge(file: string, bytes: number | undefined, exitCode: 1 | 2 = 1): UserError {
  const size = bytes === undefined ? '' : `（${(bytes / 1024 / 1024).toFixed(2)} MB）`;
  return new UserError(
    [
      {
        severity: 'error',
        code: 'source.too-large',
        file,
        message: `文件过大${size}，超过 ${MAX_SOURCE_BYTES / 1024 / 1024} MB 上限；申报数据文件通常只有几十 KB，请确认是否选错了文件`,
      },
    ],
    exitCode,
  );
}

/** Reads a text file the way users' editors write them: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK from Chinese Windows. */
export async function readTextSource(file: string, limit = MAX_SOURCE_BYTES): Promise<DecodedSource> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, limit);
  } catch (err) {
    if (!(err instanceof ReadRefused)) throw err;
    if (err.reason === 'too-large') throw sourceTooLarge(file, err.size ?? limit + 1);
    throw ioError(file, err.message);
  }
  return { ...decodeText(bytes, file), bytes };
}


export function decodeText(bytes: Buffer, file: string): DecodedSource {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const label = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return { text: new TextDecoder(label).decode(bytes.subarray(2)), encoding: 'utf-16', warnings: [] };
  }
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (looksBinary(body)) {
    throw new UserError([
      { severity: 'error', code: 'source.binary', file, message: '不是文本文件（含有二进制数据）；请提供 UTF-8 编码的 YAML 文本文件' },
    ]);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8', warnings: [] };
  } catch {
    // Chinese Windows editors (Notepad before 2019, many WPS exports) still write GBK.
  }
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(body);
    if (plausibleGbk(body)) {
      return {
        text,
        encoding: 'gb18030',
        warnings: [
          {
            severity: 'warning',
            code: 'source.gbk',
            file,
            message: '文件不是 UTF-8 编码，已按 GBK（GB18030）解码读取；建议在编辑器中另存为 UTF-8',
          },
        ],
      };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new UserError([
    {
      severity: 'error',
      code: 'source.encoding',
      file,
      message: '文件编码无法识别：既不是 UTF-8，也不是 GBK；请在编辑器中另存为 UTF-8 编码',
    },
  ]);
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return n > 0 && control / n > 0.05;
}

/**
 * GB18030 decodes almost any byte soup, so a Latin-1 "Müller" would pass as "M黮ler". Real
 * Chinese text in GBK is mostly GB2312 level-1 Hanzi (lead bytes B0–D7) and full-width
 * punctuation (A1–A9); accented Latin letters land elsewhere.
 */
function plausibleGbk(bytes: Uint8Array): boolean {
  let pairs = 0;
  let common = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const t = bytes[i + 1] ?? 0;
    pairs++;
    if (((b >= 0xa1 && b <= 0xa9) || (b >= 0xb0 && b <= 0xd7)) && t >= 0xa1 && t <= 0xfe) common++;
    i++;
  }
  return pairs > 0 && common / pairs >= 0.9;
}
