import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { matches } from '../helpers/eval.js';

/**
 * Each operator against: a match, a non-match, a missing field, an explicit
 * null, a multi-valued field, and a case variant.
 */
type Row = [condition: string, event: Record<string, unknown>, expected: boolean];

const TABLE: Record<string, Row[]> = {
  '==': [
    ['x == "a"', { x: 'a' }, true],
    ['x == "a"', { x: 'b' }, false],
    ['x == "a"', {}, false],
    ['x == "a"', { x: null }, false],
    ['x == "a"', { x: ['b', 'a'] }, true],
    ['x == "a"', { x: 'A' }, false],
    ['x == "a*"', { x: 'abc' }, false],
    ['x == "a*"', { x: 'a*' }, true],
    ['x == 5', { x: 5 }, true],
    ['x == 5', { x: '5' }, true],
    ['x == 5', { x: 5.5 }, false],
    ['x == true', { x: true }, true],
  ],
  '!=': [
    ['x != "a"', { x: 'b' }, true],
    ['x != "a"', { x: 'a' }, false],
    ['x != "a"', {}, true],
    ['x != "a"', { x: null }, true],
    ['x != "a"', { x: ['a', 'b'] }, false],
    ['x != "a"', { x: 'A' }, true],
  ],
  '< <= > >=': [
    ['x > 5', { x: 6 }, true],
    ['x > 5', { x: 5 }, false],
    ['x >= 5', { x: 5 }, true],
    ['x < 4.5', { x: 4 }, true],
    ['x <= 4', { x: 4 }, true],
    ['x > 5', {}, false],
    ['x > 5', { x: null }, false],
    ['x > 5', { x: [1, 9] }, true],
    ['x > "b"', { x: 'c' }, true],
    ['x > "b"', { x: 'B' }, false],
    ['5 < x', { x: 6 }, true],
    ['x < -1', { x: -2 }, true],
  ],
  ':': [
    ['x : "abc"', { x: 'ABC' }, true],
    ['x : "abc"', { x: 'abd' }, false],
    ['x : "abc"', {}, false],
    ['x : "abc"', { x: null }, false],
    ['x : "abc"', { x: ['q', 'aBc'] }, true],
    ['x : "a*c"', { x: 'AxxC' }, true],
    ['x : ("q", "a?c")', { x: 'abc' }, true],
    ['x : "É"', { x: 'é' }, false],
  ],
  'like / like~': [
    ['x like "a*c"', { x: 'abbc' }, true],
    ['x like "a*c"', { x: 'ABBC' }, false],
    ['x like "a*c"', {}, false],
    ['x like "a*c"', { x: ['z', 'ac'] }, true],
    ['x like~ "a*c"', { x: 'ABBC' }, true],
    ['x like~ "a*c"', { x: 'ABBD' }, false],
  ],
  'regex / regex~': [
    ['x regex "a[bc]+"', { x: 'abcb' }, true],
    ['x regex "a[bc]+"', { x: 'xabc' }, false],
    ['x regex "a[bc]+"', {}, false],
    ['x regex "a[bc]+"', { x: ['q', 'ab'] }, true],
    ['x regex "a[bc]+"', { x: 'ABC' }, false],
    ['x regex~ "a[bc]+"', { x: 'ABC' }, true],
    ['x regex ("a.*", "b")', { x: 'b' }, true],
    ['x regex """^a.*"""', { x: 'abc' }, false],
    ['x regex """^a.*"""', { x: '^abc' }, true],
    ['x regex "a.c"', { x: 'a\nc' }, true],
    ['x regex """\\d+"""', { x: '123' }, true],
  ],
  'in / in~ / not in': [
    ['x in ("a", "b")', { x: 'b' }, true],
    ['x in ("a", "b")', { x: 'c' }, false],
    ['x in ("a", "b")', {}, false],
    ['x in ("a", "b")', { x: ['c', 'a'] }, true],
    ['x in ("a", "b")', { x: 'A' }, false],
    ['x in~ ("a", "b")', { x: 'A' }, true],
    ['x in~ ("a*")', { x: 'abc' }, false],
    ['x not in ("a", "b")', { x: 'c' }, true],
    ['x not in ("a", "b")', {}, true],
    ['x not in ("a", "b")', { x: ['c', 'a'] }, false],
    ['x in (1, 2)', { x: 2 }, true],
    ['x not in~ ("A")', { x: 'a' }, false],
    // On a computed value too, `not in` is `not (… in …)`: the negation stays outside the script.
    ['length(x) not in (4)', {}, true],
    ['length(x) not in (3)', { x: ['abc', 'de'] }, false],
    ['length(x) not in (4, null)', { x: 'abc' }, true],
    ['length(x) not in (3)', { x: 'abcd' }, true],
    ['length(x) not in (3)', { x: 'abc' }, false],
    ['string(x) not in~ ("a")', {}, true],
    ['string(x) not in~ ("a")', { x: ['A', 'b'] }, false],
    ['length("abc") not in (4)', {}, true],
    // A list of nulls only folds to null, and a null condition drops every event.
    ['x in (null)', { x: 'a' }, false],
    ['x not in (null)', { x: 'a' }, false],
    ['x not in (null, null)', {}, false],
    ['length(x) not in (null)', { x: 'a' }, false],
    ['not (x in (null))', { x: 'a' }, false],
    ['not x in (null)', {}, false],
    ['not not x in (null, null)', { x: null }, false],
  ],
  'and / or / not': [
    ['x == 1 and y == 2', { x: 1, y: 2 }, true],
    ['x == 1 and y == 2', { x: 1 }, false],
    ['x == 1 or y == 2', { y: 2 }, true],
    ['not (x > 1)', { x: 0 }, true],
    ['not (x > 1)', { x: 2 }, false],
    ['not (x > 1)', {}, true],
    ['not x : ("a", "b")', {}, true],
    ['not x : ("a", "b")', { x: 'A' }, false],
    ['not not x == 1', { x: 1 }, true],
  ],
  'null tests': [
    ['x == null', {}, true],
    ['x == null', { x: null }, true],
    ['x == null', { x: 1 }, false],
    ['x != null', { x: 1 }, true],
    ['x != null', {}, false],
    ['x != null', { x: [] }, false],
    ['null == (x > -1)', {}, true],
    ['null == (x > -1)', { x: 0 }, false],
    ['x > null', {}, false],
  ],
  'boolean fields': [
    ['x', { x: true }, true],
    ['x', { x: false }, false],
    ['x', {}, false],
    ['x', { x: [false, true] }, true],
    ['not x', {}, true],
    ['x == false', { x: false }, true],
  ],
  'arithmetic (scripts)': [
    ['x / 2 == 41', { x: 83 }, true],
    ['x / 2 == 41', { x: 84 }, false],
    ['66.0 / x == 1', { x: 66 }, true],
    ['66.0 / x == 1', { x: 67 }, false],
    ['x % -6 == 4', { x: 10 }, true],
    ['x % -6 == -4', { x: -10 }, true],
    ['x + 1 == 2', {}, false],
    ['not (x + 1 == 2)', {}, true],
    ['-x == -3', { x: 3 }, true],
    ['x * 2 > 5', { x: [1, 3] }, true],
    ['x / 0 == 1', { x: 3 }, false],
  ],
  'functions on fields': [
    ['startsWith(x, "ab")', { x: 'abc' }, true],
    ['startsWith(x, "AB")', { x: 'abc' }, false],
    ['startsWith~(x, "AB")', { x: 'abc' }, true],
    ['startsWith(x, "ab")', {}, false],
    ['not startsWith(x, "ab")', {}, true],
    ['endsWith(x, "bc")', { x: ['q', 'abc'] }, true],
    ['endsWith~(x, "BC")', { x: 'abc' }, true],
    ['stringContains(x, "b")', { x: 'abc' }, true],
    ['stringContains~(x, "B")', { x: 'abc' }, true],
    ['stringContains(x, "")', { x: 'abc' }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '10.6.48.157' }, true],
    ['cidrMatch(ip, "10.0.0.0/8", "192.168.0.0/16")', { ip: '192.168.1.1' }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '11.0.0.1' }, false],
    ['cidrMatch(ip, "2001:db8::/32")', { ip: '2001:db8:1::1' }, true],
    ['length(x) > 2', { x: ['a', 'abc'] }, true],
    ['length(x) == 0', { x: '' }, true],
    ['string(x) : "1*"', { x: 123 }, true],
    ['concat(x, "-", y) == "a-b"', { x: 'a', y: 'b' }, true],
    ['concat(x, "-", y) == "a-b"', { x: 'a' }, false],
  ],
};

describe.each(Object.entries(TABLE))('operator %s', (_name, rows) => {
  it.each(rows)('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });
});

describe('field access', () => {
  it.each([
    ['process.pid == 1', { process: { pid: 1 } }, true],
    ['process.pid == 1', { 'process.pid': 1 }, true],
    ['process.parent.pid == 1', { 'process.parent': { pid: 1 } }, true],
    ['process.parent.pid == 1', { process: { 'parent.pid': 1 } }, true],
    ['a.b == 2', { a: [{ b: 1 }, { b: 2 }] }, true],
    ['a.b == 3', { a: [{ b: 1 }, { b: 2 }] }, false],
    ['a.b.c == "x"', { a: [{ b: [{ c: 'y' }, { c: 'x' }] }] }, true],
    ['x == 1', { x: [[1]] }, true],
    ['`weird key` == 1', { 'weird key': 1 }, true],
  ])('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('reads %s as an ordinary missing field', (name) => {
    expect(matches(`\`${name}\` != null`, {})).toBe(false);
    expect(matches(`\`${name}\` == null`, {})).toBe(true);
    expect(matches(`a.\`${name}\` == null`, { a: {} })).toBe(true);
  });

  it('reads an own __proto__ key as data', () => {
    const event = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(matches('`__proto__`.x == 1', event)).toBe(true);
  });
});

describe('category', () => {
  it.each([
    ['process where true', { event: { category: 'process' } }, true],
    ['process where true', { event: { category: 'Process' } }, false],
    ['process where true', { event: { category: ['network', 'process'] } }, true],
    ['process where true', {}, false],
    ['any where true', {}, true],
    ['"my-cat" where true', { event: { category: 'my-cat' } }, true],
  ])('%s on %j is %s: exact, case-sensitive, any value', (query, event, expected) => {
    expect(compile(query).matches(event)).toBe(expected);
  });
});

describe('in, without a schema', () => {
  const lists = ['("1", 2, true)', '(1.0, "2.5", false)', '("a", "B", 0)', '(-0, 1e3, "1000")'];
  const values: unknown[] = ['1', 1, 2, '2', true, 'true', false, 'false', 1.0, 2.5, '2.5', 0, -0, '0', 'a', 'A', 'b', 'B', 1000, '1000', '1e3', null, [3, 'a'], [[2]]];
  it.each(lists)('x in %s matches what the or of its == comparisons matches', (list) => {
    const literals = list.slice(1, -1).split(', ');
    const or = literals.map((l) => `x == ${l}`).join(' or ');
    for (const x of values) {
      expect([x, matches(`x in ${list}`, { x })]).toEqual([x, matches(or, { x })]);
      expect([x, matches(`x not in ${list}`, { x })]).toEqual([x, matches(`not (${or})`, { x })]);
    }
  });
});
