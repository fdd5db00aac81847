/**
 * `render --out DIR` writes into folders that hold the user's own files too (issue 12): a file
 * under a name render wants is replaced only when render wrote it there and it still holds what
 * render wrote. A user's own 01-申报函.docx, or our DOCX after they edited it in Word, is refused
 * with exit 2 and left byte for byte; --force replaces it.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoCrash, MINIMAL_FILE, run, removeTemps, sha256, snapshot, tempLeftovers, tmp, writeFile } from './helpers.js';

afterAll(removeTemps);

const LETTER = '01-申报函.docx';
const render = (out: string, ...more: string[]) => run('render', MINIMAL_FILE, '--out', out, '--format', 'docx', ...more);

describe('render --out into a folder with the user’s files', () => {
  it('a user’s own file under a document’s name: exit 2 naming it, nothing written, the file untouched', async () => {
    const out = tmp('render-owned-user');
    writeFile(out, LETTER, 'the sealed letter the district scanned\n');
    writeFile(out, '备注.txt', 'notes\n');
    const before = snapshot(out);
    const r = await render(out);
    expectNoCrash(r, expect);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(join(out, LETTER));
    expect(r.err).toMatch(/不是 shenbao 生成的；未覆盖任何文件/);
    expect(snapshot(out)).toEqual(before);
    expect(tempLeftovers(out)).toEqual([]);
  }, 60_000);

  it('a re-run replaces its own unchanged files and keeps the user’s others', async () => {
    const out = tmp('render-owned-rerun');
    writeFile(out, '备注.txt', 'notes\n');
    expect((await render(out)).code).toBe(0);
    const first = sha256(readFileSync(join(out, LETTER)));
    const r = await render(out);
    expect(r.code, r.err).toBe(0);
    expect(sha256(readFileSync(join(out, LETTER)))).toBe(first);
    expect(readFileSync(join(out, '备注.txt'), 'utf8')).toBe('notes\n');
    expect(readdirSync(out).filter((n) => n.endsWith('.docx')).sort()).toEqual(['01-申报函.docx', '02-创建工作报告.docx', '03-三年期示范工作方案.docx']);
  }, 60_000);

  it('our DOCX edited by the user afterwards: refused (exit 2), the edit kept; --force replaces it', async () => {
    const out = tmp('render-owned-edited');
    expect((await render(out)).code).toBe(0);
    const edited = Buffer.concat([readFileSync(join(out, LETTER)), Buffer.from('edited in Word')]);
    writeFileSync(join(out, LETTER), edited);
    const r = await render(out);
    expectNoCrash(r, expect);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/01-申报函\.docx.*在 shenbao 生成后被修改过/);
    expect(readFileSync(join(out, LETTER)).equals(edited)).toBe(true);
    const forced = await render(out, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(join(out, LETTER)).equals(edited)).toBe(false);
    // After --force the file is ours again: a plain re-run goes through.
    expect((await render(out)).code).toBe(0);
  }, 90_000);
});
