/**
 * What the rules, run as Elasticsearch runs them, mean for answers where the
 * form of the optimized query shows: a null test's `!=` inside its script,
 * a boolean comparison taken off before the condition folds, the batch
 * order between BooleanFunctionEqualsElimination and PruneCast.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { SCHEMA } from './helpers.js';

const event = { '@timestamp': 1, event: { category: 'process' } };

describe('answers of optimized conditions', () => {
  it.each([
    // `!= null` on a computed value is one script: true when some combination of values is not null.
    ['indexOf(x, "a") != null', { x: ['a', 'b'] }, true],
    ['null != indexOf(x, "a")', { x: ['a', 'b'] }, true],
    // A written `not` stays outside: true when no combination is null.
    ['not indexOf(x, "a") == null', { x: ['a', 'b'] }, false],
    ['not indexOf(x, "a") == null', { x: ['a', 'ba'] }, true],
    // On a field, a null test asks whether it holds a value.
    ['x != null', { x: [] }, false],
    ['x == null', {}, true],
    // A condition that folds to null, compared with false, is null: it matches nothing, as
    // Elasticsearch's constant folding makes it (the `not` that takes off `== false` folds too).
    ['(not null) == false', { x: 1 }, false],
    ['(x in (null)) == false', { x: 1 }, false],
    ['(x in (null, null)) != true', {}, false],
  ])('%s over %j is %s', (condition, fields, expected) => {
    expect(compile(`any where ${condition}`).matches({ ...event, ...fields })).toBe(expected);
  });

  it('takes `== true` off a cast before dropping the cast, so the field is the condition', () => {
    expect(() => compile('any where true == string(s)', { schema: SCHEMA })).toThrow(/condition expression needs to be boolean, found \[KEYWORD\]: s/);
    // Where the cast stays (a long field), the call is the condition, and is no boolean either.
    expect(() => compile('any where string(n) == true', { schema: SCHEMA })).toThrow(/found \[KEYWORD\]: string\(n\)/);
  });
});
