/** Broken rule files: each gives a RuleLoadError with its file and position, and the others still load. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules, type RuleLoadError } from '../../src/index.js';

const GOOD = `[rule]
rule_id = "good"
name = "Good"
type = "eql"
language = "eql"
query = '''
process where process.name : "cmd.exe"
'''
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-hostile-rules-'));
  writeFileSync(join(dir, 'good.toml'), GOOD);
  writeFileSync(join(dir, 'truncated.toml'), GOOD.slice(0, GOOD.indexOf("'''") + 10));
  writeFileSync(join(dir, 'binary.toml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
  writeFileSync(join(dir, 'huge.toml'), '');
  truncateSync(join(dir, 'huge.toml'), 100 * 1024 * 1024); // 100 MB, sparse
  writeFileSync(join(dir, 'duplicate-key.toml'), GOOD.replace('name = "Good"', 'name = "Good"\nname = "Again"'));
  writeFileSync(join(dir, 'query-is-a-list.toml'), GOOD.replace(/query = '''[\s\S]*'''/, 'query = ["process where true"]'));
  writeFileSync(join(dir, 'risk-is-text.toml'), GOOD.replace('type = "eql"', 'type = "eql"\nrisk_score = "high"'));
  mkdirSync(join(dir, 'loop'));
  symlinkSync(dir, join(dir, 'loop', 'back'), 'dir');
  symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'self'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile rule files', () => {
  it('load the good rule once, despite a symlink loop, and report each bad file', () => {
    const { rules, errors } = loadRules(dir);
    expect(rules.map((r) => r.ruleId)).toEqual(['good']);
    const byFile = Object.fromEntries(errors.map((e: RuleLoadError) => [e.file!.slice(dir.length + 1), e]));
    expect(Object.keys(byFile).sort()).toEqual(['binary.toml', 'duplicate-key.toml', 'huge.toml', 'query-is-a-list.toml', 'risk-is-text.toml', 'truncated.toml']);
    expect(byFile['binary.toml']).toMatchObject({ code: 'RULE_READ' });
    expect(byFile['huge.toml']).toMatchObject({ code: 'RULE_READ' });
    expect(byFile['huge.toml']!.reason).toMatch(/104857600 bytes/);
    expect(byFile['truncated.toml']).toMatchObject({ code: 'RULE_TOML' });
    expect(byFile['truncated.toml']!.line).toBeGreaterThan(0);
    expect(byFile['duplicate-key.toml']).toMatchObject({ code: 'RULE_TOML', line: 4 });
    expect(byFile['query-is-a-list.toml']).toMatchObject({ code: 'RULE_SCHEMA', key: 'rule.query', line: 6 });
    expect(byFile['risk-is-text.toml']).toMatchObject({ code: 'RULE_SCHEMA', key: 'rule.risk_score', line: 5 });
  });
});
