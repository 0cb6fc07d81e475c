/**
 * The query's pipes in every way of running it: search (batch), stream()
 * (which stops reading after a head), and matcher(), which gives every match.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Event, type Match } from '../../src/index.js';

const ev = (id: number, ts: number, category = 'process', extra: Record<string, unknown> = {}): Event => ({ id, '@timestamp': ts, event: { category }, ...extra });
const idsOf = (ms: readonly Match[]) => ms.map((m) => m.events.map((e) => (e ? e.id : -1)).join('+'));

async function collect(q: ReturnType<typeof compile>, events: readonly Event[]): Promise<{ out: Match[]; read: number }> {
  let read = 0;
  function* source(): Generator<Event> {
    for (const e of events) {
      read++;
      yield e;
    }
  }
  const out: Match[] = [];
  for await (const m of q.stream(source())) out.push(m);
  return { out, read };
}

describe('pipes', () => {
  const events = Array.from({ length: 10 }, (_, i) => ev(i, i));
  const sequence = Array.from({ length: 10 }, (_, i) => ev(i, i, i % 2 === 0 ? 'network' : 'process', { k: Math.floor(i / 2) }));
  const SEQ = 'sequence by k [network where true] [process where true]';

  /** [query, events, what search gives] */
  const TABLE: Array<[string, Event[], string[]]> = [
    ['process where true | head 3', events, ['0', '1', '2']],
    ['process where true | tail 3', events, ['7', '8', '9']],
    ['process where true | head 6 | tail 2', events, ['4', '5']],
    ['process where true | tail 6 | head 2', events, ['4', '5']],
    ['process where true | head 0', events, []],
    [`${SEQ} | head 2`, sequence, ['0+1', '2+3']],
    [`${SEQ} | tail 1`, sequence, ['8+9']],
    ['sample by k [network where true] [process where true] | tail 2', sequence, ['6+7', '8+9']],
  ];

  it.each(TABLE)('%s: search and stream() agree', async (query, input, expected) => {
    const q = compile(query);
    expect(idsOf(q.search(input))).toEqual(expected);
    expect(idsOf((await collect(q, input)).out)).toEqual(expected);
  });

  it.each([
    ['process where true | head 3', 3],
    ['process where true | head 0', 0],
    ['process where true | head 4 | tail 2', 4],
    ['process where true | tail 2', 10],
    [`${SEQ} | head 1`, 2],
  ])('stream() of %s reads %i events', async (query, read) => {
    const input = query.startsWith('sequence') ? sequence : events;
    expect((await collect(compile(query), input)).read).toBe(read);
  });

  it('matcher() gives every match: the pipes are for search and stream', () => {
    const m = compile('process where true | head 1').matcher();
    const out: Match[] = [];
    for (const e of events) out.push(...m.push(e));
    out.push(...m.flush());
    expect(out).toHaveLength(10);
  });
});
