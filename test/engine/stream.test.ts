import { describe, expect, it } from 'vitest';
import { compile, type EqlEventError, type Event, type Match } from '../../src/index.js';

const ev = (id: number, ts: number, cat: string, extra: Record<string, unknown> = {}): Event => ({ id, '@timestamp': ts, event: { category: cat }, ...extra });
const ids = (ms: readonly Match[]) => ms.map((m) => m.events.map((e) => (e ? (e.id as number) : -1)));

function run(query: string, events: Event[], options: Parameters<ReturnType<typeof compile>['matcher']>[0] = {}) {
  const m = compile(query).matcher(options);
  const perPush = events.map((e) => ids(m.push(e)));
  const atEnd = ids(m.flush());
  return { perPush, atEnd, stats: m.stats() };
}

describe('matcher()', () => {
  it('emits a sequence on the event that completes it', () => {
    const { perPush, atEnd } = run('sequence by h [a where true] [b where true]', [ev(1, 1, 'a', { h: 1 }), ev(2, 2, 'b', { h: 2 }), ev(3, 3, 'b', { h: 1 })]);
    expect(perPush).toEqual([[], [], [[1, 3]]]);
    expect(atEnd).toEqual([]);
  });

  it('emits each matching event of an event query at once', () => {
    const { perPush } = run('a where x == 1', [ev(1, 1, 'a', { x: 1 }), ev(2, 2, 'a', { x: 2 })]);
    expect(perPush).toEqual([[[1]], []]);
  });

  it('hands late events to onLate, counts them, and does not use them', () => {
    const late: EqlEventError[] = [];
    const { perPush, stats } = run('sequence [a where true] [b where true]', [ev(1, 10, 'a'), ev(2, 5, 'b'), ev(3, 11, 'b')], { onLate: (e) => late.push(e) });
    expect(perPush).toEqual([[], [], [[1, 3]]]);
    expect(late.map((e) => [e.index, e.code])).toEqual([[1, 'EQL_EVENT_LATE']]);
    expect(stats.late).toBe(1);
  });

  it('puts out-of-order arrivals back in order within the reorder window', () => {
    const { perPush, atEnd, stats } = run('sequence [a where true] [b where true]', [ev(1, 10, 'b'), ev(2, 8, 'a'), ev(3, 30, 'c')], { reorderWindow: '5ms' });
    expect(perPush).toEqual([[], [], [[2, 1]]]);
    expect(atEnd).toEqual([]);
    expect(stats.late).toBe(0);
  });

  it('counts as late an event older than what the window already released', () => {
    const late: number[] = [];
    const { stats } = run('any where true', [ev(1, 100, 'a'), ev(2, 200, 'a'), ev(3, 90, 'a'), ev(4, 160, 'a')], { reorderWindow: 50, onLate: (e) => late.push(e.index) });
    expect(late).toEqual([2]);
    expect(stats).toMatchObject({ eventsSeen: 4, late: 1, matches: 3 });
  });

  it('holds a sequence that ends in a missing stage until no missing event can come in time', () => {
    const q = 'sequence by h with maxspan=10ms [a where true] [b where true] ![c where true]';
    const { perPush, atEnd } = run(q, [ev(1, 0, 'a', { h: 1 }), ev(2, 3, 'b', { h: 1 }), ev(3, 9, 'x'), ev(4, 11, 'x')]);
    expect(perPush).toEqual([[], [], [], [[1, 2, -1]]]);
    expect(atEnd).toEqual([]);
    const dropped = run(q, [ev(1, 0, 'a', { h: 1 }), ev(2, 3, 'b', { h: 1 }), ev(3, 9, 'c', { h: 1 }), ev(4, 30, 'x')]);
    expect([...dropped.perPush.flat(), ...dropped.atEnd]).toEqual([]);
  });

  it('releases waiting sequences at the end of the stream', () => {
    const { perPush, atEnd } = run('sequence by h with maxspan=10ms [a where true] ![c where true]', [ev(1, 0, 'a', { h: 1 })]);
    expect(perPush).toEqual([[]]);
    expect(atEnd).toEqual([[1, -1]]);
  });

  it('reports unusable events through onError and goes on', () => {
    const errors: EqlEventError[] = [];
    const m = compile('sequence [a where true] [b where true]').matcher({ onError: (e) => errors.push(e) });
    const out = [ev(1, 1, 'a'), 'text' as unknown as Event, ev(3, Number.NaN, 'b'), { event: { category: 'b' } }, ev(5, 2, 'b')].flatMap((e) => ids(m.push(e)));
    expect(out).toEqual([[1, 5]]);
    expect(errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'EQL_EVENT_NOT_OBJECT'],
      [2, 'EQL_EVENT_TIMESTAMP'],
      [3, 'EQL_EVENT_TIMESTAMP'],
    ]);
    const s = m.stats();
    expect(s.eventsSeen).toBe(5);
    expect(s.errors).toBe(3);
  });

  // Event 0's time cannot be read, event 2 is late; neither is of a category any stage wants.
  const unused = [{ ...ev(0, 0, 'x'), '@timestamp': 'yesterday' }, ev(1, 5, 'a'), ev(2, 3, 'x'), ev(3, 6, 'b')];
  it.each([
    ['for every event, by default', {}, [0], [2]],
    ['only for events a stage uses, with lazyTimestamps', { lazyTimestamps: true }, [], []],
  ])('reads and checks timestamps %s', (_, options, errorAt, lateAt) => {
    const errors: number[] = [];
    const late: number[] = [];
    const { perPush, stats } = run('sequence [a where true] [b where true]', unused, { ...options, onError: (e) => errors.push(e.index), onLate: (e) => late.push(e.index) });
    expect(perPush.flat()).toEqual([[1, 3]]);
    expect([errors, late]).toEqual([errorAt, lateAt]);
    expect([stats.errors, stats.late]).toEqual([errorAt.length, lateAt.length]);
  });

  it('with lazyTimestamps, does not let an unused event far in the future make the events after it late', () => {
    const events = [ev(0, 100_000, 'x'), ev(1, 5, 'a'), ev(2, 6, 'b')];
    expect(run('sequence [a where true] [b where true]', events, { lazyTimestamps: true }).perPush.flat()).toEqual([[1, 2]]);
    expect(run('sequence [a where true] [b where true]', events).stats.late).toBe(2);
  });

  it('with lazyTimestamps, still reports a missing timestamp at once, used or not', () => {
    const errors: number[] = [];
    run('a where true', [{ event: { category: 'x' } }, ev(1, 1, 'a')], { lazyTimestamps: true, onError: (e) => errors.push(e.index) });
    expect(errors).toEqual([0]);
  });

  describe('pushLine', () => {
    const q = 'sequence by h [a where x == "launch"] [b where y == "finish"]';
    const lines = [
      JSON.stringify(ev(1, 1, 'a', { h: 1, x: 'launch' })),
      '',
      JSON.stringify(ev(2, 2, 'c', { h: 1, x: 'stay' })),
      '{"@timestamp": 3, "event": {"category": "b"}, "y": "finish"',
      `${JSON.stringify(ev(4, 4, 'b', { h: 1, y: 'finish' }))}\r`,
    ];

    it.each([
      // Blank lines take no position; skipped ones do.
      ['parses each line and reports one that is not JSON', {}, [2], { eventsSeen: 4, linesSkipped: 0, errors: 1 }],
      ['with prefilter, skips unparsed the lines no stage could match, and counts them', { prefilter: true }, [2], { eventsSeen: 3, linesSkipped: 1, errors: 1 }],
    ])('%s', (_, options, errorAt, counts) => {
      const errors: EqlEventError[] = [];
      const m = compile(q).matcher({ ...options, onError: (e) => errors.push(e) });
      const found = lines.flatMap((l) => ids(m.pushLine(l)));
      expect(found).toEqual([[1, 4]]);
      expect(errors.map((e) => [e.index, e.code])).toEqual(errorAt.map((i) => [i, 'EQL_EVENT_NOT_JSON']));
      const s = m.stats();
      expect(s).toMatchObject(counts);
      // Every non-blank line is accounted for once.
      expect(s.eventsSeen + s.linesSkipped).toBe(lines.filter((l) => l !== '').length);
    });

    it('gives a RuleSet the alerts that push gives, with and without the prefilter', async () => {
      const { parseRule, RuleSet } = await import('../../src/index.js');
      const rule = parseRule(`[rule]\nrule_id = "r"\nname = "r"\ntype = "eql"\nlanguage = "eql"\nquery = '''\n${q}\n'''\n`);
      const byPush = new RuleSet([rule]).matcher();
      const pushed = lines.flatMap((l) => {
        try {
          return byPush.push(JSON.parse(l) as Event);
        } catch {
          return [];
        }
      });
      for (const prefilter of [false, true]) {
        const m = new RuleSet([rule]).matcher({ prefilter });
        expect(lines.flatMap((l) => m.pushLine(l)).map((a) => a.id)).toEqual(pushed.map((a) => a.id));
        expect(m.stats().linesSkipped).toBe(prefilter ? 1 : 0);
      }
      expect(pushed).toHaveLength(1);
    });
  });

  it('forgets partial sequences once maxspan has passed', () => {
    const m = compile('sequence by h with maxspan=10ms [a where true] [b where true]').matcher();
    for (let i = 0; i < 100; i++) m.push(ev(i, i, 'a', { h: i }));
    expect(m.stats().liveKeys).toBeLessThan(15);
    expect(m.stats().pendingSequences).toBeLessThan(15);
  });

  it.each([
    ['a later stage', 'sequence by h [a where true] [b where true]'],
    ['a trailing missing stage', 'sequence by h with maxspan=1s [a where true] ![b where true]'],
    ['a missing stage between positives', 'sequence by h with maxspan=1s [a where true] ![b where true] [c where true]'],
  ])('keeps no state for keys that only %s matched', (_, query) => {
    const m = compile(query).matcher();
    for (let i = 0; i < 100; i++) m.push(ev(i, i, 'b', { h: i }));
    expect(m.stats().liveKeys).toBe(0);
  });

  it('evaluates a later stage, or until, only while some sequence is waiting for it', () => {
    const reads: string[] = [];
    // The later stage and the until condition read `later` and `stop`; count those reads.
    const counted = (id: number, ts: number, cat: string, h: number) =>
      new Proxy(ev(id, ts, cat, { h, later: 1, stop: 1 }), {
        get: (target, key, receiver) => {
          if (key === 'later' || key === 'stop') reads.push(`${id}:${key}`);
          return Reflect.get(target, key, receiver);
        },
      });
    const m = compile('sequence by h [a where true] [b where later == 1] until [b where stop == 2]').matcher();
    m.push(counted(1, 1, 'b', 1));
    expect(reads).toEqual([]);
    m.push(counted(2, 2, 'a', 1));
    expect(ids(m.push(counted(3, 3, 'b', 1)))).toEqual([[2, 3]]);
    expect(reads).toContain('3:later');
    expect(reads).toContain('3:stop');
    reads.length = 0;
    m.push(counted(4, 4, 'b', 1));
    expect(reads).toEqual([]);
  });

  it('evicts state beyond the window of a sequence without maxspan', () => {
    const m = compile('sequence by h [a where true] [b where true]').matcher({ window: '20ms' });
    for (let i = 0; i < 100; i++) m.push(ev(i, i, 'a', { h: i }));
    // Sweeps run every quarter window: state lives at most 1.25 windows.
    expect(m.stats().liveKeys).toBeLessThanOrEqual(26);
    expect(ids(m.push(ev(200, 100, 'b', { h: 99 })))).toEqual([[99, 200]]);
  });

  it('enforces maxPendingSequences by evicting the oldest keys, and counts evictions', () => {
    const m = compile('sequence by h [a where true] [b where true]').matcher({ maxPendingSequences: 10 });
    for (let i = 0; i < 50; i++) m.push(ev(i, i, 'a', { h: i }));
    const s = m.stats();
    expect(s.pendingSequences).toBe(10);
    expect(s.evictions).toBe(40);
    expect(ids(m.push(ev(100, 100, 'b', { h: 0 })))).toEqual([]);
    expect(ids(m.push(ev(101, 101, 'b', { h: 49 })))).toEqual([[49, 101]]);
  });

  it('rejects a malformed duration', () => {
    expect(() => compile('any where true').matcher({ reorderWindow: '5 parsecs' })).toThrow(TypeError);
  });
});
