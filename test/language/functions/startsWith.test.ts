/**
 * startsWith: the script is covered in test/compile/functions.test.ts; here,
 * the index query a call on a field with a constant prefix becomes
 * (Elasticsearch's prefix query), and where it differs from the script.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, matches, schemaOf } from './helpers.js';

describe('startsWith on a field: a prefix query', () => {
  it.each([
    ['startsWith(x, "ab")', { x: 'abc' }, true],
    ['startsWith(x, "ab")', { x: 'ab' }, true],
    ['startsWith(x, "ab")', { x: 'a' }, false],
    // Any value of an array; an absent or null field matches nothing, and `not` of it everything.
    ['startsWith(x, "ab")', { x: ['zz', 'abc'] }, true],
    ['startsWith(x, "ab")', { x: [] }, false],
    ['startsWith(x, "ab")', {}, false],
    ['startsWith(x, "ab")', { x: null }, false],
    ['not startsWith(x, "ab")', {}, true],
    ['not startsWith(x, "ab")', { x: ['abc', 'zz'] }, false],
    // The prefix is plain text, not a pattern.
    ['startsWith(x, "a*")', { x: 'abc' }, false],
    ['startsWith(x, "a*")', { x: 'a*c' }, true],
    ['startsWith(x, "a?")', { x: 'ab' }, false],
    // Numbers and booleans are compared by their keyword text.
    ['startsWith(x, "1")', { x: 12 }, true],
    ['startsWith(x, "1.5")', { x: 1.5 }, true],
    ['startsWith(x, "2.0")', { x: 2.0 }, false],
    ['startsWith(x, "t")', { x: true }, true],
    // A null prefix matches nothing; `not` of it everything.
    ['startsWith(x, null)', { x: 'abc' }, false],
    ['not startsWith(x, null)', { x: 'abc' }, true],
    ['startsWith(x, "")', { x: 'abc' }, true],
    ['startsWith(x, "")', {}, false],
    // Constants are evaluated first.
    ['startsWith(x, concat("a", "b"))', { x: 'abc' }, true],
    // `~` folds ASCII only on a field, Unicode in a script.
    ['startsWith~(x, "AB")', { x: 'abc' }, true],
    ['startsWith~(x, "É")', { x: 'éa' }, false],
    ['startsWith~(string(x), "É")', { x: 'éa' }, true],
    ['startsWith(x, "ab") == false', { x: 'zz' }, true],
    ['startsWith(x, "ab") == false', {}, true],
  ])('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each([
    ['startsWith(x, "ab")', { x: 'keyword' }, { x: 'abc' }, true],
    ['startsWith(x, "ab")', { x: 'text' }, { x: 'abc' }, true],
    ['startsWith(x, "ab")', { x: 'constant_keyword' }, { x: 'zz' }, false],
  ])('%s on a field typed %j, over %j, is %s', (condition, fields, event, expected) => {
    expect(matches(condition, event, schemaOf(fields))).toBe(expected);
  });

  it.each([
    ['startsWith(x, "a")', { x: 'ip' }, { code: 'EQL_TYPE', reason: 'first argument of [startsWith(x, "a")] must be [string], found value [x] type [ip]', column: 22 }],
    ['startsWith(x, "a")', { x: 'long' }, { code: 'EQL_TYPE', reason: 'first argument of [startsWith(x, "a")] must be [string], found value [x] type [integer]', column: 22 }],
    ['startsWith(x, 1)', { x: 'keyword' }, { code: 'EQL_TYPE', reason: 'second argument of [startsWith(x, 1)] must be [string], found value [1] type [integer]', column: 25 }],
    ['startsWith(x)', { x: 'keyword' }, { code: 'EQL_ARITY', reason: 'function [startsWith] expects exactly 2 arguments, found 1', column: 11 }],
  ])('%s on a field typed %j is refused', (condition, fields, error) => {
    expect(errorOf(condition, schemaOf(fields))).toEqual(error);
  });
});
