import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyCombinations, keyId, type KeyValue } from '../../src/engine/keys.js';
import { compileFieldReader } from '../../src/semantics/fields.js';
import type { KeyField } from '../../src/compile/plan.js';

const field = (name: string): KeyField => ({
  name,
  optional: false,
  field: { name, path: name, spec: null, read: compileFieldReader(name), kind: 'unknown', isTimestamp: false },
});

describe('keyId', () => {
  const keys: KeyValue[][] = [['a'], ['[a'], ['["a"]'], [5], ['5'], [true], ['true'], [null], ['null'], ['a', 'b'], ['a,b'], ['[1]'], [1], [[1] as unknown as KeyValue], [''], []];
  it('tells apart every pair of different keys', () => {
    const ids = keys.map(keyId);
    expect(new Set(ids).size).toBe(keys.length);
  });

  it('is the same for equal keys', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxLength: 3 }), (k) => keyId(k) === keyId([...k])));
  });

  it('tells apart different keys, whatever they hold', () => {
    const key = fc.array(fc.oneof(fc.string({ unit: fc.constantFrom('[', ']', '"', 'a', ',', '1') }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 2 });
    fc.assert(fc.property(key, key, (a, b) => (keyId(a) === keyId(b)) === (JSON.stringify(a) === JSON.stringify(b))));
  });
});

describe('keyCombinations', () => {
  const fields = [field('h'), field('u.id')];
  it.each<[Record<string, unknown>, KeyValue[][]]>([
    [{ h: 'a', u: { id: 1 } }, [['a', 1]]],
    [
      { h: ['a', 'b'], u: { id: 1 } },
      [
        ['a', 1],
        ['b', 1],
      ],
    ],
    [{ h: ['a', 'a', null], u: { id: [2] } }, [['a', 2]]],
    [{ h: 'a' }, []],
    [{ h: 'a', u: { id: null } }, []],
    [{ h: { x: 1 }, u: { id: 1 } }, []],
    [{ h: true, u: { id: 'x' } }, [[true, 'x']]],
  ])('%j → %j', (event, combos) => {
    expect(keyCombinations(fields, event)).toEqual(combos);
  });
});
