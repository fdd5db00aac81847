import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlFile } from '../../src/load/index.js';
import { EXAMPLES_DIR } from '../fixtures/examples.js';

/** The editor's unsaved text is loaded as the file would be: same data, positions and diagnostics. */
describe('loadYamlFile with the text in memory', () => {
  const examples = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml'));

  it.each(examples)('%s: the same as reading the file', async (name) => {
    const file = path.join(EXAMPLES_DIR, name);
    const text = readFileSync(file, 'utf8');
    const disk = await loadYamlFile(file);
    const memory = await loadYamlFile(file, { text });
    expect(memory.data).toEqual(disk.data);
    expect(memory.diagnostics).toEqual(disk.diagnostics);
    expect(memory.file).toBe(disk.file);
    for (const p of [['letter', 'number'], ['report', 'overview'], ['indicators', '2021'], ['no', 'such', 'field']]) {
      expect(memory.locate(p)).toEqual(disk.locate(p));
    }
    expect(memory.locateText(['report', 'overview'], 40)).toEqual(disk.locateText(['report', 'overview'], 40));
  });

  it('the text, not the file, is what is read; a mistake in it is located in it', async () => {
    const file = path.join(EXAMPLES_DIR, 'xuhui-demo-district.yaml');
    const text = readFileSync(file, 'utf8').replace('  signer: 上海市徐汇区人民政府', '  signer：上海市徐汇区人民政府');
    const l = await loadYamlFile(file, { text });
    expect(l.data).toBeUndefined();
    expect(l.diagnostics[0]).toMatchObject({ code: 'yaml.fullwidth-colon', line: 39, col: 9 });
  });
});
