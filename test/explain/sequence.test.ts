/**
 * A sequence explained per join key: how far it got, with which events, the
 * closest candidates for the next stage and why it went no further.
 */
import { describe, expect, it } from 'vitest';
import { type Event, explain, type ExplainOptions, schemaFromMapping, type SequenceExplanation, type SequenceKeyTrace } from '../../src/index.js';
import { testRule } from '../helpers/rules.js';

const BASE = Date.parse('2026-01-01T00:00:00.000Z');

/** An event at `seconds` after BASE, of a category, on a host. */
const ev = (seconds: number, category: string, host: unknown, fields: Record<string, unknown> = {}) => ({
  '@timestamp': new Date(BASE + seconds * 1000).toISOString(),
  event: { category },
  host: { id: host },
  ...fields,
});

function explainKeys(query: string, events: Event[], options: ExplainOptions = {}): SequenceExplanation {
  const e = explain(query, events, options);
  if (e.kind !== 'sequence') throw new Error(`a sequence, not ${e.kind}`);
  return e;
}

/** A key's trace in short: matched, reached of, the filled stages' events, the reason and its event. */
function summary(k: SequenceKeyTrace) {
  const r = k.reason;
  return {
    matched: k.matched,
    reached: `${k.reached}/${k.of}`,
    filled: k.filled.map((f) => f.event.index),
    reason: r?.kind ?? null,
    reasonEvent: r && 'event' in r ? (r.event?.index ?? null) : null,
  };
}

describe('how far each key of a sequence got, and why no further', () => {
  it.each([
    {
      name: 'every stage filled: matched',
      query: 'sequence by host.id [process where true] [network where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'network', 'a')],
      expected: { matched: true, reached: '2/2', filled: [0, 1], reason: null, reasonEvent: null },
    },
    {
      name: 'the next stage never matched after the first',
      query: 'sequence by host.id [process where true] [network where true]',
      events: [ev(0, 'network', 'a'), ev(1, 'process', 'a')],
      expected: { matched: false, reached: '1/2', filled: [1], reason: 'no-event', reasonEvent: null },
    },
    {
      name: 'maxspan: the next stage came too late',
      query: 'sequence by host.id with maxspan=2s [process where true] [network where true]',
      events: [ev(0, 'process', 'a'), ev(2.001, 'network', 'a')],
      expected: { matched: false, reached: '1/2', filled: [0], reason: 'maxspan', reasonEvent: 1 },
    },
    {
      name: 'until: an until event came between',
      query: 'sequence by host.id [process where true] [network where true] until [file where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'file', 'a'), ev(2, 'network', 'a')],
      expected: { matched: false, reached: '1/2', filled: [0], reason: 'until', reasonEvent: 1 },
    },
    {
      name: 'until: the event that fills a stage ends it too when it is an until event',
      query: 'sequence by host.id [process where true] [any where true] [network where true] until [any where process.name == "x"]',
      events: [ev(0, 'process', 'a'), ev(1, 'file', 'a', { process: { name: 'x' } }), ev(2, 'network', 'a')],
      expected: { matched: false, reached: '2/3', filled: [0, 1], reason: 'until', reasonEvent: 1 },
    },
    {
      name: 'a missing-event stage between two others matched',
      query: 'sequence by host.id with maxspan=10s [process where true] ![file where true] [network where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'file', 'a'), ev(2, 'network', 'a')],
      expected: { matched: false, reached: '2/2', filled: [0, 2], reason: 'missing-event', reasonEvent: 1 },
    },
    {
      name: 'a trailing missing-event stage matched within maxspan',
      query: 'sequence by host.id with maxspan=10s [process where true] [network where true] ![file where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'network', 'a'), ev(2, 'file', 'a')],
      expected: { matched: false, reached: '2/2', filled: [0, 1], reason: 'missing-event', reasonEvent: 2 },
    },
    {
      name: 'a leading missing-event stage matched within maxspan',
      query: 'sequence by host.id with maxspan=10s ![file where true] [process where true] [network where true]',
      events: [ev(0, 'file', 'a'), ev(1, 'process', 'a'), ev(2, 'network', 'a')],
      expected: { matched: false, reached: '2/2', filled: [1, 2], reason: 'missing-event', reasonEvent: 0 },
    },
    {
      name: 'a missing-event stage outside maxspan lets the sequence match',
      query: 'sequence by host.id with maxspan=5s [process where true] [network where true] ![file where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'network', 'a'), ev(6, 'file', 'a')],
      expected: { matched: true, reached: '2/2', filled: [0, 1], reason: null, reasonEvent: null },
    },
    {
      name: 'runs count as stages',
      query: 'sequence by host.id [process where true] with runs=3 [network where true]',
      events: [ev(0, 'process', 'a'), ev(1, 'process', 'a'), ev(2, 'network', 'a')],
      expected: { matched: false, reached: '2/4', filled: [0, 1], reason: 'no-event', reasonEvent: null },
    },
    {
      name: 'a key that filled no stage',
      query: 'sequence by host.id [process where process.name == "cmd.exe"] [network where true]',
      events: [ev(0, 'process', 'a', { process: { name: 'bash' } }), ev(1, 'network', 'a')],
      expected: { matched: false, reached: '0/2', filled: [], reason: 'no-event', reasonEvent: null },
    },
  ])('$name', ({ query, events, expected }) => {
    const e = explainKeys(query, events);
    expect(e.keys.map((k) => k.key)).toEqual([['a']]);
    expect(summary(e.keys[0]!)).toEqual(expected);
  });

  it('names the stage that was not filled, and its closest candidates with the clauses they failed, value seen against the one expected', () => {
    const e = explainKeys('sequence by host.id [process where true] [network where destination.port == 445 and network.direction == "egress"]', [
      ev(0, 'process', 'a'),
      ev(1, 'network', 'a', { destination: { port: 139 }, network: { direction: 'ingress' } }),
      ev(2, 'network', 'a', { destination: { port: 445 }, network: { direction: 'ingress' } }),
      ev(3, 'network', 'b', { destination: { port: 445 }, network: { direction: 'egress' } }),
      ev(4, 'file', 'a'),
    ]);
    const a = e.keys.find((k) => k.key[0] === 'a')!;
    expect(a.next).toMatchObject({ stage: 1, run: 0, considered: 3 });
    // The fewest failures first: one, two, then the event of another category without the fields.
    expect(a.next!.candidates.map((c) => [c.event.index, c.filter.failed.map((f) => f.text)])).toEqual([
      [2, ['network.direction == "egress"']],
      [1, ['destination.port == 445', 'network.direction == "egress"']],
      [4, ['destination.port == 445', 'network.direction == "egress"']],
    ]);
    expect(a.next!.candidates[0]!.filter.failed[0]).toMatchObject({ kind: 'leaf', expected: '== "egress"', values: [{ field: 'network.direction', value: 'ingress' }] });
    expect(explainKeys(e.source.query, [ev(0, 'process', 'a'), ev(1, 'network', 'a')], { candidates: 0 }).keys[0]!.next!.candidates).toEqual([]);
  });

  it('looks for candidates only after the last filled stage', () => {
    const e = explainKeys('sequence by host.id [process where true] [network where true]', [ev(0, 'network', 'a'), ev(1, 'process', 'a')]);
    expect(e.keys[0]!.next).toMatchObject({ considered: 0, candidates: [] });
  });

  it('uses the conditions as the optimizer leaves them: a key constraint of one stage holds in the others', () => {
    const e = explainKeys('sequence by host.id [process where true] [network where host.id == "a"]', [ev(0, 'process', 'b'), ev(1, 'network', 'b')], { key: 'b' });
    expect(e.stages[0]!.text).toBe('process where true and host.id == "a"');
    expect(summary(e.keys[0]!)).toMatchObject({ reached: '0/2', reason: 'no-event' });
    expect(e.keys[0]!.next!.candidates[0]!.filter.failed.map((f) => f.text)).toEqual(['host.id == "a"']);
  });

  it("refuses join keys of incompatible types, as the plan does (Elasticsearch's verifier: an ip key against a keyword one)", () => {
    const schema = schemaFromMapping({ properties: { '@timestamp': { type: 'date' }, event: { properties: { category: { type: 'keyword' } } }, a: { type: 'ip' }, b: { type: 'keyword' } } });
    expect(() =>
      explainKeys('sequence [process where true] by a [network where b == "x"] by b', [{ '@timestamp': '2026-01-01T00:00:00Z', event: { category: 'process' }, a: '10.0.0.1' }], { schema }),
    ).toThrow('sequence key [b] type [keyword] is incompatible with key [a] type [ip]');
  });

  it('gives the elapsed time and the maxspan of a late stage', () => {
    const e = explainKeys('sequence by host.id with maxspan=2s [process where true] [network where true]', [ev(0, 'process', 'a'), ev(2.5, 'network', 'a')]);
    expect(e.keys[0]!.reason).toMatchObject({ kind: 'maxspan', maxspan: '2s', elapsed: '2.5s' });
  });
});

describe('the keys of a sequence', () => {
  const query = 'sequence by host.id [process where true] [network where true]';
  const events = [ev(0, 'process', 'a'), ev(1, 'process', 'b'), ev(2, 'network', 'b'), ev(3, 'file', 'c'), ev(4, 'process', '5'), ev(5, 'process', 5)];

  it('come matched first, then by how far they got, then in order of appearance', () => {
    expect(explainKeys(query, events).keys.map((k) => [k.key[0], k.reached])).toEqual([
      ['b', 2],
      ['a', 1],
      ['5', 1],
      [5, 1],
      ['c', 0],
    ]);
  });

  it('one key with options.key: a value, or its text; an unknown key reached nothing', () => {
    expect(explainKeys(query, events, { key: 'a' }).keys.map((k) => k.key)).toEqual([['a']]);
    expect(explainKeys(query, events, { key: 5 }).keys.map((k) => k.key)).toEqual([[5]]);
    expect(explainKeys(query, events, { key: '5' }).keys.map((k) => k.key)).toEqual([['5'], [5]]);
    expect(summary(explainKeys(query, events, { key: 'zz' }).keys[0]!)).toEqual({ matched: false, reached: '0/2', filled: [], reason: 'no-event', reasonEvent: null });
  });

  it('a key of several fields, named by the list of its values', () => {
    const q = 'sequence by host.id, user.id [process where true] [network where true]';
    const e = explainKeys(q, [ev(0, 'process', 'a', { user: { id: 1 } }), ev(1, 'network', 'a', { user: { id: 1 } }), ev(2, 'process', 'a', { user: { id: 2 } })], { key: ['a', 2] });
    expect(e.keys.map((k) => [k.key, k.reached])).toEqual([[['a', 2], 1]]);
  });

  it('counted beyond the limit', () => {
    const e = explainKeys(query, events, { limit: 2 });
    expect([e.keys.length, e.omitted]).toEqual([2, 3]);
  });

  it('refuses options.event', () => {
    expect(() => explain(query, events, { event: 0 })).toThrow('options.event');
  });
});

describe('a sequence cut by pipes, and state dropped by a stream', () => {
  it('says a pipe left out a sequence that matched', () => {
    const e = explainKeys('sequence by host.id [process where true] [network where true] | head 1', [ev(0, 'process', 'a'), ev(1, 'network', 'a'), ev(2, 'process', 'b'), ev(3, 'network', 'b')]);
    expect(e.keys.map((k) => [k.key[0], k.matched, k.reason])).toEqual([
      ['a', true, null],
      ['b', false, { kind: 'pipe', pipes: '| head 1' }],
    ]);
  });

  it('as a stream, a rule keeps a sequence without maxspan for its look-back only: evicted', () => {
    const rule = testRule('lookback', 'sequence by host.id [process where true] [network where true]', 'from = "now-1m"');
    const events = [ev(0, 'process', 'a'), ev(30, 'process', 'b'), ev(200, 'network', 'a'), ev(201, 'network', 'b'), ev(202, 'file', 'c')];
    const asRun = explain(rule, events);
    const asStream = explain(rule, events, { stream: true });
    if (asRun.kind !== 'sequence' || asStream.kind !== 'sequence') throw new Error('a sequence');
    expect(asRun.keys.map((k) => [k.key[0], k.matched])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
    expect(asStream.keys.map((k) => [k.key[0], k.matched, k.reason?.kind ?? null])).toEqual([
      ['a', false, 'evicted'],
      ['b', false, 'evicted'],
      ['c', false, 'no-event'],
    ]);
    expect(asStream.keys[0]!.reason).toEqual({ kind: 'evicted', window: 'now-1m' });
  });
});

describe('the partial sequence shown, of those that reached furthest', () => {
  it('is one whose next event came too late, rather than a later one with nothing after it (runs of one filter)', () => {
    // Lines 0 to 2 fill the three runs within 10s, and so do 1 to 3: the first is the one that line 3 came too late for.
    const e = explainKeys('sequence by host.id with maxspan=10s [process where true] with runs=4', [ev(0, 'process', 'a'), ev(1, 'process', 'a'), ev(2, 'process', 'a'), ev(10.5, 'process', 'a')]);
    expect(summary(e.keys[0]!)).toEqual({ matched: false, reached: '3/4', filled: [0, 1, 2], reason: 'maxspan', reasonEvent: 3 });
  });

  it('is one whose next event came after an until event', () => {
    const e = explainKeys('sequence by host.id [process where true] with runs=2 until [file where true]', [ev(0, 'process', 'a'), ev(1, 'file', 'a'), ev(2, 'process', 'a')]);
    expect(summary(e.keys[0]!)).toEqual({ matched: false, reached: '1/2', filled: [0], reason: 'until', reasonEvent: 1 });
  });

  it('is one followed by events with the key, whose candidates show why, rather than a later one with none after it', () => {
    const e = explainKeys('sequence by host.id [process where true] [process where process.name != "x"]', [
      ev(0, 'process', 'a', { process: { name: 'x' } }),
      ev(1, 'process', 'a', { process: { name: 'x' } }),
    ]);
    expect(summary(e.keys[0]!)).toEqual({ matched: false, reached: '1/2', filled: [0], reason: 'no-event', reasonEvent: null });
    expect(e.keys[0]!.next!.candidates.map((c) => [c.event.index, c.filter.failed.map((f) => f.text)])).toEqual([[1, ['process.name != "x"']]]);
    expect(e.keys[0]!.passedOver).toEqual([]);
  });
});

describe('the events a partial sequence passed over, when no event with the key comes after it', () => {
  const query = 'sequence by host.id [process where process.name == "cmd.exe"] [process where process.name == "cmd.exe"]';

  it('those that failed the stage they would have filled, traced against it', () => {
    // Line 0 fails, so line 1 fills stage 1, and nothing is left for stage 2.
    const e = explainKeys(query, [ev(0, 'process', 'a', { process: { name: 'bash' } }), ev(1, 'process', 'a', { process: { name: 'cmd.exe' } })]);
    const k = e.keys[0]!;
    expect(summary(k)).toEqual({ matched: false, reached: '1/2', filled: [1], reason: 'no-event', reasonEvent: null });
    expect(k.next).toMatchObject({ stage: 1, considered: 0, candidates: [] });
    expect(k.passedOver.map((p) => ({ index: p.event.index, stage: p.stage, run: p.run, failed: p.filter.failed.map((f) => f.text), until: p.until, early: p.matchesNextStage }))).toEqual([
      { index: 0, stage: 0, run: 0, failed: ['process.name == "cmd.exe"'], until: null, early: false },
    ]);
  });

  it('between two filled stages: the stage after the one before it', () => {
    const q = 'sequence by host.id [process where true] [process where true] [process where true]';
    const e = explainKeys(q, [ev(0, 'process', 'a'), ev(1, 'file', 'a'), ev(2, 'process', 'a')]);
    expect(e.keys[0]!.passedOver.map((p) => [p.event.index, p.stage, p.filter.category?.result])).toEqual([[1, 1, false]]);
  });

  it('one cut off by an until event, and one that matches the stage not filled but came too early', () => {
    // Line 1 ends the sequence line 0 began; lines 2 and 3 fill two runs of three.
    const q = 'sequence by host.id [process where true] with runs=3 until [file where true]';
    const until = explainKeys(q, [ev(0, 'process', 'a'), ev(1, 'file', 'a'), ev(2, 'process', 'a'), ev(3, 'process', 'a')]);
    expect(summary(until.keys[0]!)).toEqual({ matched: false, reached: '2/3', filled: [2, 3], reason: 'no-event', reasonEvent: null });
    // The until event itself has the key, and fails the stage it would have filled: the matching one, cut off, first.
    expect(until.keys[0]!.passedOver.map((p) => [p.event.index, p.stage, p.run, p.filter.result, p.until?.index ?? null])).toEqual([
      [0, 0, 0, true, 1],
      [1, 0, 0, false, null],
    ]);
    const early = explainKeys('sequence by host.id [process where true] [network where true]', [ev(0, 'network', 'a'), ev(1, 'process', 'a')]);
    expect(early.keys[0]!.passedOver.map((p) => [p.event.index, p.stage, p.filter.result, p.matchesNextStage])).toEqual([[0, 0, false, true]]);
  });

  it('none when events with the key come after the last filled stage, or when the passed-over ones match and nothing cut them off', () => {
    expect(explainKeys(query, [ev(0, 'process', 'a', { process: { name: 'cmd.exe' } }), ev(1, 'process', 'a', { process: { name: 'bash' } })]).keys[0]!.passedOver).toEqual([]);
    const q = 'sequence by host.id [process where true] [process where true] [network where true]';
    expect(explainKeys(q, [ev(0, 'process', 'a'), ev(1, 'process', 'a'), ev(2, 'process', 'a')]).keys[0]!.passedOver).toEqual([]);
  });
});

describe('events under other keys, when no event with the key fills the next stage', () => {
  const query = 'sequence by host.id with maxspan=1m [process where true] by user.id [network where destination.port == 445] by source.user.id';
  const net = (s: number, host: string, user: string, port = 445) => ev(s, 'network', host, { destination: { port }, source: { user: { id: user } } });

  it('match the stage or come as close as any event with the key: where their key differs, value seen against the key’s', () => {
    const e = explainKeys(query, [ev(0, 'process', 'a', { user: { id: 'u' } }), net(1, 'b', 'u'), net(2, 'a', 'v'), net(3, 'b', 'v', 139)], { key: ['a', 'u'] });
    const next = e.keys[0]!.next!;
    expect(next).toMatchObject({ stage: 1, considered: 0, candidates: [], otherKeyConsidered: 3 });
    expect(next.otherKeyCandidates.map((c) => [c.event.index, c.key, c.differs.map((d) => [d.position, d.field, d.value, d.expected]), c.filter.failed.length])).toEqual([
      [1, ['b', 'u'], [[0, 'host.id', 'b', 'a']], 0],
      [2, ['a', 'v'], [[1, 'source.user.id', 'v', 'u']], 0],
      [
        3,
        ['b', 'v'],
        [
          [0, 'host.id', 'b', 'a'],
          [1, 'source.user.id', 'v', 'u'],
        ],
        1,
      ],
    ]);
    // Each differing field's place in the query: the `by` field as written.
    const at = (c: (typeof next.otherKeyCandidates)[number]) => c.differs.map((d) => query.slice(d.location.start.offset, d.location.end.offset));
    expect(at(next.otherKeyCandidates[2]!)).toEqual(['host.id', 'source.user.id']);
  });

  it('no further than the closest event with the key, within maxspan, bounded by candidates', () => {
    const e = explainKeys(query, [ev(0, 'process', 'a', { user: { id: 'u' } }), net(1, 'a', 'u', 139), net(2, 'b', 'u', 139), net(3, 'b', 'u', 22), net(61, 'c', 'u')], { key: ['a', 'u'] });
    const next = e.keys[0]!.next!;
    expect(next.candidates.map((c) => c.event.index)).toEqual([1]);
    expect(next.otherKeyCandidates.map((c) => c.event.index)).toEqual([2, 3]);
    expect(next.otherKeyConsidered).toBe(3);
    expect(
      explainKeys(query, [ev(0, 'process', 'a', { user: { id: 'u' } }), net(1, 'b', 'u'), net(2, 'c', 'u')], { key: ['a', 'u'], candidates: 1 }).keys[0]!.next!.otherKeyCandidates.map(
        (c) => c.event.index,
      ),
    ).toEqual([1]);
  });

  it('none for a key that filled no stage, nor when an event with the key fills the next stage too late', () => {
    const q = 'sequence by host.id with maxspan=2s [process where true] [network where true]';
    const none = explainKeys(q, [ev(0, 'network', 'a'), ev(1, 'network', 'b')], { key: 'a' });
    expect(none.keys[0]!.next).toMatchObject({ stage: 0, otherKeyCandidates: [], otherKeyConsidered: 0 });
    const late = explainKeys(q, [ev(0, 'process', 'a'), ev(1, 'network', 'b'), ev(3, 'network', 'a')], { key: 'a' });
    expect(late.keys[0]!.reason?.kind).toBe('maxspan');
    expect(late.keys[0]!.next!.otherKeyCandidates).toEqual([]);
  });
});

describe('events left out for want of a join key value', () => {
  it('per stage: those that match it, or fail it only on the key field they lack, with the fields they lack', () => {
    const q = 'sequence by host.id [process where host.id != null and process.name == "cmd.exe"] by user.id [network where true] by user.id';
    const events = [
      { '@timestamp': '2026-01-01T00:00:00Z', event: { category: 'process' }, process: { name: 'cmd.exe' } },
      { '@timestamp': '2026-01-01T00:00:01Z', event: { category: 'process' }, process: { name: 'bash' } },
      ev(2, 'process', 'a', { process: { name: 'cmd.exe' }, user: { id: 'u' } }),
      ev(3, 'network', 'a'),
      { '@timestamp': '2026-01-01T00:00:04Z', event: { category: 'network' } },
    ];
    const e = explainKeys(q, events);
    expect(
      e.unkeyed.map((u) => ({
        stage: u.stage,
        count: u.count,
        withoutKey: u.withoutKey,
        considered: u.considered,
        events: u.events.map((x) => [x.event.index, x.stage, x.fields, x.filter.failed.map((f) => f.text)]),
      })),
    ).toEqual([
      // Line 1 fails on process.name too, lines 3 and 4 on the category: not left out for want of the key.
      { stage: 0, count: 1, withoutKey: 4, considered: 4, events: [[0, 0, ['host.id', 'user.id'], ['host.id != null']]] },
      {
        stage: 1,
        count: 2,
        withoutKey: 4,
        considered: 4,
        events: [
          [3, 1, ['user.id'], []],
          // The query's key constrained in one stage is constrained in all (Elasticsearch's PropagateJoinKeyConstraints).
          [4, 1, ['host.id', 'user.id'], ['host.id != null']],
        ],
      },
    ]);
    expect(explainKeys(q, events, { candidates: 1 }).unkeyed[1]).toMatchObject({ count: 2, events: [{ event: { index: 3 } }] });
  });

  it('none for an optional key field, which gives the null key', () => {
    const e = explainKeys('sequence by ?host.name [process where true] [network where true]', [ev(0, 'process', 'a'), ev(1, 'network', 'a')]);
    expect(e.unkeyed).toEqual([]);
    expect(e.keys.map((k) => [k.key, k.matched])).toEqual([[[null], true]]);
  });
});
