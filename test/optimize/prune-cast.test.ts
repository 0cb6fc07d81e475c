/**
 * PruneCast: a cast of a field to the type it has is the field, anywhere in
 * a condition; nothing else is dropped.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { pruneCast } from '../../src/optimize/prune-cast.js';
import { applyRule, rewriteCondition, SCHEMA } from './helpers.js';

describe('PruneCast', () => {
  it.each([
    ['string(s) == "a"', 's == "a"'],
    ['endsWith(string(s), "?c")', 'endsWith(s, "?c")'],
    ['concat(string(s), "x") == "ax"', 'concat(s, "x") == "ax"'],
    ['string(string(s)) : "a*"', 's : "a*"'],
    ['string(n) == "5" and string(k) in ("a", "b")', 'string(n) == "5" and k in ("a", "b")'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteCondition(pruneCast, input, SCHEMA)).toBe(expected);
  });

  it.each([
    ['string(n) == "5"'],
    ['string(d) == "5.0"'],
    ['string(t) == "a"'],
    ['string(ip) == "10.0.0.1"'],
    ['string("a") == "a"'],
    ['string(?opt) == "a"'],
    ['number(s) == 5'],
    ['string(concat(s)) == "a"'],
    // `string~` does not exist: it stays for code generation to refuse.
    ['string~(s) == "a"'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(pruneCast, `any where ${input}`, SCHEMA).unchanged).toBe(true);
  });

  it('leaves every cast alone without a schema, which types no field', () => {
    expect(applyRule(pruneCast, 'any where string(s) == "a"').unchanged).toBe(true);
  });

  it('leaves a cast with `~` to be refused, on a keyword field too', () => {
    for (const field of ['s', 'n']) {
      expect(() => compile(`any where string~(${field}) == "a"`, { schema: SCHEMA })).toThrow(/function \[string\] has no case-insensitive variant '~'/);
    }
  });
});
