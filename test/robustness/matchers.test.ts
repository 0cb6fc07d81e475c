/** Wildcards and regexes from a query can never make matching slow. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, EqlSemanticError } from '../../src/index.js';
import { WildcardPattern } from '../../src/text/wildcard.js';
import { compileLuceneRegex } from '../../src/text/regex.js';
import { referenceWildcard } from '../helpers/reference-wildcard.js';

const SEED = 20261129;

describe('the wildcard matcher', () => {
  const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '/', '😀', '\n');
  it('equals a naive reference matcher', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 10 }), fc.array(fc.constantFrom('a', 'b', '\\', '/', '😀', '\n', '*'), { maxLength: 14 }), (p, t) => {
        expect(new WildcardPattern(p.join('')).matches(t.join(''))).toBe(referenceWildcard(p.join(''), t.join('')));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('does work linear in the text on any pattern (counted in steps, not time)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '*', '?'), { minLength: 1, maxLength: 16 }), fc.integer({ min: 1000, max: 20_000 }), (p, n) => {
        const pattern = p.join('');
        const text = `${'a'.repeat(n)}b`;
        const counter = { steps: 0 };
        new WildcardPattern(pattern).matches(text, counter);
        // Each segment scans the text at most once, each unit of a segment at most once per position.
        expect(counter.steps).toBeLessThanOrEqual((pattern.length + 2) * (text.length + 2));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers the classic pathological case in a few steps', () => {
    const counter = { steps: 0 };
    expect(new WildcardPattern('*a*a*a*a*a*a*b').matches('a'.repeat(10_000), counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual(7 * 10_001);
  });
});

describe('regular expressions', () => {
  it.each(['(a+)+b', '(a|a)*b', '(a*)*b', '((a+)+)+c', '(.*a){20}b'])('%s against a long input runs on the linear engine', (pattern) => {
    expect(compileLuceneRegex([pattern], false).matches('a'.repeat(20_000))).toBe(false);
  });

  it.each([
    ['backreference-like syntax is a literal in Lucene, so it matches literally', '(a)\\\\1', 'a1', true],
    ['^ is a character', '^a', '^a', true],
  ])('%s', (_what, pattern, text, expected) => {
    expect(compile(`any where x regex "${pattern}"`).matches({ x: text })).toBe(expected);
  });

  it.each(['a&b', '~a', '<1-9>', '<name>', '(?=a)', '[a', 'a{1001}'])('rejects %s at compile time with EqlSemanticError', (pattern) => {
    expect(() => compile(`any where x regex "${pattern}"`)).toThrow(EqlSemanticError);
  });
});
