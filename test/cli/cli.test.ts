import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, lines, runCli } from '../helpers/cli.js';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

const EVENTS = 'rules/windows/lateral_movement_incoming_wmi.events.ndjson';
const eventsText = readFileSync(join(REPO_ROOT, EVENTS), 'utf8');
const SEQUENCE = 'sequence by host.id with maxspan=2s [network where true] [process where true]';
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-cli-'));
  const eventLines = lines(eventsText);
  writeFileSync(join(dir, 'events.ndjson.gz'), gzipSync(eventsText));
  writeFileSync(join(dir, 'events-gzip-no-extension'), gzipSync(eventsText));
  writeFileSync(join(dir, 'events.json'), `[\n${eventLines.join(',\n')}\n]\n`);
  writeFileSync(join(dir, 'bad.ndjson'), [...eventLines.slice(0, 3), '{not json', '{"event":{"category":"process"}}', '[1, 2]', ...eventLines.slice(3)].join('\n'));
  writeFileSync(join(dir, 'broken-rule.toml'), `[rule]\nrule_id = "x"\nname = "Broken"\ntype = "eql"\nlanguage = "eql"\nquery = '''\nprocess where\n  x = 1\n'''\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built executable (dist/cli.js), run as users run it', () => {
  it("prints the version, reads stdin and files, and exits with the command's code", () => {
    expect(cli(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    const fromStdin = cli(['query', SEQUENCE], eventsText);
    expect(fromStdin.code).toBe(0);
    expect(lines(fromStdin.stdout)).toEqual(lines(cli(['query', SEQUENCE, EVENTS]).stdout));
    expect(cli(['run', '--events', join(dir, 'bad.ndjson'), '-q']).code).toBe(5);
  });
});

describe('eqlkit --version and --help', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it.each(['query', 'run', 'check', 'parse'])('prints help for %s', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: eqlkit ${command}`));
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['query', 'any where true', '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--colour'/);
  });
});

describe('eqlkit parse', () => {
  it('prints the canonical query', async () => {
    const r = await runCli(['parse', 'process   where  (x==1)']);
    expect(r).toMatchObject({ code: 0, stdout: 'process where x == 1\n' });
  });

  it('prints the AST with --ast', async () => {
    const r = await runCli(['parse', 'any where x', '--ast']);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'EventQuery', filter: { category: null, condition: { type: 'Field', path: ['x'] } } });
  });

  it('exits 2 with a code frame on an invalid query', async () => {
    const r = await runCli(['parse', 'process where x = 1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("line 1:17: '=' is not an operator");
    expect(r.stderr).toContain('> 1 | process where x = 1');
    expect(r.stderr).toContain('^');
  });
});

describe('eqlkit query', () => {
  it('prints matches from a file as NDJSON when piped', async () => {
    const r = await runCli(['query', SEQUENCE, EVENTS]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout).map((l) => JSON.parse(l));
    expect(out.length).toBeGreaterThan(10);
    expect(out[0]).toMatchObject({ kind: 'sequence', join_keys: ['host-01'] });
    expect(r.stderr).toMatch(/40 read, 40 evaluated, 0 reported; \d+ matches/);
  });

  it('with --prefilter, skips unparsed the lines no stage could match, with the same matches', async () => {
    const query = 'process where process.parent.name : "wmiprvse.exe"';
    const skipping = await runCli(['query', query, '--prefilter', EVENTS]);
    const parsing = await runCli(['query', query, EVENTS]);
    expect(lines(skipping.stdout).length).toBeGreaterThan(0);
    expect(skipping.stdout).toBe(parsing.stdout);
    const [, read, evaluated, unparsed] = /(\d+) read, (\d+) evaluated, (\d+) skipped by the prefilter, 0 reported/.exec(skipping.stderr)!.map(Number);
    expect(read).toBe(40);
    expect(evaluated! + unparsed!).toBe(40);
    expect(unparsed).toBeGreaterThan(0);
    expect(parsing.stderr).toMatch(/40 read, 40 evaluated, 0 reported/);
  });

  it('reads stdin when no file is given, and from "-"', async () => {
    const fromFile = (await runCli(['query', SEQUENCE, EVENTS])).stdout;
    expect((await runCli(['query', SEQUENCE], eventsText)).stdout).toBe(fromFile);
    expect((await runCli(['query', SEQUENCE, '-'], eventsText)).stdout).toBe(fromFile);
  });

  it('applies head and tail pipes and --size', async () => {
    const all = lines((await runCli(['query', SEQUENCE, EVENTS])).stdout);
    expect(lines((await runCli(['query', `${SEQUENCE} | head 2`, EVENTS])).stdout)).toEqual(all.slice(0, 2));
    expect(lines((await runCli(['query', `${SEQUENCE} | tail 2`, EVENTS])).stdout)).toEqual(all.slice(-2));
    const sized = await runCli(['query', SEQUENCE, EVENTS, '--size', '3']);
    expect(lines(sized.stdout)).toEqual(all.slice(-3));
    // The summary tells what was found from what was printed.
    expect(sized.stderr).toMatch(new RegExp(`; ${all.length} matches \\(3 printed\\) in `));
    expect((await runCli(['query', SEQUENCE, EVENTS])).stderr).toMatch(new RegExp(`; ${all.length} matches in `));
    // Pipes in a chain, and --size before the first of them, as search() applies them.
    expect(lines((await runCli(['query', `${SEQUENCE} | head 4 | tail 2`, EVENTS])).stdout)).toEqual(all.slice(2, 4));
    expect(lines((await runCli(['query', `${SEQUENCE} | tail 3 | head 1`, EVENTS, '--size', '4'])).stdout)).toEqual(all.slice(-3, -2));
    // A head with --size streams: reading stops at the size, so the summary finds no more than it prints.
    const headed = await runCli(['query', `${SEQUENCE} | head 5`, EVENTS, '--size', '2']);
    expect(lines(headed.stdout)).toEqual(all.slice(0, 2));
    expect(headed.stderr).toMatch(/; 2 matches in /);
  });

  it('reads a file that starts with a byte-order mark', async () => {
    writeFileSync(join(dir, 'bom.ndjson'), `\uFEFF${eventsText}`);
    const r = await runCli(['query', 'process where true', join(dir, 'bom.ndjson')]);
    expect(r.stderr).not.toMatch(/not valid JSON/);
    expect(lines(r.stdout)).toEqual(lines((await runCli(['query', 'process where true', EVENTS])).stdout));
  });

  it.each([
    ['a missing file', () => join(dir, 'nosuch.ndjson'), /no such file or folder: .*nosuch\.ndjson/],
    [
      'a folder without event files',
      () => {
        mkdirSync(join(dir, 'empty'), { recursive: true });
        return join(dir, 'empty');
      },
      /no event file .* in the folder .*empty/,
    ],
    [
      'broken gzip',
      () => {
        writeFileSync(join(dir, 'broken.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
        return join(dir, 'broken.gz');
      },
      /broken\.gz: cannot read: /,
    ],
  ])('exits 2 naming the file when an event file cannot be read: %s', async (_what, file, message) => {
    const r = await runCli(['query', 'process where true', file()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['query', 'process where true', EVENTS, '--reorder-window', '5x'], /--reorder-window must be a duration such as 500ms/],
    [['run', '--events', EVENTS, '--reorder-window', '5'], /--reorder-window must be a duration/],
    [['query', 'process where true', EVENTS, '--size', 'abc'], /--size must be a whole number/],
  ])('exits 2 with a usage error for a bad option value: %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes a JSON array or a table on request', async () => {
    const json = JSON.parse((await runCli(['query', 'process where true', EVENTS, '--format', 'json'])).stdout);
    expect(json).toHaveLength(20);
    const table = (await runCli(['query', `${SEQUENCE} | head 1`, EVENTS, '--format', 'table'])).stdout.split('\n');
    expect(table[0]).toMatch(/^TIME\s+KIND\s+KEYS\s+HOST\s+USER\s+PROCESS$/);
    expect(table[1]).toMatch(/^2026-01-15T10:01:01.000Z\s+sequence\s+host-01\s+WIN-1\s+svchost.exe, cmd.exe$/);
    // Aligned: each column starts at the header's offset.
    expect(table[1]!.indexOf('sequence')).toBe(table[0]!.indexOf('KIND'));
    expect(table.filter((l) => l !== '')).toHaveLength(2);
  });

  it('exits 1 with --fail-on-match when something matches, 0 otherwise', async () => {
    expect((await runCli(['query', 'process where true', EVENTS, '--fail-on-match'])).code).toBe(1);
    expect((await runCli(['query', 'process where false', EVENTS, '--fail-on-match'])).code).toBe(0);
  });

  it('exits 2 with a code frame on an invalid query', async () => {
    const r = await runCli(['query', 'process where foo(x)', EVENTS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid query: line 1:15: unknown function \[foo\]/);
  });

  it('honours the field options and a mapping', async () => {
    const events = '{"ts": 2, "kind": "a", "n": "5"}\n{"ts": 1, "kind": "a", "n": "7"}\n';
    const r = await runCli(['query', 'a where n > 6', '--timestamp-field', 'ts', '--category-field', 'kind', '--reorder-window', '10ms'], events);
    expect(lines(r.stdout).map((l) => JSON.parse(l).events[0].ts)).toEqual([1]);
    writeFileSync(join(dir, 'mapping.json'), JSON.stringify({ properties: { ts: { type: 'date' }, kind: { type: 'keyword' }, n: { type: 'long' } } }));
    const typed = await runCli(['query', 'a where n > 6', '--timestamp-field', 'ts', '--category-field', 'kind', '--mapping', join(dir, 'mapping.json'), '--reorder-window', '10ms'], events);
    expect(lines(typed.stdout)).toHaveLength(1);
    const unknown = await runCli(['query', 'a where nope > 6', '--timestamp-field', 'ts', '--category-field', 'kind', '--mapping', join(dir, 'mapping.json')], events);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown field \[nope\]/);
  });
});

describe('eqlkit run', () => {
  it('runs the bundled rules when none are named', async () => {
    const r = await runCli(['run', '--events', EVENTS]);
    expect(r.code).toBe(0);
    const alerts = lines(r.stdout).map((l) => JSON.parse(l));
    expect(alerts).toHaveLength(4);
    expect(alerts[0]).toMatchObject({ schema: 'eqlkit/alert@1', rule: { name: 'WMI Incoming Lateral Movement' }, join_keys: ['host-01'] });
  });

  it.each([
    ['gzip by name', () => join(dir, 'events.ndjson.gz')],
    ['gzip by magic bytes', () => join(dir, 'events-gzip-no-extension')],
    ['a JSON array', () => join(dir, 'events.json')],
  ])('reads %s', async (_what, file) => {
    const r = await runCli(['run', '--events', file()]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(4);
  });

  it('reads gzip and JSON arrays from stdin', async () => {
    expect(lines((await runCli(['run', '--events', '-'], gzipSync(readFileSync(join(dir, 'events.json'))))).stdout)).toHaveLength(4);
  });

  it('reports bad lines with file and line, keeps going, and counts them', async () => {
    const r = await runCli(['run', '--events', join(dir, 'bad.ndjson')]);
    // Some events could not be evaluated: the run says so in its exit code.
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('3 events could not be evaluated (reported above)');
    expect(lines(r.stdout)).toHaveLength(4);
    expect(r.stderr).toContain(`${join(dir, 'bad.ndjson')}:4: not valid JSON`);
    expect(r.stderr).toContain(`${join(dir, 'bad.ndjson')}:5: no readable timestamp in [@timestamp]`);
    expect(r.stderr).toContain(`${join(dir, 'bad.ndjson')}:6: an event must be a JSON object`);
    expect(r.stderr).toMatch(/43 read, 40 evaluated, 3 reported; 4 alerts/);
    expect(r.stderr).not.toContain('\r');
  });

  it('stops at the first bad line with --strict, exit 3', async () => {
    const r = await runCli(['run', '--events', join(dir, 'bad.ndjson'), '--strict']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error: ${join(dir, 'bad.ndjson')}:4: not valid JSON`);
  });

  it('refuses --prefilter with --strict, exit 2', async () => {
    const r = await runCli(['run', '--events', join(dir, 'bad.ndjson'), '--strict', '--prefilter']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prefilter');
  });

  it('with --prefilter, counts the bad lines it skipped instead of reporting them', async () => {
    const r = await runCli(['run', '--prefilter', '--events', join(dir, 'bad.ndjson')]);
    expect(lines(r.stdout)).toHaveLength(4);
    const [, read, evaluated, unparsed, reported] = /(\d+) read, (\d+) evaluated, (\d+) skipped by the prefilter, (\d+) reported/.exec(r.stderr)!.map(Number);
    expect(read).toBe(43);
    expect(evaluated! + unparsed! + reported!).toBe(43);
    expect(unparsed).toBeGreaterThan(0);
    // Bad lines that got past the prefilter were reported: the exit code says some events were not evaluated.
    expect(r.code).toBe(reported! > 0 ? 5 : 0);
  });

  it('runs rules named by file, folder or glob, and limits with --size', async () => {
    expect(lines((await runCli(['run', 'rules/windows/lateral_movement_incoming_wmi.toml', '--events', EVENTS])).stdout)).toHaveLength(4);
    expect(lines((await runCli(['run', 'rules/**/*.toml', '--events', EVENTS, '--size', '1'])).stdout)).toHaveLength(1);
  });

  it('exits 1 with --fail-on-match when an alert fires', async () => {
    expect((await runCli(['run', '--events', EVENTS, '--fail-on-match', '--quiet'])).code).toBe(1);
  });

  it('lists in its help only the options it takes', async () => {
    const help = (await runCli(['run', '--help'])).stdout;
    expect(help).not.toMatch(/--timestamp-field|--tiebreaker-field|--category-field/);
    expect((await runCli(['query', '--help'])).stdout).toMatch(/--timestamp-field/);
    expect((await runCli(['run', '--events', EVENTS, '--timestamp-field', 'ts'])).code).toBe(2);
  });

  it("warns of a rule it cannot load with a frame of the file's own line", async () => {
    const r = await runCli(['run', join(dir, 'broken-rule.toml'), 'rules/windows', '--events', EVENTS]);
    expect(r.stderr).toContain('broken-rule.toml:8:5 [rule.query]');
    expect(r.stderr).toContain('> 8 |   x = 1');
    expect(lines(r.stdout)).toHaveLength(4);
  });
});

describe('eqlkit check', () => {
  it('passes the bundled rules', async () => {
    expect(await runCli(['check'])).toMatchObject({ code: 0, stdout: '1 rules ok, 0 failed, 0 not EQL\n' });
  });

  it('prints a code frame at the position in the TOML file and exits 1', async () => {
    const r = await runCli(['check', join(dir, 'broken-rule.toml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'broken-rule.toml')}:8:5: RULE_QUERY: the query does not compile: '=' is not an operator`);
    expect(r.stdout).toContain('> 8 |   x = 1');
    expect(r.stdout).toMatch(/\| {5}\^/);
    expect(r.stdout).toContain('0 rules ok, 1 failed, 0 not EQL');
  });

  it('gives a JSON report with --json', async () => {
    const report = JSON.parse((await runCli(['check', join(dir, 'broken-rule.toml'), 'rules', '--json'])).stdout);
    expect(report).toMatchObject({ ok: 1, failed: 1, not_eql: 0, problems: [{ line: 8, column: 5, code: 'RULE_QUERY', key: 'rule.query' }] });
  });

  it('lists an EQL rule with query DSL filters as not supported, apart from rules that are not EQL', async () => {
    const bundled = readFileSync(join(REPO_ROOT, 'rules/windows/lateral_movement_incoming_wmi.toml'), 'utf8');
    writeFileSync(join(dir, 'filtered.toml'), `${bundled}\n[[rule.filters]]\n[rule.filters.query.exists]\nfield = "user.name"\n`);
    const r = await runCli(['check', join(dir, 'filtered.toml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(dir, 'filtered.toml')}: not supported: 1 query DSL filter ([[rule.filters]])`);
    expect(r.stdout).toMatch(/0 rules ok, 0 failed, 0 not EQL, 1 not supported\n$/);
    const report = JSON.parse((await runCli(['check', join(dir, 'filtered.toml'), '--json'])).stdout);
    expect(report).toMatchObject({ ok: 0, not_eql: 0, not_supported: 1 });
  });

  const rulesDir = sharedPath('the corpus check', 'corpus', 'detection-rules');
  const otherDir = sharedPath('the non-EQL corpus check', 'corpus', 'detection-rules-other');
  it.skipIf(!rulesDir)('passes all 1,081 corpus rules', async () => {
    const r = await runCli(['check', rulesDir!, '--quiet']);
    expect(r).toMatchObject({ code: 0, stdout: '1081 rules ok, 0 failed, 0 not EQL\n' });
  });

  it.skipIf(!otherDir)('reports the 40 non-EQL rules, and exits 0 since nothing failed', async () => {
    const r = await runCli(['check', otherDir!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 rules ok, 0 failed, 40 not EQL\n$/);
    expect(lines(r.stdout).filter((l) => l.includes(': not EQL: '))).toHaveLength(40);
  });
});

describe('the README', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  it("starts with the two set-up commands, and the main job's command runs the CLI", async () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks.slice(0, 2)).toEqual(['npm ci && npm run demo', 'npm test']);
    const demo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.demo as string;
    const cliPart = demo.split('&&').pop()!.trim();
    expect(cliPart).toMatch(/^node dist\/cli\.js run /);
    const out = execSync(cliPart, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(lines(out).filter((l) => l.includes('WMI Incoming Lateral Movement'))).toHaveLength(4);
  });

  it('has a library example that runs', async () => {
    const out = execSync('node examples/run-bundled-rule.mjs', { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toContain('WMI Incoming Lateral Movement: 4 alerts in 40 events');
  });

  it('has a streaming example that gives the alerts and reports bad lines without stopping', async () => {
    const input = `${eventsText.trim()}\n{bad\n[1]\n`;
    const r = spawnSync(process.execPath, ['examples/stream-rules.mjs'], { cwd: REPO_ROOT, input, encoding: 'utf8' });
    expect(lines(r.stdout)).toHaveLength(4);
    expect(r.stdout).toContain('WMI Incoming Lateral Movement  2026-01-15T10:01:00.000Z  by host-01');
    expect(r.stderr).toMatch(/event 40: not valid JSON/);
    expect(r.stderr).toMatch(/event 41: an event must be a JSON object/);
    expect(r.stderr).toMatch(/1 rule, 42 events, 4 alerts, 2 errors, 0 late/);
  });
});
