/**
 * Seeded determinism (one seed, one output), distinct witnesses on request,
 * and a base event whose fields the witness keeps.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Event, synthesize } from '../../src/index.js';

const QUERIES = [
  'process where process.name : ("cmd.exe", "powershell.exe", "pwsh.exe") and process.args : "*-enc*" and not process.parent.name : "explorer.exe"',
  'sequence by host.id with maxspan=1m [process where process.name : "a*" or process.pid > 100] [network where destination.port in (443, 8443)] ![file where true]',
  'sample by user.name [authentication where event.outcome == "failure"] [iam where event.action regex "add-.*"]',
];

const categoryOf = (e: Event): unknown => (e.event as { category?: unknown } | undefined)?.category;

describe('seeds', () => {
  it.each(QUERIES)('the same seed gives the same witness and near misses: %s', (query) => {
    for (const seed of [1, 7, 123456]) {
      expect(synthesize(query, { seed, nearMiss: true })).toEqual(synthesize(query, { seed, nearMiss: true }));
    }
  });

  it('other seeds give other witnesses, each of which fires', () => {
    const query = QUERIES[0]!;
    const q = compile(query);
    const witnesses = [1, 2, 3, 4, 5, 6].map((seed) => synthesize(query, { seed }).witness);
    for (const w of witnesses) expect(q.search(w)).toHaveLength(1);
    expect(new Set(witnesses.map((w) => JSON.stringify(w))).size).toBeGreaterThan(1);
  });

  it('gives distinct witnesses with count, each firing, one after another in time', () => {
    const query = QUERIES[1]!;
    const q = compile(query);
    const { witnesses, witness } = synthesize(query, { count: 4 });
    expect(witnesses).toHaveLength(4);
    expect(witnesses[0]).toEqual(witness);
    for (const w of witnesses) expect(q.search(w)).toHaveLength(1);
    const withoutTimes = witnesses.map((w) => JSON.stringify(w.map((e) => ({ ...e, '@timestamp': null }))));
    expect(new Set(withoutTimes).size).toBe(4);
    // Together they fire once per witness: one's events do not join another's.
    expect(q.search(witnesses.flat())).toHaveLength(4);
  });

  it('gives fewer witnesses than asked when the query allows no more, told apart by their fields, not their times', () => {
    const query = 'process where process.name == "a" and process.pid == 4';
    const compileOptions = { timestampField: 'event.created' };
    for (const options of [{}, { compile: compileOptions }]) expect(synthesize(query, { ...options, count: 3 }).witnesses).toHaveLength(1);
  });

  it('starts at the time asked for', () => {
    const { witness } = synthesize('process where true', { start: '2030-06-01T00:00:00Z' });
    expect(witness[0]!['@timestamp']).toBe('2030-06-01T00:00:00.000Z');
  });
});

describe('a base event', () => {
  const base: Event = {
    '@timestamp': '2000-01-01T00:00:00Z',
    agent: { id: 'agent-1', type: 'endpoint' },
    host: { name: 'ws-01', os: { type: 'windows' } },
    process: { name: 'notepad.exe', parent: { name: 'explorer.exe' }, pid: 4242 },
    user: { name: 'alice' },
  };

  it('keeps the base fields the query does not ask about, and sets those it does', () => {
    const query = 'process where host.os.type == "windows" and process.name : "cmd.exe"';
    const { witness } = synthesize(query, { base });
    expect(compile(query).search(witness)).toHaveLength(1);
    const [e] = witness;
    expect(e).toMatchObject({ agent: { id: 'agent-1', type: 'endpoint' }, host: { name: 'ws-01' }, user: { name: 'alice' }, process: { pid: 4242, parent: { name: 'explorer.exe' } } });
    expect((e!.process as { name: string }).name.toLowerCase()).toBe('cmd.exe');
    expect(e!['@timestamp']).not.toBe(base['@timestamp']);
    expect(categoryOf(e!)).toBe('process');
  });

  it('changes a base field that breaks the query, and keeps one that meets it', () => {
    const query = 'process where not process.parent.name : "explorer.exe" and process.pid > 4000';
    const { witness } = synthesize(query, { base });
    expect(compile(query).search(witness)).toHaveLength(1);
    expect((witness[0]!.process as { parent?: { name?: string } }).parent?.name).not.toBe('explorer.exe');
    expect((witness[0]!.process as { pid: number }).pid).toBe(4242);
  });

  it('takes the side of an or that the base event already meets', () => {
    const query = 'process where process.name : ("cmd.exe", "notepad.exe") or process.name : "x*.exe"';
    for (let seed = 1; seed <= 12; seed++) expect((synthesize(query, { base, seed }).witness[0]!.process as { name: string }).name).toBe('notepad.exe');
  });

  it('leaves the base event as it was', () => {
    const before = JSON.stringify(base);
    synthesize('sequence by host.name [process where process.name == "a"] [process where process.name == "b"]', { base, nearMiss: true });
    expect(JSON.stringify(base)).toBe(before);
  });
});
