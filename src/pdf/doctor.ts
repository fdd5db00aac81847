/** `shenbao doctor`: which file serves each font family the templates use, and which are stand-ins. */
import { FontResolver, loadAliases, type FontReport, type ResolveOptions } from './fonts/resolve.js';
import { findSoffice } from './libreoffice.js';

export interface FontDoctorReport {
  fonts: FontReport[];
  libreoffice?: string;
}

export function doctorFonts(options: ResolveOptions = {}): FontDoctorReport {
  const resolver = new FontResolver(options);
  const fonts = Object.keys(loadAliases().families).map((fam) => resolver.resolve(fam, fam === 'Times New Roman' ? 'latin' : 'eastAsia').report);
  return { fonts, libreoffice: findSoffice() };
}
