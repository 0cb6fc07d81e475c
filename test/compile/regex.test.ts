import { describe, expect, it } from 'vitest';
import { compileLuceneRegex, luceneToRe2, RegexSyntaxError } from '../../src/compile/regex.js';
import { compile, EqlSemanticError } from '../../src/index.js';

const matches = (pattern: string, text: string, ci = false) => compileLuceneRegex([pattern], ci).matches(text);

describe('Lucene regular expressions', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'xabc', false],
    ['a.c', 'a\nc', true],
    ['a+b*', 'aaab', true],
    ['(ab)+', 'abab', true],
    ['a{2,3}', 'aaa', true],
    ['a{2,3}', 'aaaa', false],
    ['[a-c]+', 'abcab', true],
    ['[^a-c]+', 'xyz', true],
    ['[^a-c]+', 'xaz', false],
    ['a|b', 'b', true],
    ['"a.b"', 'a.b', true],
    ['"a.b"', 'axb', false],
    ['^a$', '^a$', true],
    ['^a', 'a', false],
    ['@', 'anything at all', true],
    ['a@', 'abc', true],
    ['#', '', false],
    ['\\d+', '123', true],
    ['\\w+\\s\\w+', 'net user', true],
    ['[\\d]+', '42', true],
    ['C:\\\\Windows\\\\.*', 'C:\\Windows\\x', true],
    ['.*?net1.*?', 'a net1 b', true],
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['()', '', true],
    ['x]', 'x]', true],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it('folds case with regex~', () => {
    expect(matches('abc', 'ABC', true)).toBe(true);
    expect(matches('abc', 'ABC', false)).toBe(false);
  });

  it.each([
    ['a&b', /intersection/],
    ['~a', /complement/],
    ['<1-5>', /numeric intervals/],
    ['(a', /missing '\)'/],
    ['[abc', /unterminated character class/],
    ['*a', /nothing to repeat/],
    ['a{x}', /repetition/],
    ['"abc', /unterminated quoted string/],
    ['a\\', /backslash/],
  ])('rejects %j', (pattern, message) => {
    expect(() => luceneToRe2(pattern)).toThrow(RegexSyntaxError);
    expect(() => luceneToRe2(pattern)).toThrow(message);
  });

  it('reports unsupported syntax as an EqlSemanticError at compile time', () => {
    expect(() => compile('any where x regex "a&b"')).toThrow(EqlSemanticError);
    let error: unknown;
    try {
      compile('any where x regex "~a"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlSemanticError);
    expect((error as EqlSemanticError).code).toBe('EQL_INVALID_REGEX');
    expect((error as EqlSemanticError).column).toBe(11);
    // Lucene reads \1 as the character 1, not a backreference.
    expect(compile('any where x regex "(a)\\\\1"').matches({ x: 'a1' })).toBe(true);
  });

  it('never backtracks: a nested quantifier on a long input answers at once', () => {
    expect(matches('(a+)+b', 'a'.repeat(10_000))).toBe(false);
    expect(matches('(a|a)*c', 'a'.repeat(5_000))).toBe(false);
    expect(matches('(a+)+b', `${'a'.repeat(10_000)}b`)).toBe(true);
  });
});
