/**
 * `eqlkit synth`: the witness as NDJSON, near misses after their label
 * lines, the JSON document, seeds, counts, a base event, and errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type Event, loadRule } from '../../src/index.js';
import { lines, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RULE = join(REPO_ROOT, 'rules', 'windows', 'lateral_movement_incoming_wmi.toml');
const QUERY = 'sequence by host.id with maxspan=1m [process where process.name : "cmd.exe"] [network where destination.port == 445] until [process where event.type == "end"]';
const dir = mkdtempSync(join(tmpdir(), 'eqlkit-synth-'));

const parsed = (stdout: string): Record<string, unknown>[] => lines(stdout).map((l) => JSON.parse(l) as Record<string, unknown>);

/** NDJSON cut at its label lines: [label, events] for each set. */
function labelledSets(stdout: string): [Record<string, unknown>, Event[]][] {
  const out: [Record<string, unknown>, Event[]][] = [];
  for (const item of parsed(stdout)) {
    if (typeof item.synth === 'string') out.push([item, []]);
    else out[out.length - 1]![1].push(item as Event);
  }
  return out;
}

describe('eqlkit synth', () => {
  it('prints a witness for a rule file, on which the rule alerts', async () => {
    const r = await runCli(['synth', RULE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const events = parsed(r.stdout);
    expect(events).toHaveLength(2);
    expect(loadRule(RULE).run(events)).toHaveLength(1);
  });

  it('prints a witness for a query, or for a file holding one', async () => {
    const file = join(dir, 'query.eql');
    writeFileSync(file, QUERY);
    const fromText = await runCli(['synth', QUERY]);
    expect(fromText.code).toBe(0);
    expect(compile(QUERY).search(parsed(fromText.stdout))).toHaveLength(1);
    expect((await runCli(['synth', file])).stdout).toBe(fromText.stdout);
  });

  it('labels the witness and each near miss with --near-miss, and no near miss fires', async () => {
    const r = await runCli(['synth', QUERY, '--near-miss']);
    expect(r.code).toBe(0);
    const sets = labelledSets(r.stdout);
    expect(sets[0]![0]).toEqual({ synth: 'witness', index: 1 });
    const q = compile(QUERY);
    expect(q.search(sets[0]![1])).toHaveLength(1);
    const misses = sets.slice(1);
    expect(misses.map(([label]) => label.kind)).toEqual(expect.arrayContaining(['condition', 'category', 'maxspan', 'join-key', 'until']));
    for (const [label, events] of misses) {
      expect(label).toMatchObject({ synth: 'near-miss', label: expect.any(String) });
      expect(q.search(events), String(label.label)).toEqual([]);
    }
    const port = misses.find(([label]) => label.clause === 'destination.port == 445')![0];
    expect(port).toMatchObject({ kind: 'condition', label: 'stage 2: destination.port == 445 does not hold', line: 1, column: QUERY.indexOf('destination.port') + 1, stage: 2, also_breaks: [] });
  });

  it('prints one JSON document with --format json', async () => {
    const r = await runCli(['synth', QUERY, '--near-miss', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { witnesses: Event[][]; near_misses: { label: string; events: Event[] }[]; skipped_near_misses: unknown[] };
    const ndjson = labelledSets((await runCli(['synth', QUERY, '--near-miss'])).stdout);
    expect(doc.witnesses).toEqual([ndjson[0]![1]]);
    expect(doc.near_misses.map((m) => [m.label, m.events])).toEqual(ndjson.slice(1).map(([label, events]) => [label.label, events]));
    expect(doc.skipped_near_misses).toEqual([]);
  });

  it('gives the same events for the same --seed, and others for another', async () => {
    const query = 'process where process.name : ("a.exe", "b.exe", "c.exe", "d.exe") and process.args : ("-x", "-y", "-z")';
    const seeds = await Promise.all(['1', '2', '3', '4'].map((seed) => runCli(['synth', query, '--seed', seed])));
    expect((await runCli(['synth', query, '--seed', '3'])).stdout).toBe(seeds[2]!.stdout);
    expect(new Set(seeds.map((r) => r.stdout)).size).toBeGreaterThan(1);
  });

  it('prints --count distinct witnesses, which alert once each', async () => {
    const r = await runCli(['synth', RULE, '--count', '3']);
    expect(r.code).toBe(0);
    const events = parsed(r.stdout);
    expect(events).toHaveLength(6);
    expect(loadRule(RULE).run(events)).toHaveLength(3);
  });

  it('keeps the fields of a --base event', async () => {
    const base = join(dir, 'base.json');
    writeFileSync(base, JSON.stringify({ agent: { id: 'a-1' }, host: { name: 'ws-7' } }));
    const r = await runCli(['synth', 'process where process.name : "cmd.exe"', '--base', base, '--start', '2030-01-02T03:04:05Z']);
    expect(r.code).toBe(0);
    expect(parsed(r.stdout)[0]).toMatchObject({ '@timestamp': '2030-01-02T03:04:05.000Z', agent: { id: 'a-1' }, host: { name: 'ws-7' }, process: { name: 'cmd.exe' } });
  });

  it('exits 1 naming the clause when no events can make the query fire', async () => {
    const query = 'process where process.pid == 4 and process.pid == null';
    const r = await runCli(['synth', query]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: cannot synthesize events: no values satisfy this clause together with the rest: process.pid == null at line 1:${query.lastIndexOf('process.pid') + 1} of the query\n`,
    );
  });

  it.each([
    [['synth'], /synth takes one rule file or query/],
    [['synth', 'process where true', '--count', '0'], /--count must be a whole number from 1/],
    [['synth', 'process where true', '--seed', 'x'], /--seed must be a whole number/],
    [['synth', 'process where true', '--format', 'table'], /--format must be ndjson or json/],
    [['synth', 'process where true', '--start', 'soon'], /--start must be an ISO-8601 time/],
    [['synth', 'process where true', '--base', join(dir, 'missing.json')], /--base: cannot read/],
    [['synth', RULE, '--timestamp-field', 't'], /--timestamp-field does not apply to a rule/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 on a query that does not parse, or a rule file that does not load', async () => {
    const query = await runCli(['synth', 'process where process.name = "x"']);
    expect(query.code).toBe(2);
    expect(query.stderr).toMatch(/^error: invalid query: line 1:/);
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[rule]\nname = "x"\n');
    const rule = await runCli(['synth', bad]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toBe(`error: ${bad} [rule.rule_id]: the rule has no rule_id\n`);
  });
});
