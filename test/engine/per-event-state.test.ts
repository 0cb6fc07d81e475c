/**
 * Per-event state (src/semantics/fields.ts, EventContext): what the engine
 * remembers of an event holds only within one runner's span of work on it.
 * Runners interleaved on one thread never see each other's memos, an event
 * object reused with new contents is read afresh, and reads outside any
 * runner's work are never remembered; while within a span, one field of one
 * event is read once, across all the rules of a set.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Event, type Match, RuleSet, type Alert } from '../../src/index.js';
import { compileFieldReader, eventStamp } from '../../src/semantics/fields.js';
import { testRule } from '../helpers/rules.js';

const rule = testRule;

const ev = (id: number, t: number, cat: string, name: string, host: string): Event => ({ id, '@timestamp': t, event: { category: cat }, process: { name }, host: { id: host } });

/** Events for two interleaved runners: process names and hosts that make sequences on some hosts and not others. */
function events(seed: number, count: number): Event[] {
  // mulberry32
  let s = seed;
  const rand = (n: number) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n;
  };
  return Array.from({ length: count }, (_, i) => ev(i, 1_767_225_600_000 + i, rand(4) < 1 ? 'network' : 'process', ['a', 'b', 'B', 'c'][Math.floor(rand(4))]!, `h${Math.floor(rand(3))}`));
}

/** One object, given again and again with new contents, as a reader that reuses its buffers does. */
function reused(): (contents: Event) => Event {
  const shared: Event = {};
  return (contents) => {
    for (const k of Object.keys(shared)) delete shared[k];
    Object.assign(shared, structuredClone(contents));
    return shared;
  };
}

/** A match as it stands when it is given: the push that completed it, its keys, the id of its last event. */
const summary = (at: number | 'end', m: Match) => `${at}:${JSON.stringify(m.joinKeys)}:${String(m.events.at(-1)?.id)}`;
const alertSummary = (at: number | 'end', a: Alert) => `${at}:${a.rule.name}:${JSON.stringify(a.join_keys)}:${String(a.events.at(-1)?.id)}`;

/** What search() gives over copies of the events, in the same form (a match completes at its last event's push). */
const expected = (query: string, list: readonly Event[]) =>
  compile(query)
    .search(list.map((e) => structuredClone(e)))
    .map((m) => summary(m.events.at(-1)!.id as number, m));

const QUERIES = [
  'process where process.name == "a" or process.name : "B"',
  'sequence by host.id [process where process.name == "a"] [process where process.name == "b"] [network where true]',
  'sequence by host.id with maxspan=5ms [process where process.name == "a"] [process where process.name != "a"]',
];

describe('per-event state', () => {
  it('a shared field reader outside any runner’s work reads the event as it is now', () => {
    const read = compileFieldReader('per_event.test.value');
    const e: Event = { per_event: { test: { value: 1 } } };
    expect(eventStamp()).toBe(0);
    expect(read(e)).toBe(1);
    (e.per_event as { test: { value: number } }).test.value = 2;
    expect(read(e)).toBe(2);
  });

  it('whether an event has dotted keys is not remembered outside a runner’s work', () => {
    const e: Event = {};
    expect(compileFieldReader('per_event.dotted.a')(e)).toBeUndefined();
    e['per_event.dotted.b'] = 7;
    expect(compileFieldReader('per_event.dotted.b')(e)).toBe(7);
  });

  it('a rule’s look-back reads the time an event holds now, not one a matcher read before', () => {
    const r = rule('lookback', 'process where true', 'from = "now-10m"');
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    const e: Event = { '@timestamp': at(30), event: { category: 'process' } };
    compile('process where true').matcher().push(e);
    e['@timestamp'] = at(5);
    expect(r.run([e], { now })).toHaveLength(1);
    e['@timestamp'] = at(30);
    expect(r.run([e], { now })).toHaveLength(0);
  });

  it.each(QUERIES)('two matchers of %s fed alternately with one reused object give each its own answer', (query) => {
    const a = events(1, 300);
    const b = events(2, 300);
    const q = compile(query);
    const ma = q.matcher();
    const mb = q.matcher();
    const give = reused();
    const got: { a: string[]; b: string[] } = { a: [], b: [] };
    for (let i = 0; i < a.length; i++) {
      for (const m of ma.push(give(a[i]!))) got.a.push(summary(i, m));
      for (const m of mb.push(give(b[i]!))) got.b.push(summary(i, m));
    }
    for (const m of ma.flush()) got.a.push(summary('end', m));
    for (const m of mb.flush()) got.b.push(summary('end', m));
    expect(got.a).toEqual(expected(query, a));
    expect(got.b).toEqual(expected(query, b));
    expect(got.a.length + got.b.length).toBeGreaterThan(10);
    expect(eventStamp()).toBe(0);
  });

  it('a RuleSet and a query matcher fed alternately with one reused object give each its own answer', () => {
    const set = new RuleSet(QUERIES.map((query, i) => rule(`r${i}`, query)));
    const query = 'process where process.name == "b"';
    const a = events(3, 300);
    const b = events(4, 300);
    const ms = set.matcher();
    const mq = compile(query).matcher();
    const give = reused();
    const alerts: string[] = [];
    const matches: string[] = [];
    for (let i = 0; i < a.length; i++) {
      for (const x of ms.push(give(a[i]!))) alerts.push(alertSummary(i, x));
      for (const m of mq.push(give(b[i]!))) matches.push(summary(i, m));
    }
    for (const x of ms.flush()) alerts.push(alertSummary('end', x));
    const want = set.run(a.map((e) => structuredClone(e))).map((x) => alertSummary(x.events.at(-1)!.id as number, x));
    expect([...alerts].sort()).toEqual([...want].sort());
    expect(matches).toEqual(expected(query, b));
    expect(Math.min(alerts.length, matches.length)).toBeGreaterThan(10);
  });

  it('a paused stream and a search interleaved give each its exact answer', async () => {
    const query = QUERIES[1]!;
    const a = events(5, 300);
    const b = events(6, 300);
    async function* source(): AsyncGenerator<Event> {
      const give = reused();
      for (const e of a) yield give(e);
    }
    const q = compile(query);
    const stream = q.stream(source())[Symbol.asyncIterator]();
    const got: string[] = [];
    const searches: string[][] = [];
    const give = reused();
    for (let r = await stream.next(); !r.done; r = await stream.next()) {
      // Paused at a match: its last event is the object the source gave last, as it is now.
      got.push(summary(r.value.events.at(-1)!.id as number, r.value));
      // Meanwhile a search over the other events, and an object of the stream's source read elsewhere.
      searches.push(q.search(b.map((e) => structuredClone(e))).map((m) => summary(m.events.at(-1)!.id as number, m)));
      q.matcher().push(give(b[searches.length]!));
    }
    expect(got).toEqual(expected(query, a));
    expect(searches.length).toBeGreaterThan(3);
    for (const s of searches) expect(s).toEqual(expected(query, b));
  });

  it('a runner started from another’s callback leaves the outer one’s work as it was, and nothing active after', () => {
    const query = QUERIES[1]!;
    const a = events(7, 200).map((e, i) => (i % 7 === 3 ? { ...e, '@timestamp': 'not a time' } : e));
    const b = events(8, 200);
    const q = compile(query);
    const inner = q.matcher();
    const innerGot: string[] = [];
    let j = 0;
    const outer = q.matcher({
      // Each unusable event of the outer stream feeds the inner one, in the middle of the outer's push.
      onError: () => {
        for (const m of inner.push(b[j]!)) innerGot.push(summary(j, m));
        j++;
      },
    });
    const got: string[] = [];
    a.forEach((e, i) => {
      for (const m of outer.push(e)) got.push(summary(i, m));
    });
    expect(got).toEqual(expected(query, a));
    expect(innerGot).toEqual(expected(query, b.slice(0, j)));
    expect(eventStamp()).toBe(0);

    const throwing = q.matcher({
      onError: () => {
        throw new Error('callback failed');
      },
    });
    expect(() => throwing.push({ '@timestamp': 'not a time' })).toThrow('callback failed');
    expect(eventStamp()).toBe(0);
  });

  it('in a span of work, one field of one event is read once: by a query’s conditions, and by every rule of a set and its index', () => {
    let reads = 0;
    const counted = (name: string, t: number): Event => ({
      '@timestamp': t,
      event: { category: 'process' },
      process: {
        get name() {
          reads++;
          return name;
        },
      },
    });
    const q = compile('process where process.name == "x" or process.name : "Y" or startsWith(process.name, "z")');
    const m = q.matcher();
    m.push(counted('a', 1));
    expect(reads).toBe(1);
    reads = 0;
    expect(q.matches(counted('a', 1))).toBe(false);
    expect(reads).toBe(1);

    // Every rule is handed the event (its index finds "a") and none matches (an alert would read the event to name it).
    const set = new RuleSet(['x', 'y', 'z', 'w'].map((n, i) => rule(`p${i}`, `process where process.name : ("${n}", "a") and process.name != "a"`)));
    const sm = set.matcher();
    reads = 0;
    expect(sm.push(counted('a', 2))).toHaveLength(0);
    expect(sm.stats().dispatched).toBe(4);
    expect(reads).toBe(1);
  });
});
