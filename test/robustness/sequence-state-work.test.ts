/**
 * A sequence whose last stage is a missing event keeps each completed
 * sequence waiting until maxspan has passed or a trailing event came. With
 * a long maxspan and many keys, hundreds of thousands wait at once; each
 * event must settle only those whose deadline passed, and giving them out
 * must not move the whole queue. Before, 210,000 such events did not finish
 * in five minutes; the limit here guards against a hang, it is no speed
 * measure (that is `npm run bench`).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';

describe('a trailing missing-event stage', () => {
  it('settles 100,000 waiting sequences in one pass, each once', () => {
    const query = compile('sequence by host.id with maxspan=1h [any where true] [any where true] ![any where event.category == "nope"]');
    const matcher = query.matcher();
    const n = 100_000;
    let duringPushes = 0;
    for (let i = 0; i < n; i++) {
      duringPushes += matcher.push({ '@timestamp': 1_700_000_000_000 + i * 10, event: { category: 'process' }, host: { id: `h${i % 50}` } }).length;
    }
    // They all wait: 100,000 events 10 ms apart span less than the hour after which none could be dropped.
    expect(duringPushes).toBe(0);
    // Each key's events pair up one after another: every event but a key's first ends a sequence.
    expect(matcher.flush().length).toBe(n - 50);
  }, 60_000);

  it('gives a waiting sequence out once its deadline passes, and drops one a trailing event comes for', () => {
    const query = compile('sequence by host.id with maxspan=10s [process where true] [network where true] ![file where true]');
    const m = query.matcher();
    const at = (s: number, category: string, host: string) => ({ '@timestamp': 1_700_000_000_000 + s * 1000, event: { category }, host: { id: host } });
    expect(m.push(at(0, 'process', 'a'))).toEqual([]);
    expect(m.push(at(1, 'network', 'a'))).toEqual([]);
    expect(m.push(at(2, 'process', 'b'))).toEqual([]);
    expect(m.push(at(3, 'network', 'b'))).toEqual([]);
    // A trailing event for b within 10 s of its first stage drops b's sequence; a's waits on.
    expect(m.push(at(5, 'file', 'b'))).toEqual([]);
    // 11 s after a's first stage no trailing event can drop it: it is given out.
    const out = m.push(at(11, 'process', 'c'));
    expect(out.map((x) => x.joinKeys)).toEqual([['a']]);
    expect(m.flush()).toEqual([]);
  });
});

describe('join keys with many values', () => {
  const event = (i: number, width: number) => {
    const ids = Array.from({ length: width }, (_, j) => `h${j}`);
    return { '@timestamp': 1_700_000_000_000 + i, event: { category: i % 2 ? 'network' : 'process' }, host: { id: ids }, user: { name: ids } };
  };

  it.each([
    ['sequence by host.id [process where true] [network where true]', 41, 20_000],
    ['sequence by host.id, user.name [process where true] [network where true]', 5, 100_000],
    ['sample by host.id [process where true] [network where true]', 4, 50_000],
  ])(
    '%s: %i events of %i values each use 256 keys each, and are counted',
    (query, n, width) => {
      const m = compile(query).matcher();
      let found = 0;
      for (let i = 0; i < n; i++) found += m.push(event(i, width)).length;
      found += m.flush().length;
      const stats = m.stats();
      expect(stats.liveKeys).toBeLessThanOrEqual(256);
      expect(stats.keyCutEvents).toBe(n);
      expect(found).toBeGreaterThan(0);
    },
    60_000,
  );

  it('counts nothing for keys within the limit', () => {
    const m = compile('sequence by host.id [process where true] [network where true]').matcher();
    for (let i = 0; i < 10; i++) m.push(event(i, 256));
    expect(m.stats().keyCutEvents).toBe(0);
  });
});

describe('completed sequences without maxspan', () => {
  it.each([
    ['sequence by host.id [process where true] [network where true]', 0],
    ['sequence by host.id [process where true] [network where true] until [file where true]', 0],
  ])('%s keeps no key once its sequence is done', (query, live) => {
    const m = compile(query).matcher();
    let found = 0;
    for (let i = 0; i < 20_000; i++) found += m.push({ '@timestamp': 1_700_000_000_000 + i, event: { category: i % 2 ? 'network' : 'process' }, host: { id: `h${i >> 1}` } }).length;
    expect(found).toBe(10_000);
    // Without maxspan no sweep comes: a key kept after its sequence completed would stay for ever.
    expect(m.stats().liveKeys).toBe(live);
  });

  it('keeps a key whose next sequence is under way', () => {
    const m = compile('sequence by host.id [process where true] [network where true]').matcher();
    const at = (i: number, category: string) => ({ '@timestamp': 1_700_000_000_000 + i, event: { category }, host: { id: 'a' } });
    m.push(at(0, 'process'));
    m.push(at(1, 'process'));
    expect(m.push(at(2, 'network')).length).toBe(1);
    expect(m.stats().liveKeys).toBe(0);
    m.push(at(3, 'process'));
    expect(m.stats()).toMatchObject({ liveKeys: 1, pendingSequences: 1 });
  });
});

describe('the command line says what the engine cut', () => {
  it('counts the events whose join keys were cut, even with --quiet', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const ids = Array.from({ length: 300 }, (_, j) => `h${j}`);
    const lines = [0, 1].map((i) => JSON.stringify({ '@timestamp': 1_700_000_000_000 + i, event: { category: i ? 'network' : 'process' }, host: { id: ids } })).join('\n');
    const r = await runCli(['query', '--quiet', 'sequence by host.id [process where true] [network where true]', '-'], `${lines}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(256);
    expect(r.stderr).toContain('2 events had join keys of more than 256 combinations: only the first 256 were used');
  });
});
