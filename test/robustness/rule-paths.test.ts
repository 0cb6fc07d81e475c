/**
 * Rule paths that are not rule files: devices, named pipes, links to them,
 * and trees of tens of thousands of hidden entries. Each run is the built
 * command line in a child process with a heap cap and a time limit, so that
 * a hang (a read of /dev/zero, a pipe with no writer) or memory that grows
 * with the tree fails the test.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCapped, lines } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-rule-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (id: string) => `[rule]
rule_id = "${id}"
name = "${id}"
type = "eql"
language = "eql"
query = '''
process where process.name == "cmd.exe"
'''
`;

const LIMITS = { heapMb: 64, timeoutMs: 20_000 };

/** A named pipe at `path`, or false where mkfifo is missing. */
function fifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

describe('a device or a named pipe given as a rule', () => {
  const devices = ['/dev/zero', '/dev/urandom', '/dev/null'].filter((d) => existsSync(d));
  const pipe = join(dir, 'pipe.toml');
  const hasFifo = fifo(pipe);
  const links = devices.map((d) => {
    const link = join(dir, `link${d.replaceAll('/', '-')}.toml`);
    symlinkSync(d, link);
    return link;
  });
  if (hasFifo) symlinkSync(pipe, join(dir, 'link-to-pipe.toml'));
  const named = [...devices, ...links, ...(hasFifo ? [pipe, join(dir, 'link-to-pipe.toml')] : [])];

  it('is refused before a byte is read, by check, without a hang', async () => {
    const r = await cliCapped(['check', ...named], LIMITS);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    for (const path of [...devices, ...links]) expect(r.stdout).toContain(`${path}: RULE_READ: a character device, not a regular file: not read`);
    if (hasFifo) for (const path of [pipe, join(dir, 'link-to-pipe.toml')]) expect(r.stdout).toContain(`${path}: RULE_READ: a named pipe, not a regular file: not read`);
    expect(lines(r.stdout).at(-1)).toBe(`0 rules ok, ${named.length} failed, 0 not EQL`);
  });

  it('is passed over in a folder, and the other rules run', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'good.toml'), rule('good'));
    if (existsSync('/dev/zero')) symlinkSync('/dev/zero', join(folder, 'zero.toml'));
    if (hasFifo) fifo(join(folder, 'pipe.toml'));
    writeFileSync(join(dir, 'events.ndjson'), '{"@timestamp": 1, "event": {"category": "process"}, "process": {"name": "cmd.exe"}}\n');
    const r = await cliCapped(['run', folder, '--events', join(dir, 'events.ndjson')], LIMITS);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((l) => JSON.parse(l).rule.rule_id)).toEqual(['good']);
    if (hasFifo) expect(r.stderr).toContain(`warning: rule not loaded: ${join(folder, 'pipe.toml')}: a named pipe, not a regular file: not read`);
    if (existsSync('/dev/zero')) expect(r.stderr).toContain(`warning: rule not loaded: ${join(folder, 'zero.toml')}: a character device, not a regular file: not read`);
  });
});

describe('a rule folder with 15,000 hidden entries, and folders deeper than the walk goes', () => {
  it('loads the visible rules above the depth limit in bounded memory, and says where it stopped', async () => {
    const root = join(dir, 'tree');
    mkdirSync(root);
    // Hidden files are cheap to make; folders cost more, so there are fewer of them, each with files.
    for (let i = 0; i < 500; i++) {
      mkdirSync(join(root, `.hidden-${i}`));
      for (let j = 0; j < 10; j++) closeSync(openSync(join(root, `.hidden-${i}`, `rule-${j}.toml`), 'w'));
    }
    for (let i = 0; i < 10_000; i++) closeSync(openSync(join(root, `.rule-${i}.toml`), 'w'));
    // A visible chain 70 folders deep, a rule at the top, at depth 64 (the last walked) and at the bottom.
    let folder = root;
    writeFileSync(join(root, 'top.toml'), rule('top'));
    for (let depth = 1; depth <= 70; depth++) {
      folder = join(folder, 'd');
      mkdirSync(folder);
      if (depth === 64) writeFileSync(join(folder, 'at-64.toml'), rule('at-64'));
    }
    writeFileSync(join(folder, 'bottom.toml'), rule('bottom'));
    const r = await cliCapped(['check', root, '--json'], LIMITS);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: number; failed: number; problems: Array<{ file: string; code: string; reason: string }> };
    expect(report.ok).toBe(2);
    expect(report.problems).toEqual([
      { file: join(root, ...Array(65).fill('d')), line: null, column: null, key: null, code: 'RULE_READ', reason: `more than 64 levels of folders below ${root}: it was not walked` },
    ]);
  });
});
