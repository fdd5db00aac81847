/**
 * What the documents claim matches the check, the notice and the data (issue 10): read back
 * from the generated files, as the office would read them.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runBatch } from '../../src/batch/index.js';
import { ROOT, run, spawnCli, hasBuild } from '../cli/helpers.js';
import { docText } from '../docx/helpers.js';
import { pdfPagesText } from '../pdf-text.js';
import { PACKAGE_ENGINE } from '../package/engine.js';

const tmp = (p: string) => mkdtempSync(path.join(tmpdir(), `shenbao-truth-${p}-`));
const example = (name: string) => path.join(ROOT, 'examples', `${name}.yaml`);

/** An example with some of its values changed, written to `dir`. */
function variant(dir: string, name: string, edit: (doc: ReturnType<typeof parseDocument>) => void, as = `${name}.yaml`): string {
  const doc = parseDocument(readFileSync(example(name), 'utf8'));
  edit(doc);
  const file = path.join(dir, as);
  writeFileSync(file, doc.toString());
  return file;
}

/** 漕河泾 with no IP funds in 2021: 0 is a value, and it fails the ≥ 0.05% condition. */
const noFunds = (dir: string, as?: string) => variant(dir, 'caohejing-pilot-park', (d) => d.setIn(['indicators', '2021', 'ip_funds'], 0), as);

/** Every way a document could claim eligibility. */
const CLAIMS = /具备申报条件|符合申报条件|满足申报条件|具备申报资格|符合申报资格|满足申报资格|认为已具备/;

const docxIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.docx') && !n.startsWith('内部-'));

describe('an applicant with an unmet condition', () => {
  it('gets no package (exit 1, naming the condition and why), and nothing is written', async () => {
    const dir = tmp('unmet');
    const file = noFunds(dir);
    const out = path.join(dir, 'out');
    const r = await run('package', file, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('申报条件 (3) 经费保障 不符合：2021年0.00万元÷603,000.00万元=0.000%，2021年低于0.05%，不生成申报材料包');
    expect(r.err).toContain('--allow-unmet');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('with --allow-unmet: a package in which no document claims eligibility', async () => {
    const dir = tmp('allow');
    const file = noFunds(dir);
    const out = path.join(dir, 'out');
    const r = await run('package', file, '--out', out, '--allow-unmet', '--pdf-engine', PACKAGE_ENGINE);
    expect(r.code, r.err).toBe(0);
    const pkg = path.join(out, '漕河泾开发区-试点园区');
    const docs = docxIn(pkg);
    expect(docs.length).toBe(3);
    for (const name of docs) expect(docText(readFileSync(path.join(pkg, name))), name).not.toMatch(CLAIMS);
    const combined = (await pdfPagesText(readFileSync(path.join(pkg, '漕河泾开发区-试点园区-材料汇编.pdf')))).join('');
    expect(combined).not.toMatch(CLAIMS);
    // The report states the fact; the letter refers to the report.
    const report = docText(readFileSync(path.join(pkg, '02-创建工作报告.docx')));
    expect(report).toContain('符合情况：不符合。2021年0.00万元÷603,000.00万元=0.000%，2021年低于0.05%。');
    expect(docText(readFileSync(path.join(pkg, '01-申报函.docx')))).toContain('申报条件符合情况详见创建工作报告');
    // The same example as shipped, every condition met, says so.
    const ok = path.join(dir, 'ok');
    expect((await run('package', example('caohejing-pilot-park'), '--out', ok, '--pdf-engine', PACKAGE_ENGINE)).code).toBe(0);
    expect(docText(readFileSync(path.join(ok, '漕河泾开发区-试点园区', '01-申报函.docx')))).toContain('认为已具备申报条件');
  }, 120_000);

  it('is refused by batch --select, naming the applicant and the condition, before anything is built', async () => {
    const dir = tmp('select');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    noFunds(data);
    copyFileSync(example('xuhui-demo-district'), path.join(data, 'xuhui-demo-district.yaml'));
    const select = path.join(dir, 'select.yaml');
    writeFileSync(select, '- 徐汇区\n- 漕河泾开发区\n');
    const out = path.join(dir, 'out');
    const r = await run('batch', data, '--out', out, '--select', select, '--pdf-engine', PACKAGE_ENGINE);
    expect(r.code).toBe(1);
    expect(r.err).toContain('推荐名单中的“漕河泾开发区”申报条件 (3) 经费保障 不符合：');
    expect(r.err).toContain('不能推荐');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('formal documents', () => {
  it('never show a field id, an English word, 缺少数据 or 待补充, for every example and a variant with missing data', async () => {
    const dir = tmp('formal');
    // Missing 2021 budget figure (待补充 in the check), and a condition not yet explained.
    const missing = variant(dir, 'zhangjiang-demo-park', (d) => {
      d.deleteIn(['indicators', '2021', 'general_budget']);
      d.deleteIn(['conditions', 'sh-demo-park-policy']);
    });
    const files = [...readdirSync(path.join(ROOT, 'examples')).filter((n) => n.endsWith('.yaml')).map((n) => path.join(ROOT, 'examples', n)), missing];
    for (const file of files) {
      const out = path.join(dir, path.basename(file, '.yaml'));
      const r = await run('render', file, '--out', out, '--format', 'docx', '--pdf-engine', PACKAGE_ENGINE);
      expect(r.code, r.err).toBe(0);
      for (const name of readdirSync(out).filter((n) => n.endsWith('.docx'))) {
        // An e-mail address is the applicant's own data (the letter's contact line), not an identifier.
        const text = docText(readFileSync(path.join(out, name))).replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '');
        const where = `${path.basename(file)} → ${name}`;
        // Field ids and condition ids are lower-case ASCII; the only Latin text a document may
        // hold is an abbreviation such as PCT.
        expect(text.match(/[A-Za-z]*[a-z][A-Za-z_]*/g), where).toBeNull();
        expect(text, where).not.toMatch(/缺少数据|待补充|undefined|null/);
      }
    }
    const report = docText(readFileSync(path.join(dir, 'zhangjiang-demo-park', '02-创建工作报告.docx')));
    expect(report).toContain('符合情况：相关数据尚未填报。');
    expect(report).toContain('符合情况：尚未说明。');
  }, 300_000);

  it('show the ranks, and no verdict, where the notice is qualitative (位居全市前列)', async () => {
    const out = tmp('minhang');
    const r = await run('render', example('minhang-pilot-district'), '--out', out, '--format', 'docx', '--only', 'letter,report');
    expect(r.code, r.err).toBe(0);
    const report = docText(readFileSync(path.join(out, '02-创建工作报告.docx')));
    expect(report).toContain('申报条件：知识产权工作绩效考核连续两年位居全市前列。\n符合情况：在全市知识产权工作绩效考核中，2020年第4名、2021年第7名。');
    expect(report).not.toMatch(/前5名|前\d+名/);
    // A condition a person still has to judge: the letter does not claim eligibility.
    expect(docText(readFileSync(path.join(out, '01-申报函.docx')))).not.toMatch(CLAIMS);
  });
});

describe('the national round', () => {
  it("the letter is addressed to the applicant's provincial office, which signs and dates the 推荐函", async () => {
    const dir = tmp('national');
    const pkg = path.join(dir, 'pkg');
    expect((await run('package', example('suzhou-demo-city'), '--out', pkg, '--pdf-engine', PACKAGE_ENGINE)).code).toBe(0);
    const folder = path.join(pkg, '苏州市-示范城市');
    const letter = docText(readFileSync(path.join(folder, '02-申报函.docx')));
    expect(letter).toContain('\n江苏省知识产权局：\n');
    expect(letter).toContain('2022年2月25日');
    expect(letter).not.toContain('省级知识产权局：');
    expect(letter).toContain('已在知识产权强国建设试点示范工作申报材料报送平台上填报');
    expect(letter).not.toContain('随函报送');
    // 说明.txt says what the package holds and what the office adds; it holds no office material.
    const readme = readFileSync(path.join(folder, '说明.txt'), 'utf8');
    expect(readme).toContain('省级知识产权局推荐函（通知所列材料1）由江苏省知识产权局出具，联系人回执由江苏省知识产权局报送，均不在本材料包中');
    expect(readdirSync(folder).filter((n) => /推荐函|回执/.test(n))).toEqual([]);

    // The office's batch: 推荐函 signed by 江苏省知识产权局 with the office's date; quotas from its data.
    const data = path.join(dir, 'data');
    mkdirSync(data);
    copyFileSync(example('suzhou-demo-city'), path.join(data, 'suzhou-demo-city.yaml'));
    const select = path.join(dir, 'select.yaml');
    writeFileSync(select, 'select:\n  - 苏州市\ndate: 2022-03-10\nquotas:\n  示范城市: 1\n');
    const out = path.join(dir, 'out');
    const r = await run('batch', data, '--out', out, '--select', select, '--pdf-engine', PACKAGE_ENGINE);
    expect(r.code, r.err).toBe(0);
    const draft = docText(readFileSync(path.join(out, '汇总', '推荐函（草稿）-示范.docx')));
    expect(draft).toContain('江苏省知识产权局\n2022年3月10日');
    expect(draft).not.toMatch(/年\s*月\s*日/);
    expect(draft).toContain('苏州市人民政府');
    const summary = docText(readFileSync(path.join(out, '汇总', '申报情况汇总表.docx')));
    expect(summary).toContain('示范城市（推荐名额1个，申报1家）');
    expect(summary).not.toContain('不限');

    // Over the office's quota: refused.
    writeFileSync(select, 'select:\n  - 苏州市\nquotas:\n  示范城市: 0\n');
    const over = await run('batch', data, '--out', out, '--select', select, '--pdf-engine', PACKAGE_ENGINE);
    expect(over.code).toBe(1);
    expect(over.err).toContain('示范城市推荐名额为 0 个');
  }, 180_000);

  it('an applicant file without its provincial office, or with one that is none, is refused', async () => {
    const dir = tmp('office');
    const none = variant(dir, 'suzhou-demo-city', (d) => d.deleteIn(['letter', 'recipient']), 'none.yaml');
    const wrong = variant(dir, 'suzhou-demo-city', (d) => d.setIn(['letter', 'recipient'], '省级知识产权局'), 'wrong.yaml');
    const a = await run('validate', none);
    expect(a.code).toBe(1);
    expect(a.err).toContain('letter（主送机关）  本批次的申报函报送本省（自治区、直辖市）知识产权局：请在 letter.recipient 中写明');
    const b = await run('validate', wrong);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/wrong\.yaml:\d+:\d+  letter\.recipient（主送机关）  主送机关应为省级知识产权局的全称/);
  });
});

describe('the office batch', () => {
  it('lists a broken file in the summary CSV, DOCX and PDF, keeps the order of the input, and drops a stale 推荐函', async () => {
    const dir = tmp('summary');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    // Named so that the input order (b, a) differs from any sorting.
    copyFileSync(example('zhangjiang-demo-park'), path.join(data, 'b-zhangjiang.yaml'));
    copyFileSync(example('xuhui-demo-district'), path.join(data, 'a-xuhui.yaml'));
    writeFileSync(path.join(data, 'c-broken.yaml'), 'sample: true\nprogram: 2022-shanghai\ncategory: [oops\n');
    const out = path.join(dir, 'out');
    const select = path.join(dir, 'select.yaml');
    writeFileSync(select, '- 张江高新区\n- 徐汇区\n');
    const r = await run('batch', path.join(data, 'c-broken.yaml'), path.join(data, 'b-zhangjiang.yaml'), path.join(data, 'a-xuhui.yaml'), '--out', out, '--select', select, '--pdf-engine', PACKAGE_ENGINE);
    expect(r.code).toBe(1);
    const sum = path.join(out, '汇总');
    const csv = readFileSync(path.join(sum, '申报情况汇总表.csv'), 'utf8').split('\r\n');
    const broken = csv.find((l) => l.includes('c-broken.yaml'))!;
    expect(broken).toMatch(/^数据有误,1,,,c-broken\.yaml,.*未生成：第4行/);
    const docx = docText(readFileSync(path.join(sum, '申报情况汇总表.docx')));
    expect(docx).toContain('合计：提交数据文件3个；2个类别，申报2家，满足全部申报条件的2家；未生成材料包的1个，见下表。');
    expect(docx).toMatch(/未生成材料包的数据文件[\s\S]*c-broken\.yaml/);
    const pdf = (await pdfPagesText(readFileSync(path.join(sum, '申报情况汇总表.pdf')))).join('');
    expect(pdf).toContain('c-broken.yaml');
    expect(pdf).toContain('未生成材料包的数据文件');
    // The 推荐函 lists the units as the office listed them: 张江 before 徐汇, though a-xuhui sorts first.
    const draft = docText(readFileSync(path.join(sum, '推荐函（草稿）-示范.docx')));
    expect(draft.indexOf('上海张江高新技术产业开发区管理委员会')).toBeLessThan(draft.indexOf('上海市徐汇区人民政府'));

    // A run without a selection replaces the whole summary set: no draft survives.
    const again = await run('batch', path.join(data, 'b-zhangjiang.yaml'), path.join(data, 'a-xuhui.yaml'), '--out', out, '--pdf-engine', PACKAGE_ENGINE);
    expect(again.code, again.err).toBe(0);
    expect(readdirSync(sum).sort()).toEqual(['申报情况汇总表.csv', '申报情况汇总表.docx', '申报情况汇总表.pdf']);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 300_000);

  it('refuses an applicant file that names its own rules file, and lists it', async () => {
    const dir = tmp('rules');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    const rules = path.join(dir, 'my-rules.yaml');
    // Same id as the official round, one condition dropped: the hole this closes.
    const doc = parseDocument(readFileSync(path.join(ROOT, 'data/programs/2022-shanghai.yaml'), 'utf8'));
    writeFileSync(rules, doc.toString());
    variant(data, 'caohejing-pilot-park', (d) => {
      d.set('program', rules);
      d.setIn(['indicators', '2021', 'ip_funds'], 0);
    });
    const r = await runBatch([data], { outDir: path.join(dir, 'out'), engine: PACKAGE_ENGINE, version: 't' });
    expect(r.outcomes.map((o) => o.status)).toEqual(['failed']);
    expect(r.outcomes[0]!.diagnostics[0]!.message).toContain('申报数据文件只能填写内置申报批次的代码');
  });

  it.skipIf(!hasBuild)("judges every applicant by the office's round file when it passes one (--program)", async () => {
    const dir = tmp('office-round');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    copyFileSync(example('caohejing-pilot-park'), path.join(data, 'caohejing.yaml'));
    // The office's own copy of the round, stricter on funds: 漕河泾's 0.086% no longer passes.
    const rules = path.join(dir, 'office-round.yaml');
    writeFileSync(rules, readFileSync(path.join(ROOT, 'data/programs/2022-shanghai.yaml'), 'utf8').replaceAll('min_percent: 0.05', 'min_percent: 0.1'));
    const r = await run('batch', data, '--out', path.join(dir, 'out'), '--program', rules, '--pdf-engine', PACKAGE_ENGINE);
    expect(r.code).toBe(1);
    expect(r.err).toContain('申报条件 (3) 经费保障 不符合：2021年520.00万元÷603,000.00万元=0.086%，2021年低于0.1%');
  }, 120_000);

  it.skipIf(!hasBuild)('rebuilds when a font file changes, and only then', async () => {
    const dir = tmp('fonts');
    const fonts = path.join(dir, 'fonts');
    mkdirSync(fonts);
    const serif = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
    const bold = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';
    if (!existsSync(serif) || !existsSync(bold)) return;
    const font = path.join(fonts, 'DejaVuSerif.ttf');
    copyFileSync(serif, font);
    const data = path.join(dir, 'data');
    mkdirSync(data);
    copyFileSync(example('xuhui-demo-district'), path.join(data, 'xuhui.yaml'));
    const out = path.join(dir, 'out');
    const batch = () => runBatch([data], { outDir: out, engine: 'native', fonts, version: 't', jobs: 1 });
    expect((await batch()).outcomes.map((o) => o.status)).toEqual(['built']);
    expect((await batch()).outcomes.map((o) => o.status)).toEqual(['skipped']);
    // The office replaces the font file by another version of it.
    copyFileSync(bold, font);
    expect((await batch()).outcomes.map((o) => o.status)).toEqual(['built']);
  }, 300_000);
});

describe('render and package', () => {
  it.skipIf(!hasBuild)('render writes its own folder, never into a package; the package stays consistent', async () => {
    const dir = tmp('render');
    const pkg = await spawnCli(['package', example('xuhui-demo-district'), '--pdf-engine', PACKAGE_ENGINE], dir);
    expect(pkg.code, pkg.err).toBe(0);
    const folder = path.join(dir, 'out', '徐汇区-示范城区');
    // Into the package folder: refused.
    const into = await spawnCli(['render', example('xuhui-demo-district'), '--out', folder, '--only', 'letter'], dir);
    expect(into.code).toBe(2);
    expect(into.err).toContain('这是 shenbao package 生成的材料包文件夹，render 不写入其中');
    // By default: its own folder beside the packages.
    const own = await spawnCli(['render', example('xuhui-demo-district'), '--only', 'letter', '--format', 'docx'], dir);
    expect(own.code, own.err).toBe(0);
    expect(readdirSync(path.join(dir, 'out', '单独生成', '徐汇区-示范城区')).sort()).toEqual(['.shenbao-生成记录.json', '01-申报函.docx']);

    // The package: every file in the folder is in the manifest with its hash, and the zip holds the same bytes.
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    const onDisk = readdirSync(folder).filter((n) => n !== 'manifest.json').sort();
    expect(manifest.files.map((f) => f.path).sort()).toEqual(onDisk);
    const zip = new PizZip(readFileSync(`${folder}.zip`));
    for (const f of manifest.files) {
      const bytes = readFileSync(path.join(folder, f.path));
      expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      expect(Buffer.from(zip.file(`徐汇区-示范城区/${f.path}`)!.asUint8Array()).equals(bytes), f.path).toBe(true);
    }
  }, 180_000);
});
