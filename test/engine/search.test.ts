import { describe, expect, it } from 'vitest';
import { compile, EqlEventError, EqlSemanticError, type Event } from '../../src/index.js';

const ev = (id: number, ts: unknown, extra: Record<string, unknown> = {}): Event => ({ id, '@timestamp': ts, event: { category: 'process' }, ...extra });
const ids = (events: readonly (Event | null)[][]) => events.map((es) => es.map((e) => (e ? e.id : -1)));

describe('search over event queries', () => {
  const events = [ev(1, 30), ev(2, 10), ev(3, 20), ev(4, 10), ev(5, '1970-01-01T00:00:00.015Z'), ev(6, '25')];

  it('orders results by timestamp, then input order', () => {
    const out = compile('process where true').search(events);
    expect(ids(out.map((m) => [...m.events]))).toEqual([[2], [4], [5], [3], [6], [1]]);
    expect(out.every((m) => m.kind === 'event' && m.joinKeys.length === 0)).toBe(true);
  });

  it('orders equal timestamps by the tiebreaker when one is given, an event without it first', () => {
    const tied = [ev(1, 5, { seq: 3 }), ev(2, 5, { seq: 1 }), ev(3, 5, { seq: 2 }), ev(4, 5)];
    const out = compile('process where true', { tiebreakerField: 'seq' }).search(tied);
    expect(out.map((m) => m.events[0]!.id)).toEqual([4, 2, 3, 1]);
  });

  it('keeps nanosecond order', () => {
    const nanos = [ev(1, '100.000002'), ev(2, '100.000001'), ev(3, '1970-01-01T00:00:00.100000000Z')];
    expect(
      compile('process where true')
        .search(nanos)
        .map((m) => m.events[0]!.id),
    ).toEqual([3, 2, 1]);
  });

  it.each([
    ['| head 2', [2, 4]],
    ['| tail 2', [6, 1]],
    ['| head 4 | tail 2', [5, 3]],
    ['| tail 3 | head 1', [3]],
    ['| head 0', []],
  ])('applies %s', (pipes, expected) => {
    expect(
      compile(`process where true ${pipes}`)
        .search(events)
        .map((m) => m.events[0]!.id),
    ).toEqual(expected);
  });

  it('keeps the most recent results within size by default, as Elasticsearch does', () => {
    expect(
      compile('process where true')
        .search(events, { size: 2 })
        .map((m) => m.events[0]!.id),
    ).toEqual([6, 1]);
    expect(
      compile('process where true')
        .search(events, { size: 2, resultPosition: 'head' })
        .map((m) => m.events[0]!.id),
    ).toEqual([2, 4]);
    expect(compile('process where true').search(events, { size: 0 })).toEqual([]);
  });

  it('puts the size limit before the first pipe, as a limit of the same kind', () => {
    // head 3 (size) → head 4 → tail 2: items 2 and 3 of the order
    expect(
      compile('process where true | head 4 | tail 2')
        .search(events, { size: 3 })
        .map((m) => m.events[0]!.id),
    ).toEqual([4, 5]);
    // tail 3 (size) → tail 4 → head 2
    expect(
      compile('process where true | tail 4 | head 2')
        .search(events, { size: 3 })
        .map((m) => m.events[0]!.id),
    ).toEqual([3, 6]);
  });

  it('reports events it cannot use through onError, with their index, and goes on', () => {
    const errors: EqlEventError[] = [];
    const input = [ev(1, 10), ev(2, undefined), null as unknown as Event, ev(4, 'yesterday'), ev(5, 5), [] as unknown as Event];
    const q = compile('process where true');
    const out = q.search(input, { onError: (e) => errors.push(e) });
    expect(out.map((m) => m.events[0]!.id)).toEqual([5, 1]);
    expect(errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'EQL_EVENT_TIMESTAMP'],
      [2, 'EQL_EVENT_NOT_OBJECT'],
      [3, 'EQL_EVENT_TIMESTAMP'],
      [5, 'EQL_EVENT_NOT_OBJECT'],
    ]);
    expect(errors[0]).toBeInstanceOf(EqlEventError);
    expect(errors[0]!.message).toMatch(/^event 1: no readable timestamp in \[@timestamp\]/);
    expect(q.lastStats).toEqual({ read: 6, skipped: 4 });
  });

  it('counts skipped events without onError', () => {
    const q = compile('process where true');
    expect(q.search([ev(1, null), ev(2, 1)])).toHaveLength(1);
    expect(q.lastStats).toEqual({ read: 2, skipped: 1 });
  });

  it('reads a custom timestamp field and category field', () => {
    const q = compile('net where true', { timestampField: 'ts', eventCategoryField: 'kind' });
    const out = q.search([
      { id: 1, ts: 2, kind: 'net' },
      { id: 2, ts: 1, kind: 'net' },
      { id: 3, ts: 0, kind: 'file' },
    ]);
    expect(out.map((m) => m.events[0]!.id)).toEqual([2, 1]);
  });

  it('accepts any iterable', () => {
    function* gen(): Generator<Event> {
      yield ev(1, 2);
      yield ev(2, 1);
    }
    expect(
      compile('process where true')
        .search(gen())
        .map((m) => m.events[0]!.id),
    ).toEqual([2, 1]);
  });

  it('does not change the events', () => {
    const input = [ev(1, 2, { process: { args: ['a', 'b'] } })];
    const copy = structuredClone(input);
    compile('process where process.args : "A" and not process.args : "c"').search(input);
    expect(input).toEqual(copy);
  });
});

describe('matches', () => {
  it('decides one event for an event query', () => {
    const q = compile('process where process.name : "cmd.exe"');
    expect(q.matches({ event: { category: 'process' }, process: { name: 'CMD.EXE' } })).toBe(true);
    expect(q.matches({ event: { category: 'file' }, process: { name: 'cmd.exe' } })).toBe(false);
  });

  it('refuses sequences, which need several events', () => {
    expect(() => compile('sequence [a where true] [b where true]').matches({})).toThrow(EqlSemanticError);
  });
});

describe('search over large batches', () => {
  it('sorts and returns more results than a call can take as arguments', () => {
    const n = 200_000;
    // Reversed input, so the sort has real work to do.
    const events: Event[] = Array.from({ length: n }, (_, i) => ({ '@timestamp': 1_700_000_000_000 + (n - i), event: { category: 'process' }, process: { pid: n - i } }));
    const results = compile('process where true').search(events);
    expect(results).toHaveLength(n);
    expect(results.slice(0, 3).map((m) => (m.events[0]!.process as { pid: number }).pid)).toEqual([1, 2, 3]);
    expect((results[n - 1]!.events[0]!.process as { pid: number }).pid).toBe(n);
  });
});
