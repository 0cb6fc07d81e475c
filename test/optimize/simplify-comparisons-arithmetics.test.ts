/**
 * SimplifyComparisonsArithmetics: integer literals of arithmetic move across
 * a comparison when that leaves a field alone on the left, with the moves
 * Elasticsearch refuses refused; and only what type-checks as written moves.
 * (test/compile/simplify-arithmetic.test.ts checks what the moves do to answers.)
 */
import { describe, expect, it } from 'vitest';
import type * as A from '../../src/parser/ast.js';
import { simplifyComparisonsArithmetics } from '../../src/optimize/simplify-comparisons-arithmetics.js';
import { applyRule, rewriteCondition, SCHEMA } from './helpers.js';

describe('SimplifyComparisonsArithmetics', () => {
  it.each([
    ['n + 1 != 5', 'n != 4'],
    ['n - 1 < 3', 'n < 4'],
    ['n * 2 == 8', 'n == 4'],
    ['n * 2 < -8', 'n < -4'],
    ['-n >= 3', 'n <= -3'],
    ['+n >= 3', 'n >= 3'],
    ['add(n, 1) > 5', 'n > 4'],
    ['subtract(n, 1) > 5', 'n > 6'],
    ['multiply(n, 3) <= 9', 'n <= 3'],
    ['n * 2 + 1 != 9', 'n != 4'],
    ['n + 1 != -5', 'n != -6'],
    ['n + 1 == 2 + 3', 'n == 4'],
    ['n + 1 == 1', 'n == 0'],
    // On a floating field, * and / move with a double result.
    ['d * 2 != 7', 'd != 3.5'],
    ['d * 2 != 8', 'd != 4.0'],
    ['d / 2 < 2', 'd < 4.0'],
    ['divide(d, 2) < -2', 'd < -4.0'],
    ['a and n + 1 == 5 or not n - 1 > 0', 'a and n == 4 or not n > 1'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteCondition(simplifyComparisonsArithmetics, input, SCHEMA)).toBe(expected);
  });

  it('moves on a field without a type, as on an integer', () => {
    expect(rewriteCondition(simplifyComparisonsArithmetics, 'x + 1 != 5')).toBe('x != 4');
    expect(rewriteCondition(simplifyComparisonsArithmetics, 'x * 2 < 9')).toBe('x * 2 < 9');
  });

  it('puts the moved value where the constant was', () => {
    const { query } = applyRule(simplifyComparisonsArithmetics, 'any where n + 1 != 5', SCHEMA);
    const c = (query as A.EventQuery).filter.condition as A.Comparison;
    expect(c.location).toMatchObject({ start: { column: 11 }, end: { column: 21 } });
    expect(c.left).toMatchObject({ type: 'Field', location: { start: { column: 11 } } });
    expect(c.right).toMatchObject({ type: 'Number', value: 4, integer: true, location: { start: { column: 20 } } });
  });

  it.each([
    ['n % 2 == 1'],
    ['n + 1.5 == 5'],
    ['n + 1 == 5.5'],
    // + and - on a floating field, an integer division, a * that does not divide, a * by 0.
    ['d + 1 == 5'],
    ['n / 2 == 2'],
    ['n * 2 == 7'],
    ['n * 0 == 0'],
    // Only literals on the right of the arithmetic move.
    ['1 + n == 5'],
    ['length(s) + 1 == 5'],
    // What does not type-check as written stays, for code generation to refuse.
    ['s + 1 == 5'],
    ['b * 2 == 4'],
    ['add~(n, 1) == 5'],
    // The comparison needs a number to move to.
    ['n + 1 == uid'],
    ['n + 1 == null'],
    ['n + 1 == "5"'],
    ['?opt + 1 == 5'],
    // A negative literal is a `-` of a literal, and does not move (as before the rules had files).
    ['n * -2 < 8'],
    ['n + -1 < 8'],
    // A result beyond a long's exact range.
    ['n - 1 == 9007199254740991'],
    ['n == 5'],
    // Inside a script nothing moves.
    ['concat(n + 1 == 5) == "true"'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(simplifyComparisonsArithmetics, `any where ${input}`, SCHEMA).unchanged).toBe(true);
  });
});
