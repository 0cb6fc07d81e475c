/** Mistakes in the arguments get one sentence naming the mistake and the right form, and exit 2; help is at hand. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/shared.js';
import { COMMAND_HELP } from '../../src/cli/help.js';

const EVENTS = 'rules/windows/lateral_movement_incoming_wmi.events.ndjson';
const RULE = 'rules/windows/lateral_movement_incoming_wmi.toml';
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-arguments-'));
  writeFileSync(join(dir, 'query.eql'), 'process where process.name : "cmd.exe"\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('argument mistakes', () => {
  it.each([
    ['a rule file named after --events', ['run', '--events', EVENTS, RULE], /lateral_movement_incoming_wmi\.toml is a rule file, not events: name rules before --events/],
    ['an event file where rules go', ['run', EVENTS], /looks like an event file, named where rules go: name events with --events \(eqlkit run \[RULES…\] --events .*events\.ndjson\)/],
    ['a rule file given to query as events', ['query', 'process where true', RULE], /is a rule file, not events: run rules with eqlkit run RULES… --events EVENTS…/],
    ['an event file where the query goes', ['query', EVENTS], /the first argument is the query itself, and ".*events\.ndjson" looks like a file name: write the query first/],
    ['a query file where the query goes', ['query', 'query.eql', EVENTS], /looks like a file name: .* or read it from a file with -f query\.eql/],
    ['no query at all', ['query'], /query needs the EQL query as its first argument/],
    ['an unknown format', ['query', 'process where true', EVENTS, '-F', 'xml'], /--format must be one of ndjson, json, table, csv, not "xml"/],
    ['a bad sort memory', ['query', 'process where true', EVENTS, '--sort-memory', 'lots'], /--sort-memory must be a size such as 64MB or 2GB/],
    ['a bad --max-errors', ['run', '--events', EVENTS, '--max-errors', '-1'], /--max-errors/],
    ['a missing event file', ['run', '--events', 'nosuch.ndjson'], /no such file or folder: nosuch\.ndjson/],
    ['a glob that matches nothing', ['query', 'process where true', 'rules/*.ndjson'], /no event file .* matches rules\/\*\.ndjson/],
  ])('%s: one sentence, exit 2', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('reads the query from a file with -f', async () => {
    const r = await runCli(['query', '-f', join(dir, 'query.eql'), EVENTS, '-F', 'ndjson']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
    expect(r.stdout).toBe((await runCli(['query', 'process where process.name : "cmd.exe"', EVENTS, '-F', 'ndjson'])).stdout);
  });
});

describe('help', () => {
  it.each(Object.keys(COMMAND_HELP))("help %s prints that command's help, as --help does", async (command) => {
    const viaHelp = await runCli(['help', command]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: eqlkit ${command}`));
    expect(viaHelp.stdout).toBe((await runCli([command, '--help'])).stdout);
    expect(viaHelp.stdout).toBe((await runCli([command, '-h'])).stdout);
  });

  it('names the commands for help of an unknown one', async () => {
    const r = await runCli(['help', 'serve']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no command "serve"; the commands are query, run, check, test, parse');
  });

  it('documents every exit code', async () => {
    const r = await runCli(['--help']);
    for (const code of [0, 1, 2, 3, 4, 5, 6]) expect(r.stdout).toMatch(new RegExp(`^  ${code}  `, 'm'));
  });
});

describe('counts a person reads', () => {
  it.each([
    ['process where process.name : "cmd.exe" | head 1', /; 1 match in /],
    ['process where false', /; 0 matches in /],
  ])('are grammatical: %s', async (query, summary) => {
    const r = await runCli(['query', query, EVENTS, '-F', 'ndjson']);
    expect(r.stderr).toMatch(summary);
  });

  it('short options stand for the long ones', async () => {
    const long = await runCli(['query', 'process where true', EVENTS, '--size', '2', '--format', 'csv', '--quiet']);
    const short = await runCli(['query', 'process where true', EVENTS, '-n', '2', '-F', 'csv', '-q']);
    expect(short).toEqual(long);
    expect(lines(short.stdout)).toHaveLength(3);
    expect(short.stderr).toBe('');
  });

  it('-o writes the results to a file and nothing to stdout', async () => {
    const out = join(dir, 'alerts.csv');
    const r = await runCli(['run', '--events', EVENTS, '-o', out, '-F', 'csv', '--fields', 'rule,severity,host']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8').split('\r\n')).toEqual([
      'rule,severity,host',
      'WMI Incoming Lateral Movement,medium,WIN-1',
      'WMI Incoming Lateral Movement,medium,WIN-2',
      'WMI Incoming Lateral Movement,medium,WIN-3',
      'WMI Incoming Lateral Movement,medium,WIN-4',
      '',
    ]);
  });

  it('ends a run with alerts by rule, by severity and by host, then the counts', async () => {
    const r = await runCli(['run', '--events', EVENTS]);
    expect(r.stderr).toContain('Alerts by rule:\n  4  WMI Incoming Lateral Movement\n');
    expect(r.stderr).toContain('Alerts by severity: 4 medium\n');
    expect(r.stderr).toContain('Alerts by host: WIN-1 1, WIN-2 1, WIN-3 1, WIN-4 1\n');
    expect(r.stderr).toMatch(/40 read, 40 evaluated, 0 reported; 4 alerts in [\d.]+ s(, [\d,]+ events\/s)?\n$/);
  });
});

describe('--mapping', () => {
  it('takes what GET <index>/_mapping returns, several indices merged', async () => {
    const events = '{"@timestamp": 1, "event": {"category": "network"}, "source": {"ip": "::1"}}\n{"@timestamp": 2, "event": {"category": "network"}, "source": {"ip": "10.0.0.1"}}\n';
    const file = join(dir, 'ips.ndjson');
    writeFileSync(file, events);
    const response = {
      'logs-a': { mappings: { properties: { source: { properties: { ip: { type: 'ip' } } } } } },
      'logs-b': { mappings: { properties: { '@timestamp': { type: 'date' }, event: { properties: { category: { type: 'keyword' } } } } } },
    };
    writeFileSync(join(dir, 'get-mapping.json'), JSON.stringify(response));
    // As an ip, 0:0:0:0:0:0:0:1 is ::1; as text it is not.
    const query = 'network where source.ip == "0:0:0:0:0:0:0:1"';
    const typed = await runCli(['query', query, file, '--mapping', join(dir, 'get-mapping.json'), '-F', 'ndjson']);
    expect(typed.code).toBe(0);
    expect(lines(typed.stdout)).toHaveLength(1);
    const untyped = await runCli(['query', query, file, '-F', 'ndjson']);
    expect(lines(untyped.stdout)).toHaveLength(0);
    // A field the mappings do not know is an error, as in Elasticsearch.
    const unknown = await runCli(['query', 'network where destination.ip == "::1"', file, '--mapping', join(dir, 'get-mapping.json')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/destination\.ip/);
  });
});

describe('rule selection for run', () => {
  it('keeps the rules of the severity, tags and kind asked for, and leaves out negated globs', async () => {
    const corpus = sharedPath('the rule-selection test of run', 'corpus', 'detection-rules');
    if (corpus === null) return;
    const { loadRules } = await import('../../src/index.js');
    const all = loadRules(corpus).rules.filter((r) => r.executable);
    const expected = all.filter(
      (r) =>
        !r.file!.includes('/_deprecated/') &&
        ['high', 'critical'].includes(String(r.severity).toLowerCase()) &&
        r.tags.some((t) => t.toLowerCase() === 'domain: endpoint') &&
        r.buildingBlockType === null,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(all.length / 2);
    const r = await runCli(['run', corpus, '!**/_deprecated/**', '--min-severity', 'high', '--tag', 'Domain: Endpoint', '--no-building-blocks', '--events', EVENTS]);
    expect(r.stderr).toContain(`running ${expected.length} rules\n`);
    const bad = await runCli(['run', corpus, '--min-severity', 'urgent', '--events', EVENTS]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-severity must be one of low, medium, high, critical, not "urgent"');
  });

  it('reads exclusions alone as narrowing the bundled rules', async () => {
    const kept = await runCli(['run', '!**/_deprecated/**', '--events', EVENTS, '-F', 'ndjson']);
    expect(kept.code).toBe(0);
    expect(lines(kept.stdout)).toHaveLength(4);
    const none = await runCli(['run', '!**/windows/**', '--events', EVENTS]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: no EQL rule to run');
  });
});

describe('--size', () => {
  it('keeps what search() keeps: the most recent matches, but the first samples', async () => {
    const { compile } = await import('../../src/index.js');
    const { readFileSync } = await import('node:fs');
    const events = readFileSync(EVENTS, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    for (const text of ['sample by host.id [network where true] [process where true]', 'sequence by host.id [network where true] [process where true]']) {
      const all = compile(text).search(events);
      expect(all.length).toBeGreaterThan(2);
      const r = await runCli(['query', text, EVENTS, '-n', '2', '-F', 'ndjson']);
      const expected = compile(text)
        .search(events, { size: 2 })
        .map((m) => JSON.stringify({ kind: m.kind, join_keys: m.joinKeys, events: m.events }));
      expect(lines(r.stdout)).toEqual(expected);
      expect(expected).toEqual((text.startsWith('sample') ? all.slice(0, 2) : all.slice(-2)).map((m) => JSON.stringify({ kind: m.kind, join_keys: m.joinKeys, events: m.events })));
    }
  });
});
