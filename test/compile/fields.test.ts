import { describe, expect, it } from 'vitest';
import { buildClosureFieldReader, compileFieldReader, fieldValues, someValueIs, type FieldReader } from '../../src/semantics/fields.js';

/** How Elasticsearch flattens a document: every (dotted path, value) pair. */
function flatten(node: unknown, prefix: string, out: Array<[string, unknown]>): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const x of node) flatten(x, prefix, out);
    return;
  }
  if (typeof node === 'object') {
    for (const k of Object.keys(node)) flatten((node as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.push([prefix, node]);
}

const readers: Array<[string, (name: string) => FieldReader]> = [
  ['generated', compileFieldReader],
  ['closure', buildClosureFieldReader],
];

describe.each(readers)('field reader (%s fast path)', (_, readerFor) => {
  it('finds what a flattened document holds, through nesting, dotted keys and arrays', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const keys = ['a', 'b', 'c', 'a.b', 'b.c', 'a.b.c', 'constructor', '__proto__'];
    const gen = (depth: number): unknown => {
      const x = rand();
      if (depth > 3 || x < 0.3) return Math.floor(rand() * 3);
      if (x < 0.45) return [gen(depth + 1), gen(depth + 1)];
      // Defined, not assigned, so that `__proto__` is an own key as JSON.parse makes it.
      const o: Record<string, unknown> = {};
      for (const k of keys) if (rand() < 0.35) Object.defineProperty(o, k, { value: gen(depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    };
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const doc = gen(0);
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
      const pairs: Array<[string, unknown]> = [];
      flatten(doc, '', pairs);
      for (const path of ['a', 'a.b', 'a.b.c', 'b.c', 'constructor', 'a.constructor', '__proto__.a', 'a.toString']) {
        const want = pairs.filter(([p]) => p === path).map(([, v]) => v);
        const got = fieldValues(readerFor(path)(doc as Record<string, unknown>));
        // Documented: when the plain nested path has values, dotted duplicates are not merged.
        const ok = JSON.stringify([...got].sort()) === JSON.stringify([...want].sort()) || (got.length > 0 && got.every((g) => want.includes(g)));
        if (!ok) wrong.push(`${path} in ${JSON.stringify(doc)}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
      }
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a.b.c', { a: { 'b.c': 1 } }, 1],
    ['a.b.c', { 'a.b': { c: 2 } }, 2],
    ['a.b.c', { 'a.b.c': 3 }, 3],
    ['a.b.c', { a: { b: {} }, 'a.b.c': 4 }, 4],
    ['a.b.c', { a: { b: {}, 'b.c': 5 } }, 5],
    ['a.b.c.d', { a: { b: { 'c.d': 6 } } }, 6],
    ['a.b.c.d', { a: { 'b.c': { d: 7 } } }, 7],
    ['a.b', { a: {}, x: { 'a.b': 1 } }, undefined],
    ['a.b.c', { a: { b: { 'c.d': 1 } } }, undefined],
  ])('reads %s through a dotted key at any level of %j', (name, event, expected) => {
    expect(readerFor(name)(event)).toEqual(expected);
  });

  it('never reads Object.prototype, even when something has been added to it', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'yes';
    try {
      expect(readerFor('polluted')({})).toBeUndefined();
      expect(readerFor('a.polluted')({ a: {} })).toBeUndefined();
      expect(readerFor('a.polluted')({ a: { polluted: 'own' } })).toBe('own');
      expect(readerFor('a.polluted')({ a: { polluted: 'yes' } })).toBe('yes');
    } finally {
      delete proto.polluted;
    }
    expect(readerFor('a.constructor')({ a: {} })).toBeUndefined();
    expect(readerFor('toString')({})).toBeUndefined();
    expect(readerFor('a.__proto__')({ a: {} })).toBeUndefined();
  });
});

describe('fieldValues (any-value semantics over arrays)', () => {
  it.each<[unknown, unknown[]]>([
    ['a', ['a']],
    [null, []],
    [undefined, []],
    [
      ['a', 1, true],
      ['a', 1, true],
    ],
    [
      ['a', null, { x: 1 }, 'b'],
      ['a', 'b'],
    ],
    // Nested arrays are flattened in order, each value once, wherever the nesting starts.
    [
      ['a', ['b', ['c']], 'd'],
      ['a', 'b', 'c', 'd'],
    ],
    [
      [['a'], 'b'],
      ['a', 'b'],
    ],
    [
      ['a', 'b', [], [[['c']]], 'd', ['e']],
      ['a', 'b', 'c', 'd', 'e'],
    ],
  ])('%j → %j', (raw, expected) => {
    expect(fieldValues(raw)).toEqual(expected);
  });
});

describe('someValueIs (one value looked for, any-value semantics)', () => {
  const shapes: unknown[] = ['a', 'b', 1, '1', true, null, undefined, { a: 'a' }, [], ['a'], ['b'], [1], [null], [['a']], [{ a: 'a' }], ['b', 'a'], [['b'], ['a']], [[]], [true]];
  const wanted: Array<string | number | boolean> = ['a', 1, true];
  it.each(shapes.flatMap((raw) => wanted.map((v) => [raw, v] as const)))('%j has %j as the flattened values say', (raw, v) => {
    expect(someValueIs(raw, v)).toBe(fieldValues(raw).includes(v));
  });
});
