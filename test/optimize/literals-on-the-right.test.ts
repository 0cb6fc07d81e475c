/**
 * LiteralsOnTheRight: a comparison of a constant with what is not one is
 * turned round, the operator mirrored; in the leaves of a condition only.
 */
import { describe, expect, it } from 'vitest';
import { literalsOnTheRight } from '../../src/optimize/literals-on-the-right.js';
import type * as A from '../../src/parser/ast.js';
import { applyRule, rewriteCondition, SCHEMA } from './helpers.js';

describe('LiteralsOnTheRight', () => {
  it.each([
    ['5 < x', 'x > 5'],
    ['5 <= x', 'x >= 5'],
    ['5 > x', 'x < 5'],
    ['5 >= x', 'x <= 5'],
    ['"a" == x', 'x == "a"'],
    ['"a" != x', 'x != "a"'],
    ['1 + 2 > x', 'x < 1 + 2'],
    ['length("ab") == x', 'x == length("ab")'],
    ['-5 < x + 1', 'x + 1 > -5'],
    ['not 5 < x', 'not x > 5'],
    ['5 < x or (6 > y and "a" == z)', 'x > 5 or y < 6 and z == "a"'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteCondition(literalsOnTheRight, input)).toBe(expected);
  });

  it('takes an optional field the schema lacks for a constant', () => {
    expect(rewriteCondition(literalsOnTheRight, '?opt == s', SCHEMA)).toBe('s == ?opt');
  });

  it('keeps the locations of the comparison and of both sides', () => {
    const { query } = applyRule(literalsOnTheRight, 'any where 5 < x');
    const c = (query as A.EventQuery).filter.condition as A.Comparison;
    expect(c.location).toMatchObject({ start: { column: 11 }, end: { column: 16 } });
    expect(c.left.location.start.column).toBe(15);
    expect(c.right.location.start.column).toBe(11);
  });

  it.each([
    ['x < 5'],
    ['5 < 6'],
    ['x < y'],
    // A constant that does not evaluate stays, for code generation to report where it is.
    ['length(1) < x'],
    // Inside a script nothing turns round.
    ['concat(5 < x) == "true"'],
    ['x in (1, 2)'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(literalsOnTheRight, `any where ${input}`).unchanged).toBe(true);
  });

  it('leaves a comparison with a known optional field alone', () => {
    expect(applyRule(literalsOnTheRight, 'any where ?s == "a"', SCHEMA).unchanged).toBe(true);
  });
});
