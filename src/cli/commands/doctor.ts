import { doctorFonts } from '../../pdf/doctor.js';
import { json, type Io } from '../output.js';

const SOURCE: Record<string, string> = { user: '用户字体目录', system: '系统字体', fallback: '系统中的免费替代字体', bundled: '随 shenbao 安装的免费替代字体' };

/** Which font file serves each family the templates use, which are stand-ins, and whether LibreOffice is there. */
export async function doctorCommand(opts: { fonts?: string; json?: boolean }, io: Io): Promise<number> {
  const report = doctorFonts({ fonts: opts.fonts });
  if (opts.json) {
    json(io, report);
    return 0;
  }
  io.out('字体：');
  for (const f of report.fonts) {
    if (!f.file) io.out(`  ✗ ${f.requested}：未找到，也没有可替代的字体`);
    else io.out(`  ${f.substitute ? '△' : '✓'} ${f.requested}：${f.face}（${(f.source && SOURCE[f.source]) ?? '未知来源'}${f.package ? `，npm 包 ${f.package}` : ''}，${f.file}）${f.substitute ? ' —— 替代字体，正式报送前请在装有该字体的电脑上核对' : ''}`);
  }
  io.out(`LibreOffice：${report.libreoffice ? `已安装（${report.libreoffice}），可使用 --pdf-engine libreoffice` : '未安装（不影响默认的内置 PDF 引擎）'}`);
  const missing = report.fonts.filter((f) => !f.file).length;
  return missing ? 1 : 0;
}
