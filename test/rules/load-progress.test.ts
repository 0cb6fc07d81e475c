import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';

const RULE = (n: number) => `[metadata]
creation_date = "2026/01/01"

[rule]
name = "Rule ${n}"
rule_id = "00000000-0000-0000-0000-00000000000${n}"
type = "eql"
language = "eql"
query = '''
process where process.name : "a${n}.exe"
'''
`;

describe('loadRules progress', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eqlkit-progress-'));
    for (let i = 1; i <= 3; i++) writeFileSync(join(dir, `r${i}.toml`), RULE(i));
    writeFileSync(join(dir, 'broken.toml'), '[rule\n');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports the total once the files are found, then each file done, failed ones included', () => {
    const calls: Array<[number, number]> = [];
    const { rules, errors } = loadRules(dir, { onProgress: (done, total) => calls.push([done, total]) });
    expect(rules).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(calls).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('counts a file named twice once', () => {
    const calls: Array<[number, number]> = [];
    loadRules([join(dir, 'r1.toml'), join(dir, 'r1.toml')], { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
