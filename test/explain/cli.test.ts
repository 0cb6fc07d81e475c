/** `eqlkit explain`, run in-process: the readable tree, JSON, and its usage errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RULE = 'rules/windows/lateral_movement_incoming_wmi.toml';
const EVENTS = 'rules/windows/lateral_movement_incoming_wmi.events.ndjson';

describe('eqlkit explain', () => {
  it('explains a sequence that did not match: stages filled, the reason, the closest candidate’s failed clause with its value', async () => {
    const r = await runCli(['explain', RULE, '--events', EVENTS, '--key', 'host-12']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('rule: WMI Incoming Lateral Movement (f3475224-b179-4f78-8877-c2bd64c26b88)');
    expect(r.stdout).toContain('40 events, 4 alerts');
    const key = r.stdout.slice(r.stdout.indexOf('key "host-12"'));
    expect(key.split('\n').slice(0, 7)).toEqual([
      'key "host-12": no match, 1 of 2 stages filled',
      '  ✓ stage 1: line 23 (2026-01-15T10:12:00.000Z)',
      '  ✗ no event with this key after line 23 (2026-01-15T10:12:00.000Z) matches stage 2',
      '  closest candidates for stage 2 (1 event with this key after the last filled stage):',
      '    line 24 (2026-01-15T10:12:01.000Z): 1 clause failed',
      '      ✗ not  (12:4)',
      expect.stringMatching(/^ {8}✓ process\.args : \("C:.*… {2}\(12:8\) {2}seen: process\.args = /),
    ]);
    expect(key).toContain(String.raw`seen: process.args = ["cmd.exe","C:\\WINDOWS\\Temp\\Nessus_scan.TXT"]`);
  });

  it('says why a sequence went no further: maxspan', async () => {
    const r = await runCli(['explain', RULE, '--events', EVENTS, '--key', 'host-05']);
    expect(r.stdout).toContain('  ✗ line 10 (2026-01-15T10:05:02.001Z) matches stage 2, but 2.001s after the first filled stage: more than maxspan=2s\n');
  });

  it('names the event under another key that would have filled the next stage, and where its key differs', async () => {
    const r = await runCli(['explain', RULE, '--events', EVENTS, '--key', 'host-06']);
    expect(r.code).toBe(0);
    const key = r.stdout.slice(r.stdout.indexOf('key "host-06"'));
    expect(key).toBe(
      [
        'key "host-06": no match, 1 of 2 stages filled',
        '  ✓ stage 1: line 11 (2026-01-15T10:06:00.000Z)',
        '  ✗ no event with this key comes after line 11 (2026-01-15T10:06:00.000Z)',
        '  under other keys, closest for stage 2 (of 1 event after the last filled stage, within maxspan):',
        '    line 12 (2026-01-15T10:06:01.000Z): host.id = "host-06-other", not "host-06"; matches the stage',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runCli(['explain', RULE, '--events', EVENTS, '--key', 'host-06', '--format', 'json'])).stdout) as {
      keys: Array<{ next: { otherKeyCandidates: Array<{ event: { index: number }; key: unknown[]; differs: unknown[] }> } }>;
    };
    const [other] = json.keys[0]!.next.otherKeyCandidates;
    expect([other!.event.index, other!.key, other!.differs]).toEqual([
      11,
      ['host-06-other'],
      [{ position: 0, field: 'host.id', location: { start: { offset: 12, line: 1, column: 13 }, end: { offset: 19, line: 1, column: 20 } }, value: 'host-06-other', expected: 'host-06' }],
    ]);
  });

  it('lists the events left out of a stage for want of a key value, and those a partial sequence passed over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eqlkit-explain-'));
    const file = join(dir, 'events.ndjson');
    const at = (s: number) => `"@timestamp":"2026-01-01T00:00:0${s}Z"`;
    writeFileSync(
      file,
      [
        `{${at(0)},"event":{"category":"process"},"host":{"id":"h"},"process":{"name":"bash"}}`,
        `{${at(1)},"event":{"category":"process"},"host":{"id":"h"},"process":{"name":"cmd.exe"}}`,
        `{${at(2)},"event":{"category":"process"},"process":{"name":"cmd.exe"}}`,
        '',
      ].join('\n'),
    );
    const r = await runCli(['explain', 'sequence by host.id [process where process.name == "cmd.exe"] with runs=2', '--events', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.slice(r.stdout.indexOf('stage 1:', r.stdout.indexOf('results')))).toBe(
      [
        'stage 1: [process where process.name == "cmd.exe"] with runs=2',
        '',
        'stage 1: 1 event left out for want of a join key value (it matches the stage, or fails only on that value):',
        '  line 3 (2026-01-01T00:00:02.000Z): no host.id; matches the stage',
        '',
        'key "h": no match, 1 of 2 stages filled',
        '  ✓ stage 1 (run 1 of 2): line 2 (2026-01-01T00:00:01.000Z)',
        '  ✗ no event with this key comes after line 2 (2026-01-01T00:00:01.000Z)',
        '  passed over, events with this key before the last filled stage:',
        '    line 1 (2026-01-01T00:00:00.000Z), for stage 1 (run 1 of 2): 1 clause failed',
        '      ✗ process.name == "cmd.exe"  (1:36)  seen: process.name = "bash"',
        '',
      ].join('\n'),
    );
  });

  it('prints the tree of one event of an event query, the query numbered by line', async () => {
    const r = await runCli(['explain', 'process where\n  process.name : "cmd.exe" and not process.args : "/c"', '--events', EVENTS, '--event', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'query:',
        '  1 | process where',
        '  2 |   process.name : "cmd.exe" and not process.args : "/c"',
        '40 events, 7 results',
        '',
        'line 2 (2026-01-15T10:01:01.000Z): no match',
        '  ✓ category process  seen: event.category = ["process"]',
        '  ✗ and  (2:3)',
        '    ✓ process.name : "cmd.exe"  (2:3)  seen: process.name = "cmd.exe"',
        '    ✗ not  (2:32)',
        '      ✓ process.args : "/c"  (2:36)  seen: process.args = ["cmd.exe","/c","whoami"]',
        '',
      ].join('\n'),
    );
  });

  it('prints the library’s explanation as JSON', async () => {
    const r = await runCli(['explain', RULE, '--events', EVENTS, '--format', 'json', '--limit', '100']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { kind: string; resultCount: number; keys: Array<{ key: string[]; matched: boolean; reason: { kind: string } | null }> };
    expect(e.kind).toBe('sequence');
    expect(e.resultCount).toBe(4);
    expect(e.keys.filter((k) => k.matched).map((k) => k.key[0])).toEqual(['host-01', 'host-02', 'host-03', 'host-04']);
    expect(e.keys.find((k) => k.key[0] === 'host-05')!.reason!.kind).toBe('maxspan');
  });

  it('names events by file and line with several files, and takes --event FILE:LINE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eqlkit-explain-'));
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    writeFileSync(a, '{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process"},"process":{"name":"a"}}\n');
    writeFileSync(b, 'not json\n{"@timestamp":"2026-01-01T00:00:01Z","event":{"category":"process"},"process":{"name":"b"}}\n');
    const r = await runCli(['explain', 'process where process.name == "b"', '--events', a, b, '--event', `${b}:2`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${b}:1: `);
    expect(r.stdout).toContain(`${b}:2 (2026-01-01T00:00:01.000Z): matched\n`);
    const many = await runCli(['explain', 'process where true', '--events', a, b, '--event', '1']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('name the file as FILE:LINE');
  });

  it.each([
    ['--event and --key together', ['explain', RULE, '--events', EVENTS, '--event', '1', '--key', 'x'], /give one/],
    ['--event for a sequence', ['explain', RULE, '--events', EVENTS, '--event', '1'], /--event must be left out for a sequence/],
    ['--key for an event query', ['explain', 'process where true', '--events', EVENTS, '--key', 'x'], /--key must be left out for an event query/],
    ['a line with no event', ['explain', 'process where true', '--events', EVENTS, '--event', '99'], /no event on line 99/],
    ['an unknown format', ['explain', 'process where true', '--events', EVENTS, '--format', 'csv'], /--format must be one of text, json/],
    ['no rule or query', ['explain', '--events', EVENTS], /needs a rule file or a query/],
    ['an event file where the query goes', ['explain', 'process where true', EVENTS], /name events with --events/],
    ['a rule file that is not there', ['explain', 'nothing.toml', '--events', EVENTS], /nothing\.toml/],
    ['a query that does not parse', ['explain', 'process where', '--events', EVENTS], /invalid query/],
    ['field options with a rule', ['explain', RULE, '--events', EVENTS, '--timestamp-field', 't'], /does not apply to a rule/],
  ])('%s: exit 2', async (_what, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('has its help, from help explain and --help alike, and a line in the main help', async () => {
    const viaHelp = await runCli(['help', 'explain']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: eqlkit explain/);
    expect((await runCli(['explain', '--help'])).stdout).toBe(viaHelp.stdout);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}eqlkit explain <rule> --events <events…> +why a rule/m);
  });
});

describe('the output pasted in docs/testing-rules.md', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'testing-rules.md'), 'utf8');
  /** Each block that runs `eqlkit explain` alone (no pipe): its arguments, and the output shown under it. */
  const runs = [...doc.matchAll(/```\n\$ eqlkit (explain [\s\S]*?)```/g)]
    .map((m) => {
      const text = m[1]!.replace(/\\\n\s*/g, '');
      const end = text.indexOf('\n');
      return { command: text.slice(0, end), output: text.slice(end + 1) };
    })
    .filter((r) => !r.command.includes(' | '));

  /** Shell words: single-quoted text as it is, other words split on spaces. */
  const words = (command: string): string[] => [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);

  it('has the runs it shows', () => {
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });

  it.each(runs)('$command', async ({ command, output }) => {
    const r = await runCli(words(command));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(output);
  });
});
