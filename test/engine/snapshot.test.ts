/**
 * A snapshot continues a matcher exactly: for any split of a stream, pushing
 * it all to one matcher gives what pushing the first part, taking a
 * snapshot, sending it through JSON text, restoring it into a fresh matcher
 * and pushing the rest gives: the same matches in the same order, the same
 * events reported, the same stats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, EqlSnapshotError, type Event, format, type Match, type MatcherSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type StreamOptions, type StreamStats } from '../../src/index.js';
import { eventsFor, runnableQuery } from '../helpers/arbitrary-runs.js';
import { feed, type Input, type Make, split, whole } from '../helpers/snapshot-runs.js';

/** JSON as `JSON.parse` gives it, for changing a snapshot by hand into any shape. */
type Edited = ReturnType<typeof JSON.parse>;

/** The matcher of a query with options, reporting bad and late events. */
const queryMatcher =
  (query: ReturnType<typeof compile>, options: StreamOptions): Make<Match> =>
  (report) =>
    query.matcher({ ...options, onError: report, onLate: report });

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
  'sequence by j with maxspan=30ms [a where true] with runs=3 [b where true]',
  'sample by k [a where true] [b where true]',
  'sample by j [a where true] [any where true] [b where v != 3]',
];

const keyValue = fc.oneof(fc.constant(1), fc.constant(2), fc.constant('x'), fc.constant(null), fc.constant([1, 2]), fc.constant([]));
const rawEvent = fc.record(
  {
    gap: fc.nat(3),
    cat: fc.constantFrom('a', 'b', 'c', 'd'),
    k: keyValue,
    j: fc.constantFrom('p', 'q'),
    v: fc.integer({ min: 0, max: 3 }),
    /** What goes wrong with the event, if anything: it has no time, is no object, or comes as a line that is not JSON. */
    flaw: fc.constantFrom(null, null, null, null, null, null, null, null, 'no time', 'not an object', 'not JSON'),
    /** How far back in time it comes, in a stream that is not quite in order. */
    early: fc.constantFrom(0, 0, 0, 0, 1, 3),
  },
  { requiredKeys: ['gap', 'cat', 'j', 'flaw', 'early'] },
);

/** Mostly ordered events, some out of order and some flawed; as lines when `lines`. */
function inputsOf(raw: ReadonlyArray<{ gap: number; cat: string; k?: unknown; j: string; v?: number; flaw: string | null; early: number }>, lines: boolean): Input[] {
  let ts = 0;
  return raw.map((r, i) => {
    ts += r.gap;
    const event: Record<string, unknown> = { '@timestamp': Math.max(0, ts - r.early), seq: i, event: { category: r.cat }, j: r.j };
    if (r.k !== undefined) event.k = r.k;
    if (r.v !== undefined) event.v = r.v;
    if (r.flaw === 'no time') delete event['@timestamp'];
    if (r.flaw === 'not an object') return lines ? { line: '[1, 2]' } : { event: 'not an event' };
    if (r.flaw === 'not JSON') return lines ? { line: '{"@timestamp": 1,' } : { event: null };
    return lines ? { line: JSON.stringify(event) } : { event };
  });
}

const OPTIONS: Array<{ name: string; options: StreamOptions; lines?: boolean }> = [
  { name: 'default', options: {} },
  { name: 'lazyTimestamps', options: { lazyTimestamps: true } },
  { name: 'reorderWindow', options: { reorderWindow: 4 } },
  { name: 'maxPendingSequences', options: { maxPendingSequences: 2 } },
  { name: 'window', options: { window: 6 } },
  { name: 'maxSamplesPerKey', options: { maxSamplesPerKey: 2 } },
  { name: 'pushLine with prefilter', options: { prefilter: true }, lines: true },
  { name: 'pushLine, reorderWindow', options: { reorderWindow: '3ms' }, lines: true },
];

/** Whether a matcher holds anything (keys, buffered events) at one of the cuts. */
function stateAtSomeCut<R>(make: Make<R>, inputs: readonly Input[], cuts: readonly number[]): boolean {
  const probe = make(() => {});
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    feed(probe, inputs.slice(from, cut), []);
    from = cut;
    const s = probe.stats() as { liveKeys: number; buffered?: number };
    if (s.liveKeys + (s.buffered ?? 0) > 0) return true;
  }
  return false;
}

/** One to three places to cut a stream of `length` inputs, anywhere in it (unbiased: small numbers would mostly cut before any state). */
const cutsOf = (length: number) => fc.array(fc.noBias(fc.nat(length)), { minLength: 1, maxLength: 3 });

describe('a query matcher restored from a snapshot continues exactly', () => {
  it.each(OPTIONS)('over the sequence and sample features, $name', ({ options, lines }) => {
    let withState = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...QUERIES),
        fc.array(rawEvent, { minLength: 4, maxLength: 40 }).chain((raw) => fc.tuple(fc.constant(raw), cutsOf(raw.length))),
        (query, [raw, cuts]) => {
          const q = compile(query, { tiebreakerField: 'seq' });
          const inputs = inputsOf(raw, lines === true);
          const make = queryMatcher(q, options);
          if (stateAtSomeCut(make, inputs, cuts)) withState++;
          expect(split(make, inputs, cuts)).toEqual(whole(make, inputs, cuts));
        },
      ),
      { seed: 2201, numRuns: 120 },
    );
    // The property must meet real state, not only empty matchers.
    expect(withState).toBeGreaterThan(50);
  });

  it('over random queries of every shape, with events made of their fields and literals', () => {
    let withState = 0;
    let matched = 0;
    fc.assert(
      fc.property(
        runnableQuery.chain((query) => eventsFor(query).chain((events) => fc.tuple(fc.constant(query), fc.constant(events), cutsOf(events.length)))),
        fc.constantFrom<StreamOptions>({}, { reorderWindow: 2 }, { maxSamplesPerKey: 3 }, { window: 5 }),
        ([query, events, cuts], options) => {
          const q = compile(query, { tiebreakerField: 'seq' });
          const make = queryMatcher(q, options);
          const inputs = events.map((event) => ({ event }));
          if (stateAtSomeCut(make, inputs, cuts)) withState++;
          const expected = whole(make, inputs, cuts);
          matched += expected.results.length;
          expect(split(make, inputs, cuts), format(query)).toEqual(expected);
        },
      ),
      { seed: 2202, numRuns: 400 },
    );
    expect(withState).toBeGreaterThan(40);
    expect(matched).toBeGreaterThan(200);
  });

  it('sweeps stale keys when the matcher it was taken from would have', () => {
    // A look-back of 20 ms is swept every 5 ms of stream time, at events that change state.
    const q = compile('sequence by k [a where true] [b where true]');
    const events: Event[] = [
      { '@timestamp': 1, event: { category: 'a' }, k: 1 },
      // Swept here (key 1 is 19 ms old: kept); the next sweep is due at 25.
      { '@timestamp': 20, event: { category: 'a' }, k: 2 },
      // Key 1 is 22 ms old now, but no sweep is due: its sequence completes.
      { '@timestamp': 23, event: { category: 'b' }, k: 1 },
    ];
    const make: Make<Match> = () => q.matcher({ window: 20 });
    const inputs = events.map((event) => ({ event }));
    const expected = whole(make, inputs, [2]);
    expect(expected.results).toHaveLength(1);
    expect(split(make, inputs, [2])).toEqual(expected);
  });

  it.each(['sequence by k with maxspan=10ms [a where true] [b where true] ![c where true]', 'sample by k [a where true] [b where true]'])('replaces whatever state the matcher had: %s', (query) => {
    const q = compile(query);
    const empty = JSON.stringify(q.matcher().snapshot());
    const m = q.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: 1 });
    m.push({ '@timestamp': 2, event: { category: 'b' }, k: 1 });
    expect(m.stats().liveKeys).toBe(1);
    m.restore(empty);
    expect(JSON.stringify(m.snapshot())).toBe(empty);
    expect(m.push({ '@timestamp': 3, event: { category: 'b' }, k: 1 })).toEqual([]);
    expect(m.flush()).toEqual([]);
  });

  it('gives the same matches when the snapshot object is restored without JSON', () => {
    const q = compile('sequence by k with maxspan=10ms [a where true] [b where true] ![c where true]', { tiebreakerField: 'seq' });
    const events: Event[] = [
      { '@timestamp': 1, seq: 0, event: { category: 'a' }, k: 1 },
      { '@timestamp': 2, seq: 1, event: { category: 'b' }, k: 1 },
      { '@timestamp': 3, seq: 2, event: { category: 'a' }, k: 2 },
      { '@timestamp': 30, seq: 3, event: { category: 'b' }, k: 2 },
    ];
    const a = q.matcher();
    for (const e of events.slice(0, 3)) expect(a.push(e)).toEqual([]);
    const snapshot = a.snapshot();
    expect(snapshot.stats).toMatchObject({ eventsSeen: 3, liveKeys: 2, pendingSequences: 1 });
    const b = q.matcher();
    b.restore(snapshot);
    // The first sequence waits for time to pass its trailing check; event 3 passes it and starts no sequence of its own.
    expect(b.push(events[3]!).map((m) => m.events)).toEqual([[events[0], events[1], null]]);
    expect(b.flush()).toEqual([]);
    expect(b.stats()).toMatchObject({ eventsSeen: 4, matches: 1 });
  });
});

describe('the snapshot', () => {
  const q = compile('sequence by k [a where true] [b where true]');
  const withState = () => {
    const m = q.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: 1 });
    m.push({ '@timestamp': 2, event: { category: 'a' }, k: 2 });
    return m;
  };

  it('says what it is, with the options and stats in the clear', () => {
    const s = withState().snapshot();
    expect(s.format).toBe(SNAPSHOT_FORMAT);
    expect(s.version).toBe(SNAPSHOT_VERSION);
    expect(s.kind).toBe('query');
    expect(s.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(s.options).toEqual({ reorderWindowNs: 0, lazyTimestamps: false, windowNs: null, maxPendingSequences: 1_000_000, maxSamplesPerKey: 1, prefilter: false });
    expect(s.stats).toEqual({ eventsSeen: 2, linesSkipped: 0, matches: 0, errors: 0, late: 0, buffered: 0, liveKeys: 2, pendingSequences: 2, evictions: 0, keyCutEvents: 0 });
    expect(s.events).toEqual([
      { '@timestamp': 1, event: { category: 'a' }, k: 1 },
      { '@timestamp': 2, event: { category: 'a' }, k: 2 },
    ]);
  });

  it('holds an event once however many places hold it', () => {
    const m = compile('sequence [a where true] by k [b where true] by k').matcher();
    // One event, three keys: three partial sequences.
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: [1, 2, 3] });
    const s = m.snapshot();
    expect(s.stats.pendingSequences).toBe(3);
    expect(s.events).toHaveLength(1);
  });

  it('is the same for the same query text however written, and compiled alike', () => {
    const a = compile('sequence by k [a where true] [b where true]').matcher().snapshot();
    const b = compile('sequence  by k\n  [ a where true ]\n  [ b where (true) ]').matcher().snapshot();
    expect(b.identity).toBe(a.identity);
    expect(compile('sequence by k [a where true] [b where true]', { tiebreakerField: 'seq' }).matcher().snapshot().identity).not.toBe(a.identity);
  });

  it('writes options JSON cannot hold as text', () => {
    expect(q.matcher({ maxPendingSequences: Infinity }).snapshot().options.maxPendingSequences).toBe('Infinity');
    const s = JSON.stringify(q.matcher({ maxPendingSequences: Infinity }).snapshot());
    expect(() => q.matcher({ maxPendingSequences: Infinity }).restore(s)).not.toThrow();
  });
});

/** The error a call throws, which must be an EqlSnapshotError. */
function snapshotError(f: () => void): EqlSnapshotError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EqlSnapshotError);
    return e as EqlSnapshotError;
  }
  throw new Error('expected an EqlSnapshotError');
}

describe('restore refuses', () => {
  const query = 'sequence by k [a where true] [b where true]';
  const q = compile(query);
  const taken = (): MatcherSnapshot<StreamStats> => {
    const m = q.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: 1 });
    m.push({ '@timestamp': 2, event: { category: 'a' }, k: 2 });
    return JSON.parse(JSON.stringify(m.snapshot())) as MatcherSnapshot<StreamStats>;
  };
  /** A copy of a snapshot with one part changed. */
  const changed = (change: (s: Edited) => void): MatcherSnapshot<StreamStats> => {
    const s = taken() as unknown as Edited;
    change(s);
    return s as unknown as MatcherSnapshot<StreamStats>;
  };

  it('a snapshot of another query, or of the query compiled otherwise', () => {
    const other = snapshotError(() => compile('sequence by k [a where true] [c where true]').matcher().restore(taken()));
    expect(other.code).toBe('EQL_SNAPSHOT_MISMATCH');
    expect(other.message).toMatch(/another query/);
    expect(snapshotError(() => compile(query, { eventCategoryField: 'cat' }).matcher().restore(taken())).code).toBe('EQL_SNAPSHOT_MISMATCH');
  });

  it('a snapshot taken with other options, naming them', () => {
    const e = snapshotError(() => q.matcher({ reorderWindow: '5s', maxPendingSequences: 10 }).restore(taken()));
    expect(e.code).toBe('EQL_SNAPSHOT_MISMATCH');
    expect(e.message).toContain('reorderWindowNs 0 there, 5000000000 here');
    expect(e.message).toContain('maxPendingSequences 1000000 there, 10 here');
  });

  it('a snapshot of a RuleSet matcher', () => {
    const e = snapshotError(() => q.matcher().restore(changed((s) => (s.kind = 'ruleset'))));
    expect(e.code).toBe('EQL_SNAPSHOT_MISMATCH');
    expect(e.message).toMatch(/taken from a RuleSet matcher/);
  });

  it('another version of the format', () => {
    const e = snapshotError(() => q.matcher().restore(changed((s) => (s.version = SNAPSHOT_VERSION + 1))));
    expect(e.code).toBe('EQL_SNAPSHOT_VERSION');
    expect(e.path).toBe('$.version');
  });

  it.each<[string, unknown, string]>([
    ['text that is not JSON', '{"format": "eqlkit/matcher', '$'],
    ['JSON that is not a snapshot', '[1, 2]', '$'],
    ['an object of another format', { format: 'other' }, '$.format'],
  ])('%s, as corrupt', (_name, input, path) => {
    const e = snapshotError(() => q.matcher().restore(input as string));
    expect(e.code).toBe('EQL_SNAPSHOT_CORRUPT');
    expect(e.path).toBe(path);
  });

  it.each<[string, (s: Edited) => void, string]>([
    ['an event that is not one', (s) => (s.events[0] = 5), '$.events[0]'],
    ['a reference to no item', (s) => (s.state.runner.keys[0].pending[0][0] = 9), '$.state.runner.keys[0].pending[0][0]'],
    ['a partial sequence of the wrong length', (s) => s.state.runner.keys[0].pending[0].push(1), '$.state.runner.keys[0].pending[0]'],
    ['a key of the wrong length', (s) => s.state.runner.keys[1].key.push('x'), '$.state.runner.keys[1].key'],
    ['a key listed twice', (s) => (s.state.runner.keys[1].key = [1]), '$.state.runner.keys[1].key'],
    ['a time that is not one', (s) => (s.state.items[0][2] = 1.5), '$.state.items[0][2]'],
    ['stats that disagree with the state', (s) => (s.stats.pendingSequences = 1), '$.stats.pendingSequences'],
    ['a missing count', (s) => delete s.stats.eventsSeen, '$.stats.eventsSeen'],
    ['a state of another shape', (s) => (s.state.runner = { keys: 'many', queue: [] }), '$.state.runner.keys'],
  ])('%s, as corrupt, saying where', (_name, change, path) => {
    const e = snapshotError(() => q.matcher().restore(changed(change)));
    expect(e.code).toBe('EQL_SNAPSHOT_CORRUPT');
    expect(e.path).toBe(path);
  });

  it('a reorder buffer out of order, or in a matcher without one', () => {
    const r = compile('a where true', { tiebreakerField: 'seq' });
    const m = r.matcher({ reorderWindow: 100 });
    for (let i = 0; i < 4; i++) m.push({ '@timestamp': 10 - i, seq: i, event: { category: 'a' } });
    const s = JSON.parse(JSON.stringify(m.snapshot()));
    expect(s.state.order.buffer).toHaveLength(4);
    s.state.order.buffer.reverse();
    expect(snapshotError(() => r.matcher({ reorderWindow: 100 }).restore(s)).message).toMatch(/out of order/);
  });

  it('and leaves the matcher as it was', () => {
    const m = q.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: 7 });
    const before = JSON.stringify(m.snapshot());
    snapshotError(() => m.restore(changed((s) => (s.state.runner.queue = 'x'))));
    snapshotError(() => m.restore(changed((s) => (s.stats.evictions = 3))));
    expect(JSON.stringify(m.snapshot())).toBe(before);
    expect(m.push({ '@timestamp': 2, event: { category: 'b' }, k: 7 })).toHaveLength(1);
  });

  it('any damage with a typed error, or takes it as a state', () => {
    const base = taken();
    /** Every path to a value in a JSON value. */
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      v !== null && typeof v === 'object' ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))] : [at];
    const all = paths(base).filter((p) => p.length > 0);
    const json = fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 12 }), fc.double(), fc.string({ maxLength: 3 }), fc.constant([]), fc.constant({}), fc.constant([1, 0]), fc.boolean());
    fc.assert(
      fc.property(fc.constantFrom(...all), json, (path, value) => {
        const s = JSON.parse(JSON.stringify(base));
        let o = s;
        for (const k of path.slice(0, -1)) o = o[k];
        o[path[path.length - 1]!] = value;
        const m = q.matcher();
        try {
          m.restore(s);
        } catch (e) {
          expect(e).toBeInstanceOf(EqlSnapshotError);
          return;
        }
        // Taken as a state: the matcher runs on.
        m.push({ '@timestamp': 1e9, event: { category: 'b' }, k: 1 });
        m.flush();
      }),
      { seed: 2203, numRuns: 400 },
    );
  });
});

describe('events in a snapshot', () => {
  const q = compile('sequence by k [a where true] [b where true]');

  it('come back exactly, with what JSON text would change', () => {
    const odd: Event = {
      '@timestamp': 1,
      event: { category: 'a' },
      k: 1,
      missing: undefined,
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.5],
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
      holes: [1, , 3],
      big: 12345678901234567890n,
      when: new Date(Date.UTC(2026, 0, 2)),
      never: new Date(Number.NaN),
      nested: { deeper: [undefined, { x: -0 }] },
    };
    Object.defineProperty(odd, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    const m = q.matcher();
    m.push(odd);
    const text = JSON.stringify(m.snapshot());
    const r = q.matcher();
    r.restore(text);
    const [match] = r.push({ '@timestamp': 2, event: { category: 'b' }, k: 1 });
    const back = match!.events[0] as Edited;
    expect(Object.keys(back)).toEqual(Object.keys(odd));
    expect('missing' in back && back.missing === undefined).toBe(true);
    expect(back.numbers.map((n: number) => (Object.is(n, -0) ? '-0' : String(n)))).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '1.5']);
    expect(back.holes).toHaveLength(3);
    expect(1 in back.holes).toBe(false);
    expect(back.big).toBe(12345678901234567890n);
    expect(back.when).toEqual(odd.when);
    expect(back.never).toBeInstanceOf(Date);
    expect(Number.isNaN(back.never.getTime())).toBe(true);
    expect(Object.is(back.nested.deeper[1].x, -0)).toBe(true);
    expect(back.nested.deeper[0]).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('that cannot be saved are refused at snapshot, saying where', () => {
    const m = q.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' }, k: 1, lookup: { table: new Map([[1, 2]]) } });
    const e = snapshotError(() => m.snapshot());
    expect(e.code).toBe('EQL_SNAPSHOT_UNSERIALIZABLE');
    expect(e.message).toMatch(/class Map/);
    expect(e.path).toBe('$.events[0].lookup.table');

    const cyclic: Event = { '@timestamp': 1, event: { category: 'a' }, k: 2 };
    cyclic.self = cyclic;
    const c = q.matcher();
    c.push(cyclic);
    expect(snapshotError(() => c.snapshot()).code).toBe('EQL_SNAPSHOT_UNSERIALIZABLE');
  });

  it('keep their identity: an event that is two candidates of one sample fills one place', () => {
    const s = compile('sample by k [any where true] [any where true]');
    const events: Event[] = [{ k: 1 }, { k: 1 }];
    const whole = s.matcher();
    whole.push(events[0]!);
    whole.push(events[1]!);
    const first = s.matcher();
    first.push(events[0]!);
    const restored = s.matcher();
    restored.restore(JSON.stringify(first.snapshot()));
    restored.push(events[1]!);
    expect(restored.flush()).toEqual(whole.flush());
    // With one event only, no sample: it cannot fill both places.
    const alone = s.matcher();
    alone.restore(JSON.stringify(first.snapshot()));
    expect(alone.flush()).toEqual([]);
  });
});
