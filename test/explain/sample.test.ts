/** A sample explained per join key: the events of each stage, or the closest candidates of a stage none matches. */
import { describe, expect, it } from 'vitest';
import { type Event, explain, type ExplainOptions, type SampleExplanation } from '../../src/index.js';

const ev = (category: string, host: unknown, fields: Record<string, unknown> = {}) => ({ event: { category }, host: { id: host }, ...fields });

function explainSample(query: string, events: Event[], options: ExplainOptions = {}): SampleExplanation {
  const e = explain(query, events, options);
  if (e.kind !== 'sample') throw new Error(`a sample, not ${e.kind}`);
  return e;
}

const QUERY = 'sample by host.id [process where process.name == "cmd.exe"] [network where true]';

describe('the keys of a sample', () => {
  it.each([
    {
      name: 'every stage has an event: a sample',
      events: [ev('network', 'a'), ev('process', 'a', { process: { name: 'cmd.exe' } })],
      expected: { matched: true, reason: null, stages: [[1], [0]] },
    },
    {
      name: 'a stage no event with the key matches',
      events: [ev('network', 'a'), ev('process', 'a', { process: { name: 'bash' } })],
      expected: { matched: false, reason: { kind: 'no-event', stage: 0 }, stages: [[], [0]] },
    },
    {
      name: 'events without a timestamp take part: a sample needs no time',
      events: [ev('process', 'a', { process: { name: 'cmd.exe' } }), ev('network', 'a')],
      expected: { matched: true, reason: null, stages: [[0], [1]] },
    },
  ])('$name', ({ events, expected }) => {
    const e = explainSample(QUERY, events);
    const k = e.keys[0]!;
    expect({ matched: k.matched, reason: k.reason, stages: k.stages.map((s) => s.events.map((x) => x.index)) }).toEqual(expected);
  });

  it('too few distinct events to give each stage its own', () => {
    const e = explainSample('sample by host.id [any where true] [any where true]', [ev('process', 'a')]);
    expect(e.keys[0]).toMatchObject({ matched: false, reason: { kind: 'same-event' } });
  });

  it('lists the closest candidates of a stage none matches, with their failed clauses', () => {
    const e = explainSample(QUERY, [ev('network', 'a'), ev('process', 'a', { process: { name: 'bash' } })]);
    const stage = e.keys[0]!.stages[0]!;
    expect(stage.candidates.map((c) => [c.event.index, c.filter.failed.map((f) => f.text), c.filter.category?.result])).toEqual([
      [1, ['process.name == "cmd.exe"'], true],
      [0, ['process.name == "cmd.exe"'], false],
    ]);
  });

  it('lists, among candidates that come as close, those that fill no other stage of the key first', () => {
    const q = 'sample by host.id [process where process.name == "a"] [process where process.name == "b"] [process where process.name == "c"]';
    // Lines 0 and 1 fill stages 1 and 2; line 2 is of another category but has the name stage 3 asks for.
    const e = explainSample(q, [ev('process', 'h', { process: { name: 'a' } }), ev('process', 'h', { process: { name: 'b' } }), ev('file', 'h', { process: { name: 'c' } })], { candidates: 2 });
    expect(e.keys[0]!.stages[2]!.candidates.map((c) => c.event.index)).toEqual([2, 0]);
  });

  it('lists the events under other keys that would fill a stage none with the key matches', () => {
    const q = 'sample by host.id [process where true] [network where destination.port == 445]';
    const e = explainSample(q, [ev('process', 'a'), ev('network', 'b', { destination: { port: 445 } }), ev('network', 'c', { destination: { port: 22 } })], { key: 'a' });
    const stage = e.keys[0]!.stages[1]!;
    expect(stage).toMatchObject({ matching: 0, otherKeyConsidered: 3 });
    expect(stage.otherKeyCandidates.map((c) => [c.event.index, c.key, c.differs.map((d) => [d.field, d.value, d.expected]), c.filter.failed.length])).toEqual([
      [1, ['b'], [['host.id', 'b', 'a']], 0],
      [2, ['c'], [['host.id', 'c', 'a']], 1],
    ]);
    // Not for a key that matches no stage.
    expect(explainSample(q, [ev('file', 'a'), ev('network', 'b', { destination: { port: 445 } })], { key: 'a' }).keys[0]!.stages[1]!.otherKeyCandidates).toEqual([]);
  });

  it('reports the events left out of a stage for want of a key value', () => {
    const e = explainSample('sample by host.id [process where true] [network where true]', [ev('process', 'a'), { event: { category: 'network' } }]);
    expect(e.unkeyed.map((u) => [u.stage, u.count, u.events.map((x) => [x.event.index, x.fields])])).toEqual([[1, 1, [[1, ['host.id']]]]]);
  });

  it('orders keys: samples first, then those with more stages filled', () => {
    const e = explainSample(QUERY, [ev('file', 'c'), ev('network', 'b'), ev('network', 'a'), ev('process', 'a', { process: { name: 'cmd.exe' } })]);
    expect(e.keys.map((k) => k.key[0])).toEqual(['a', 'b', 'c']);
    expect(explainSample(QUERY, [ev('network', 'b'), ev('network', 'a')], { key: 'a' }).keys.map((k) => k.key)).toEqual([['a']]);
  });

  it('says when a pipe left a sample out', () => {
    const e = explainSample(`${QUERY} | head 1`, [ev('network', 'a'), ev('process', 'a', { process: { name: 'cmd.exe' } }), ev('network', 'b'), ev('process', 'b', { process: { name: 'cmd.exe' } })]);
    expect(e.keys.map((k) => [k.key[0], k.matched, k.reason])).toEqual([
      ['a', true, null],
      ['b', false, { kind: 'pipe', pipes: '| head 1' }],
    ]);
  });
});
