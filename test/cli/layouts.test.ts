/**
 * `query` and `run` over files give what one search over the union of their
 * events gives, whatever the layout: one sorted file, one file per host, a
 * shuffled file, a folder, a glob, a mix of gzip, JSON arrays and plain
 * NDJSON, and a file larger than the sort's memory budget.
 *
 * Two mixes of events: the bench's generator (ECS, with planted attacks on
 * the bundled rule) and Elasticsearch's own QA data (Endgame events with a
 * tiebreaker and many equal timestamps), which the generator was not written
 * for.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledRules, compile, RuleSet, type Event } from '../../src/index.js';
import { generateEvents, prng } from '../../bench/generate.js';
import { bundledRuleQuery } from '../../bench/bundled-rule.js';
import { lines, runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/shared.js';
import { loadRunners } from '../helpers/suite.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-layouts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ndjson = (events: readonly unknown[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join('');

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function groupBy(events: readonly Event[], key: (e: Event) => string): Map<string, Event[]> {
  const groups = new Map<string, Event[]>();
  for (const e of events) {
    const k = key(e);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(e);
  }
  return groups;
}

/**
 * Writes the events in each layout under `root`; returns the event arguments
 * for each, with the order of the union they stand for (files in argument
 * order, then their lines), which is what a search must be given.
 */
function writeLayouts(root: string, events: readonly Event[], host: (e: Event) => string): Array<{ name: string; args: string[]; union: Event[]; extra?: string[] }> {
  mkdirSync(root, { recursive: true });
  const sorted = join(root, 'sorted.ndjson');
  writeFileSync(sorted, ndjson(events));
  const mixed = shuffled(events, 7);
  const shuffledFile = join(root, 'shuffled.ndjson');
  writeFileSync(shuffledFile, ndjson(mixed));
  const groups = [...groupBy(events, host)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const perHost = join(root, 'hosts');
  const nested = join(root, 'nested');
  const formats = join(root, 'formats');
  for (const d of [perHost, nested, formats]) mkdirSync(d, { recursive: true });
  const hostFiles: string[] = [];
  const nestedFiles: string[] = [];
  const formatFiles: string[] = [];
  groups.forEach(([name, group], i) => {
    const f = join(perHost, `${name}.ndjson`);
    writeFileSync(f, ndjson(group));
    hostFiles.push(f);
    // A folder walk sorts names at each level: a/… before b/….
    const sub = join(nested, i % 2 === 0 ? 'a' : 'b');
    mkdirSync(sub, { recursive: true });
    const nf = join(sub, `${name}.ndjson`);
    writeFileSync(nf, ndjson(group));
    nestedFiles.push(nf);
    // Each host's lines shuffled too, in three formats.
    const own = shuffled(group, i);
    const kind = i % 3;
    const ff = join(formats, `${name}.${kind === 1 ? 'json' : 'ndjson'}${kind === 0 ? '' : '.gz'}`);
    const text = kind === 1 ? `[\n${own.map((e) => JSON.stringify(e, null, 2)).join(',\n')}\n]\n` : ndjson(own);
    writeFileSync(ff, kind === 0 ? text : gzipSync(text));
    formatFiles.push(ff);
  });
  const union = (files: string[], of: Map<string, Event[]>, byFile: (f: string) => string) => files.flatMap((f) => of.get(byFile(f))!);
  const hostGroups = new Map(groups);
  const nameOf = (f: string) => f.slice(f.lastIndexOf('/') + 1).replace(/\.(ndjson|json)(\.gz)?$/, '');
  const formatGroups = new Map(groups.map(([name, group], i) => [name, shuffled(group, i)]));
  const nestedOrder = [...nestedFiles].sort();
  return [
    { name: 'one sorted file', args: [sorted], union: [...events] },
    { name: 'one file per host', args: hostFiles, union: union(hostFiles, hostGroups, nameOf) },
    { name: 'a shuffled file', args: [shuffledFile], union: mixed },
    { name: 'a shuffled file larger than the sort memory', args: [shuffledFile], union: mixed, extra: ['--sort-memory', '20KB'] },
    { name: 'a folder', args: [nested], union: union(nestedOrder, hostGroups, nameOf) },
    { name: 'a glob', args: [`${perHost}/*.ndjson`], union: union([...hostFiles].sort(), hostGroups, nameOf) },
    { name: 'a mix of gzip, JSON arrays and NDJSON, each shuffled', args: formatFiles, union: union(formatFiles, formatGroups, nameOf) },
    { name: 'several files larger than the sort memory together', args: formatFiles, union: union(formatFiles, formatGroups, nameOf), extra: ['--sort-memory', '8KB'] },
  ];
}

const printable = (m: { readonly kind: string; readonly joinKeys: readonly unknown[]; readonly events: readonly unknown[] }) =>
  JSON.stringify({ kind: m.kind, join_keys: m.joinKeys, events: m.events });

function tempFolderEntries(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('eqlkit-sort-'));
}

describe('files of any layout, on the generator mix (the bundled rule and a plain event query)', () => {
  const events = [...generateEvents({ count: 6_000, hosts: 24, seed: 11, plantRate: 0.01 })] as Event[];
  let layouts: ReturnType<typeof writeLayouts> = [];
  beforeAll(() => {
    layouts = writeLayouts(join(dir, 'generated'), events, (e) => String((e as { host?: { name?: string } }).host?.name ?? 'none'));
  });

  it('has planted attacks to find, spread over hosts', () => {
    const alerts = new RuleSet(bundledRules()).run(events);
    expect(alerts.length).toBeGreaterThan(10);
    expect(new Set(alerts.map((a) => a.join_keys[0])).size).toBeGreaterThan(5);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('run gives the alerts of one pass over the union: layout %i', async (i) => {
    const layout = layouts[i]!;
    const before = tempFolderEntries();
    const r = await runCli(['run', '--events', ...layout.args, '-F', 'ndjson', ...(layout.extra ?? [])]);
    expect(r.stderr).not.toMatch(/arrived after|reported above/);
    expect(r.code).toBe(0);
    const expected = new RuleSet(bundledRules()).run(layout.union).map((a) => JSON.stringify(a));
    expect(lines(r.stdout)).toEqual(expected);
    expect(tempFolderEntries()).toEqual(before);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('query gives the matches of search() over the union: layout %i', async (i) => {
    const layout = layouts[i]!;
    for (const text of [bundledRuleQuery(), 'process where process.name : ("cmd.exe", "powershell.exe", "bash")']) {
      const r = await runCli(['query', text, ...layout.args, '-F', 'ndjson', ...(layout.extra ?? [])]);
      expect(r.code).toBe(0);
      const expected = compile(text).search(layout.union).map(printable);
      expect(expected.length).toBeGreaterThan(5);
      expect(lines(r.stdout)).toEqual(expected);
    }
  });
});

describe("files of any layout, on Elasticsearch's QA data (ties broken by a tiebreaker and by input order)", () => {
  const suite = sharedPath("the layout tests on Elasticsearch's QA data", 'conformance', 'elasticsearch-eql');
  if (suite === null) return;
  const runner = loadRunners(suite).find((r) => r.name === 'EqlSpecTestCase')!;
  let layouts: ReturnType<typeof writeLayouts> = [];
  beforeAll(() => {
    layouts = writeLayouts(join(dir, 'endgame'), runner.events, (e) => `pid-${Number((e as { unique_pid?: number }).unique_pid ?? 0) % 9}`);
  });

  const queries = [
    'process where true',
    'sequence by unique_pid [process where opcode == 1] [file where opcode == 0]',
    'sequence with maxspan=1d [file where file_name : "*.exe"] [process where true] until [network where true]',
    'sequence by unique_pid [process where true] with runs=2 [any where true]',
    'sequence with maxspan=1h [process where true] ![file where true] [network where true]',
  ];

  it.each(queries.map((q, i) => [i, q] as const))('query %i gives search() over the union in every layout: %s', async (_i, text) => {
    const options = ['--tiebreaker-field', 'serial_event_id'];
    const q = compile(text, { tiebreakerField: 'serial_event_id' });
    for (const layout of layouts) {
      const r = await runCli(['query', text, ...layout.args, ...options, '-F', 'ndjson', ...(layout.extra ?? [])]);
      expect(r.code, layout.name).toBe(0);
      expect(lines(r.stdout), layout.name).toEqual(q.search(layout.union).map(printable));
    }
  });

  it('breaks ties between files as the order of the files given does, without a tiebreaker', async () => {
    const text = 'process where true';
    for (const layout of layouts) {
      const r = await runCli(['query', text, ...layout.args, '-F', 'ndjson', ...(layout.extra ?? [])]);
      expect(lines(r.stdout), layout.name).toEqual(compile(text).search(layout.union).map(printable));
    }
  });
});

describe('stdin among files', () => {
  it('is one more input of the union, in the place it is named', async () => {
    const events = [...generateEvents({ count: 1_500, hosts: 6, seed: 21, plantRate: 0.02 })] as Event[];
    const first = shuffled(events.slice(0, 700), 1);
    const second = shuffled(events.slice(700), 2);
    const file = join(dir, 'second.ndjson');
    writeFileSync(file, ndjson(second));
    const text = 'process where true';
    const r = await runCli(['query', text, '-', file, '-F', 'ndjson', '--sort-memory', '30KB'], ndjson(first));
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(
      compile(text)
        .search([...first, ...second])
        .map(printable),
    );
  });
});

describe('stdin, a live stream', () => {
  it('ends with a summary and exit 6 when events arrive later than the reorder window allows', async () => {
    // Seconds 0, -4, 2, -2, 4, 0, 6, 2, 8, 4: with a window of 1 s, -2, 0, 2 and 4 come after later events were released.
    const events = Array.from({ length: 10 }, (_, i) => ({ '@timestamp': 1_700_000_000_000 + 1_000 * (i % 2 === 0 ? i : i - 5), event: { category: 'process' } }));
    const r = await runCli(['query', 'process where true', '--reorder-window', '1s'], ndjson(events));
    expect(r.code).toBe(6);
    expect(lines(r.stdout)).toHaveLength(6);
    expect(r.stderr).toContain('4 events arrived out of order and were not evaluated; sort the input or widen --reorder-window');
    const wide = await runCli(['query', 'process where true', '--reorder-window', '10s'], ndjson(events));
    expect(wide.code).toBe(0);
    expect(lines(wide.stdout)).toHaveLength(10);
  });

  it('says so with --quiet too', async () => {
    const r = await runCli(
      ['query', 'process where true', '-q'],
      ndjson([
        { '@timestamp': 1_700_000_000_002, event: { category: 'process' } },
        { '@timestamp': 1_700_000_000_001, event: { category: 'process' } },
      ]),
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toBe('1 event arrived out of order and was not evaluated; sort the input or widen --reorder-window\n');
  });
});

describe('the sort leaves nothing behind', () => {
  it('removes its temporary folder after a run that wrote runs, and after one that stopped early', async () => {
    const events = [...generateEvents({ count: 2_000, hosts: 5, seed: 5 })];
    const file = join(dir, 'reversed.ndjson');
    writeFileSync(file, ndjson([...events].reverse()));
    const before = tempFolderEntries();
    const full = await runCli(['query', 'any where true', file, '--sort-memory', '50KB', '-q']);
    expect(lines(full.stdout)).toHaveLength(2_000);
    const early = await runCli(['query', 'any where true | head 3', file, '--sort-memory', '50KB', '-q']);
    expect(lines(early.stdout)).toHaveLength(3);
    expect(tempFolderEntries()).toEqual(before);
    expect(existsSync(file)).toBe(true);
  });
});
