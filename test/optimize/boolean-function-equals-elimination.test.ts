/**
 * BooleanFunctionEqualsElimination: a boolean function compared with true
 * or false is the function or its `not`; in the leaves of a condition only.
 */
import { describe, expect, it } from 'vitest';
import { booleanFunctionEqualsElimination } from '../../src/optimize/boolean-function-equals-elimination.js';
import { applyRule, rewriteCondition } from './helpers.js';

describe('BooleanFunctionEqualsElimination', () => {
  it.each([
    ['(x == 1) == true', 'x == 1'],
    ['(x == 1) != true', 'not x == 1'],
    ['(x == 1) == false', 'not x == 1'],
    ['(x == 1) != false', 'x == 1'],
    ['true == startsWith(x, "a")', 'startsWith(x, "a")'],
    ['false == (x : "a*")', 'not x : "a*"'],
    ['(x in (1, 2)) == true', 'x in (1, 2)'],
    ['(a or b) == false', 'not (a or b)'],
    ['(a and b) == true', 'a and b'],
    ['(not a) != false', 'not a'],
    ['length(x) == true', 'length(x)'],
    ['a and (x < 2) == false', 'a and not x < 2'],
    // One run takes off one comparison: the batch runs again until nothing changes.
    ['((x == 1) == true) == true', '(x == 1) == true'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteCondition(booleanFunctionEqualsElimination, input)).toBe(expected);
  });

  it.each([
    ['x == true'],
    ['true == x'],
    ['1 == true'],
    ['length(x) == 1'],
    ['(x == 1) < true'],
    ['(x == 1) == null'],
    // Inside a script nothing is taken off.
    ['concat((x == 1) == true) == "true"'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(booleanFunctionEqualsElimination, `any where ${input}`).unchanged).toBe(true);
  });
});
