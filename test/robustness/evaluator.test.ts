/**
 * The evaluator is total: every compiled corpus rule decides every event, or
 * reports it through onError; nothing throws, no event is changed, and
 * Object.prototype stays as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type Event, loadRules } from '../../src/index.js';
import { sharedPath } from '../helpers/shared.js';

const SEED = 20261129;
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'process',
  'name',
  'args',
  'event',
  'category',
  'host',
  'id',
  'file',
  'path',
  '@timestamp',
  'user',
  'process.name',
  'a.b',
];

/** JSON-like values of every hostile kind: deep nesting, big arrays, big numbers, lone surrogates, special keys. */
const hostileValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'medium' },
    fc.string({ maxLength: 20 }),
    fc.constantFrom('\uD800', 'a\uDFFFb', '💥', '', 'C:\\Windows\\System32\\cmd.exe', 'process', 'network', 'windows', '127.0.0.1', '::1'),
    fc.integer(),
    fc.constantFrom(2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -0, 1.5e-300, Number.MAX_SAFE_INTEGER),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** An event: an object whose keys include the special ones, built as JSON.parse would build it. */
const hostileEvent = fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 8 }).map((o) => JSON.parse(JSON.stringify({ '@timestamp': 1, ...o })) as Event);

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

const deepArray = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = [v];
  return v;
};
const deepObject = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { process: v };
  return v;
};

const rulesDir = sharedPath('the evaluator totality tests', 'corpus', 'detection-rules');

describe.skipIf(!rulesDir)('every corpus rule on hostile events', () => {
  const { rules } = rulesDir ? loadRules(rulesDir) : { rules: [] };
  const fixed: Event[] = [
    { '@timestamp': 1, process: deepArray(5000) } as Event,
    { '@timestamp': 2, process: deepObject(5000) } as Event,
    { '@timestamp': 3, process: { args: Array.from({ length: 100_000 }, (_, i) => `arg${i}`) }, event: { category: 'process' } } as Event,
    JSON.parse('{"@timestamp": 4, "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "event": {"category": ["process", "network"]}}') as Event,
    { '@timestamp': 5, event: { category: 'process' }, process: { name: '\uD800\uDC00\uD800', pid: 2 ** 64, args: ['\uDFFF'] } } as Event,
  ];

  it('decides, never throws, never changes the event, leaves Object.prototype alone', () => {
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const events = [...fixed, ...fc.sample(hostileEvent, { seed: SEED, numRuns: 150 })].map((e) => deepFreeze(e));
    const snapshot = JSON.stringify(events.slice(3));
    const failures: string[] = [];
    for (const rule of rules) {
      const plan = rule.compiled.plan;
      const filters = plan.kind === 'event' ? [plan.filter] : [...plan.stages.map((s) => s.filter), ...(plan.kind === 'sequence' && plan.until ? [plan.until.filter] : [])];
      for (const [i, e] of events.entries()) {
        for (const f of filters) {
          try {
            const decision = f.matches(e);
            if (typeof decision !== 'boolean') failures.push(`${rule.name}: event ${i} gave ${String(decision)}`);
          } catch (err) {
            failures.push(`${rule.name}: event ${i} threw ${(err as Error).message}`);
          }
        }
      }
      // Through the stream path too: errors are reported, never thrown.
      const m = rule.compiled.matcher({ onError: () => undefined, onLate: () => undefined });
      try {
        for (const e of events) m.push(e);
        m.flush();
      } catch (err) {
        failures.push(`${rule.name}: stream threw ${(err as Error).message}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(JSON.stringify(events.slice(3))).toBe(snapshot);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('special keys are data, never prototype access', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('a field named %s reads only an own property', (key) => {
    const q = compile(`any where \`${key}\`.polluted == true`);
    expect(q.matches(JSON.parse(`{"${key}": {"polluted": true}}`))).toBe(true);
    expect(q.matches({})).toBe(false);
    expect(compile(`any where \`${key}\` != null`).matches({})).toBe(false);
  });

  it('never writes to what it reads', () => {
    const event = deepFreeze({ '@timestamp': 1, event: { category: 'process' }, process: { name: 'a', args: ['x', 'y'] } }) as Event;
    const q = compile('sequence by process.name [process where process.args : "x"] [process where true]');
    expect(() => q.search([event, { ...event, '@timestamp': 2 }])).not.toThrow();
  });
});

describe('events built in code', () => {
  it('answers on objects and arrays that contain themselves', () => {
    const event: Record<string, unknown> = { '@timestamp': 1, event: { category: 'process' }, process: { name: 'cmd.exe' } };
    event.self = event;
    const loop: unknown[] = ['x'];
    loop.push(loop);
    event.loop = loop;
    (event.process as Record<string, unknown>).args = loop;
    expect(compile('process where process.name : "cmd.exe" and process.pe.original_file_name == null').matches(event)).toBe(true);
    expect(compile('process where process.args : "x"').matches(event)).toBe(true);
    expect(compile('process where process.args : "y" or self.process.name : "cmd.exe"').matches(event)).toBe(true);
    expect(compile('process where loop : "y"').matches(event)).toBe(false);
  });
});
