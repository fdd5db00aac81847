import { safeName } from '../common/names.js';

export { safeName };

/** The package folder: who applies for what, e.g. 徐汇区-示范城区. */
export function packageName(shortName: string, categoryShort: string): string {
  return safeName(`${shortName}-${categoryShort}`);
}
