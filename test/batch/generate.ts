import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const EXAMPLES = ['xuhui-demo-district', 'minhang-pilot-district', 'zhangjiang-demo-park', 'caohejing-pilot-park'];
const DIGITS = '〇一二三四五六七八九';

function hanNumber(n: number): string {
  return String(n)
    .split('')
    .map((d) => DIGITS[Number(d)])
    .join('');
}

/**
 * A batch like an agency's the week before the deadline: n applicants made from the four
 * examples, each with its own name, 文号 and figures (scaled), so no two packages collide.
 * Returns the file paths; `broken` files (by index) get a YAML syntax error on line 3.
 */
export function generateBatch(dir: string, n: number, broken: number[] = []): string[] {
  mkdirSync(dir, { recursive: true });
  const bases = EXAMPLES.map((e) => parse(readFileSync(`examples/${e}.yaml`, 'utf8')) as Record<string, any>);
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = structuredClone(bases[i % bases.length]!);
    const tag = `样例${hanNumber(i + 1)}`;
    const park = a.applicant.kind !== 'district_government';
    a.applicant.short_name = park ? `${tag}园区` : `${tag}区`;
    a.applicant.name = park ? `上海${tag}高新技术产业开发区管理委员会` : `上海市${tag}区人民政府`;
    a.letter.signer = a.applicant.name;
    a.letter.number = a.letter.number.replace(/〔2022〕\d+号/, `〔2022〕${i + 1}号`);
    const scale = 0.8 + ((i * 37) % 40) / 100;
    for (const values of Object.values(a.indicators) as Record<string, number>[]) {
      for (const k of Object.keys(values)) {
        if (k === 'performance_rank' || k === 'population') continue;
        values[k] = Math.round(values[k]! * scale * 100) / 100;
      }
    }
    const file = path.join(dir, `${String(i + 1).padStart(2, '0')}-${a.applicant.short_name}.yaml`);
    let text = stringify(a, { lineWidth: 0 });
    if (broken.includes(i)) text = text.replace(/\n/, '\nbroken: [unclosed\n');
    writeFileSync(file, text);
    files.push(file);
  }
  return files;
}
