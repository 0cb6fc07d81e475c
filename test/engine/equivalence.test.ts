/**
 * stream() and matcher() must return what search() returns (for queries
 * without pipes: matcher() gives every match, and test/engine/pipes.test.ts
 * covers pipes), for any events: ties, nulls, arrays, several keys, every
 * sequence feature, samples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type Event, type Match } from '../../src/index.js';

const QUERIES = [
  'a where v >= 1',
  'sequence by k [a where v > 0] [b where true]',
  'sequence by k with maxspan=10ms [a where true] [b where true] [c where true]',
  'sequence [a where true] by k [b where v < 2] by k until [c where true] by k',
  'sequence by k with maxspan=20ms [a where true] with runs=2 [b where true]',
  'sequence by k with maxspan=10ms ![c where true] [a where true] [b where true]',
  'sequence by k with maxspan=10ms [a where true] ![c where true] [b where true]',
  'sequence by k with maxspan=10ms [a where true] [b where true] ![c where true]',
  'sequence by k with maxspan=10ms ![c where true] [a where true] [b where true] ![c where v == 1]',
  'sequence by ?k [a where true] [any where true]',
  'sequence by k, j [a where true] [b where true]',
  'sequence [any where v == 0] [any where v == 1] [any where v == 2]',
  'sample by k [a where true] [b where true]',
  // Conditions on a key, copied to the other stages (with multi-valued keys they narrow).
  'sequence by k [a where k == 1] [b where true]',
  'sequence [a where k != 2] by k [b where true] by j until [c where true] by k',
  'sample by k [a where k in (1, "x")] [b where true]',
];

const keyValue = fc.oneof(fc.constant(1), fc.constant(2), fc.constant('x'), fc.constant(null), fc.constant([1, 2]), fc.constant([]));
const eventArb = fc.record(
  {
    ts: fc.integer({ min: 0, max: 40 }),
    cat: fc.constantFrom('a', 'b', 'c', 'd'),
    k: keyValue,
    j: fc.constantFrom('p', 'q'),
    v: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: ['ts', 'cat', 'j'] },
);

function toEvents(raw: Array<{ ts: number; cat: string; k?: unknown; j: string; v?: number }>): Event[] {
  return raw.map((r, i) => ({ '@timestamp': r.ts, seq: i, event: { category: r.cat }, ...(r.k !== undefined ? { k: r.k } : {}), j: r.j, ...(r.v !== undefined ? { v: r.v } : {}) }));
}

const ids = (ms: readonly Match[]) => ms.map((m) => m.events.map((e) => (e ? (e.seq as number) : -1)));

describe('stream and search agree', () => {
  it.each(QUERIES)('%s', (query) => {
    const q = compile(query, { tiebreakerField: 'seq' });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 30 }), (raw, shuffleSeed) => {
        const events = toEvents(raw);
        const batch = ids(q.search(events, { maxSamplesPerKey: 2 }));

        // In order, through matcher(). Samples ignore time and take events in arrival order.
        const sample = q.kind === 'sample';
        const sorted = sample ? events : [...events].sort((a, b) => (a['@timestamp'] as number) - (b['@timestamp'] as number) || (a.seq as number) - (b.seq as number));
        const m = q.matcher({ maxSamplesPerKey: 2 });
        const streamed: Match[] = [];
        for (const e of sorted) streamed.push(...m.push(e));
        streamed.push(...m.flush());
        expect(ids(streamed)).toEqual(batch);
        expect(m.stats().late).toBe(0);
        // Times read only when a stage uses the event: the same matches.
        const lazy = q.matcher({ maxSamplesPerKey: 2, lazyTimestamps: true });
        const lazilyTimed: Match[] = [];
        for (const e of sorted) lazilyTimed.push(...lazy.push(e));
        lazilyTimed.push(...lazy.flush());
        expect(ids(lazilyTimed)).toEqual(batch);

        if (sample) return;
        // Shuffled, through a reorder window wide enough to restore the order.
        let seed = shuffleSeed;
        const shuffled = [...events];
        for (let i = shuffled.length - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          const j = seed % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const r = q.matcher({ maxSamplesPerKey: 2, reorderWindow: 100 });
        const reordered: Match[] = [];
        for (const e of shuffled) reordered.push(...r.push(e));
        reordered.push(...r.flush());
        expect(ids(reordered)).toEqual(batch);
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });

  it('stream() takes async iterables and yields the same', async () => {
    const q = compile('sequence by k [a where true] [b where true]');
    const events: Event[] = [
      { '@timestamp': 1, event: { category: 'a' }, k: 1, seq: 0 },
      { '@timestamp': 2, event: { category: 'b' }, k: 1, seq: 1 },
      { '@timestamp': 3, event: { category: 'a' }, k: 2, seq: 2 },
      { '@timestamp': 4, event: { category: 'b' }, k: 2, seq: 3 },
    ];
    async function* source(): AsyncGenerator<Event> {
      for (const e of events) yield e;
    }
    const out: Match[] = [];
    for await (const m of q.stream(source())) out.push(m);
    expect(ids(out)).toEqual(ids(q.search(events)));
    expect(ids(out)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});
