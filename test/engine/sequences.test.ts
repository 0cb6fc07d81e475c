/**
 * Sequence semantics beyond Elasticsearch's QA suite, settled by reading its
 * code; each case is a query, events and the sequences it must give (as lists
 * of event ids), in batch and in a stream alike.
 */
import { describe, expect, it } from 'vitest';
import { compile, schemaFromMapping, type CompileOptions, type Event } from '../../src/index.js';

type Row = [name: string, query: string, events: Event[], expected: string[][], options?: CompileOptions];

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const ev = (id: string, category: string, ms: number | string, fields: Record<string, unknown> = {}): Event => ({
  '@timestamp': typeof ms === 'number' ? at(ms) : ms,
  event: { category, id },
  ...fields,
});
const ids = (events: readonly (Event | null)[]) => events.map((e) => (e ? String((e.event as { id: string }).id) : '(missing)'));

const mapped = (timestamp: 'date' | 'date_nanos'): CompileOptions => ({
  schema: schemaFromMapping({ properties: { '@timestamp': { type: timestamp }, event: { properties: { category: { type: 'keyword' }, id: { type: 'keyword' } } } } }),
});
const T0 = '2026-01-01T00:00:00';

const ROWS: Row[] = [
  [
    'an event that starts a sequence and is also an until event cancels it, with nothing else pending',
    'sequence [process where true] [process where true] until [process where true]',
    [ev('p1', 'process', 1), ev('p2', 'process', 2)],
    [],
  ],
  [
    'the same, with keys and an until condition of its own',
    'sequence by host [process where true] [network where true] until [process where x == 1]',
    [ev('p1', 'process', 1, { host: 'a', x: 1 }), ev('n1', 'network', 2, { host: 'a' })],
    [],
  ],
  [
    'an until event that starts nothing and finds nothing pending changes nothing',
    'sequence by host [process where x == 2] [network where true] until [process where x == 1]',
    [ev('u', 'process', 1, { host: 'a', x: 1 }), ev('p1', 'process', 2, { host: 'a', x: 2 }), ev('n1', 'network', 3, { host: 'a' })],
    [['p1', 'n1']],
  ],
  [
    'a `date` timestamp keeps whole milliseconds: 1 s and 1 ns apart is 1 s apart, within maxspan',
    'sequence with maxspan=1s [process where true] [network where true]',
    [ev('p1', 'process', `${T0}.000Z`), ev('n1', 'network', '2026-01-01T00:00:01.000000001Z')],
    [['p1', 'n1']],
    mapped('date'),
  ],
  [
    'a `date_nanos` timestamp keeps nanoseconds: 1 s and 1 ns apart is over maxspan',
    'sequence with maxspan=1s [process where true] [network where true]',
    [ev('p1', 'process', `${T0}.000Z`), ev('n1', 'network', '2026-01-01T00:00:01.000000001Z')],
    [],
    mapped('date_nanos'),
  ],
  [
    'in the same millisecond of a `date` timestamp, input order decides',
    'sequence [process where true] [network where true]',
    [ev('p1', 'process', `${T0}.000000002Z`), ev('n1', 'network', `${T0}.000000001Z`)],
    [['p1', 'n1']],
    mapped('date'),
  ],
  [
    "a condition on a join key holds in every stage: a later event of another of the first event's key values does not join",
    'sequence by user [process where user == "alice"] [network where true]',
    [ev('p1', 'process', 1, { user: ['alice', 'bob'] }), ev('n1', 'network', 2, { user: 'bob' })],
    [],
  ],
  [
    'the copied condition reads the key of each stage, whatever its name',
    'sequence [process where user == "alice"] by user [network where true] by account',
    [ev('p1', 'process', 1, { user: ['alice', 'bob'] }), ev('n1', 'network', 2, { account: 'bob' }), ev('n2', 'network', 3, { account: 'alice' })],
    [['p1', 'n2']],
  ],
  [
    'single-valued keys give what they gave without the copy',
    'sequence by user [process where user == "alice"] [network where true]',
    [ev('p1', 'process', 1, { user: 'alice' }), ev('n1', 'network', 2, { user: 'alice' })],
    [['p1', 'n1']],
  ],
  [
    '!= on a key is copied too: a later event that also holds the excluded value is dropped',
    'sequence by user [process where user != "root"] [network where true]',
    [ev('p1', 'process', 1, { user: 'bob' }), ev('n1', 'network', 2, { user: ['bob', 'root'] }), ev('n2', 'network', 3, { user: 'bob' })],
    [['p1', 'n2']],
  ],
  [
    'a conjunct with an or in it is not copied',
    'sequence by user [process where user == "alice" or user == "carol"] [network where true]',
    [ev('p1', 'process', 1, { user: ['alice', 'bob'] }), ev('n1', 'network', 2, { user: 'bob' })],
    [['p1', 'n1']],
  ],
  [
    'one that also reads another field is copied with it, as Elasticsearch copies it: a later event must then pass it too',
    'sequence by user [process where startsWith(user, x)] [network where true]',
    [ev('p1', 'process', 1, { user: ['alice', 'bob'], x: 'al' }), ev('n1', 'network', 2, { user: 'bob', x: 'z' }), ev('n2', 'network', 3, { user: 'bob', x: 'b' })],
    [['p1', 'n2']],
  ],
  [
    'nor a condition of a missing stage',
    'sequence by user with maxspan=10s [process where true] ![file where user == "zzz"] [network where true]',
    [ev('p1', 'process', 1, { user: 'bob' }), ev('n1', 'network', 2, { user: 'bob' })],
    [['p1', '(missing)', 'n1']],
  ],
  [
    'nor one of until',
    'sequence by user [process where true] [network where true] until [file where user == "zzz"]',
    [ev('p1', 'process', 1, { user: 'bob' }), ev('n1', 'network', 2, { user: 'bob' })],
    [['p1', 'n1']],
  ],
  [
    'samples too: a key condition holds for every filter',
    'sample by host [process where host == "x"] [network where true]',
    [ev('a1', 'process', 1, { host: ['x', 'y'] }), ev('b1', 'network', 2, { host: 'y' })],
    [],
  ],
  ['without a schema, nanoseconds order events', 'sequence [process where true] [network where true]', [ev('p1', 'process', `${T0}.000000002Z`), ev('n1', 'network', `${T0}.000000001Z`)], []],
];

describe('sequences', () => {
  it.each(ROWS)('%s', (_name, query, events, expected, options) => {
    const q = compile(query, options);
    expect(q.search(events).map((m) => ids(m.events))).toEqual(expected);
    const m = q.matcher();
    const streamed = [...events.flatMap((e) => m.push(e)), ...m.flush()];
    expect(streamed.map((x) => ids(x.events))).toEqual(expected);
  });
});
