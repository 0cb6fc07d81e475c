import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { foldAscii } from '../../src/semantics/case-folding.js';
import { compileLuceneRegex, luceneToRe2, RegexSyntaxError } from '../../src/text/regex.js';
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

describe('required texts of a regex', () => {
  it.each<[string, boolean, string[] | null]>([
    ['.*[ ]{20,}.*', false, [' '.repeat(20)]],
    ['([^ ]+[ ]{3,}[^ ]*){3,}.*', false, ['   ']],
    ['.*cmd\\.exe', false, ['cmd.exe']],
    ['"a.b"x+', false, ['a.b']],
    ['(ab){2}c', false, ['ababc']],
    ['a|b', false, null],
    ['.*(foo|bar).*', false, null],
    ['a*', false, null],
    // Case-insensitive: ASCII-folded, unless a k or an s could stand for a character outside ASCII.
    ['.*\\\\Temp\\\\.*', true, ['\\temp\\']],
    ['.*task.*', true, null],
    ['.*ABC.*', true, ['abc']],
    // Alternatives share what all of them require.
    ['(C:\\\\Program Files \\(x86\\)\\\\|C:\\\\Program Files\\\\)\\w+.exe', false, ['C:\\Program Files']],
    ['(abc|xbcy)z', false, ['bc']],
    ['[0-9]{1,3}\\.[0-9]{1,3}', false, ['.']],
  ])('%s (case-insensitive: %s) needs %j', (pattern, ci, needles) => {
    expect(compileLuceneRegex([pattern], ci).needles).toEqual(needles);
  });

  it('never rules out a text the regex matches', () => {
    // Patterns from a small grammar over a small alphabet, against texts over it.
    // Characters outside the BMP (two UTF-16 units, some with case) test the length bounds.
    const atom = fc.oneof(
      fc.constantFrom(
        'a',
        'b',
        'k',
        's',
        ' ',
        '.',
        '[ ]',
        '[ab]',
        '[^a]',
        '\\d',
        '\\w',
        '"ab"',
        '()',
        '@',
        '#',
        '(ab|xb)',
        '(a|b)',
        '\u{1F600}',
        '[a\u{1F600}]',
        '[a-\u{1F600}]',
        '\u{10400}',
        '"\u{10428}b"',
      ),
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{2,}', '{0}')).map(([a, r]) => a + r);
    const seq = fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join(''));
    const pattern = fc.oneof(
      seq,
      fc.tuple(seq, seq).map(([x, y]) => `(${x})+${y}`),
      fc.tuple(seq, seq).map(([x, y]) => `${x}|${y}`),
    );
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1', 'A', 'k', 'K', 's', 'S', '\u212a', '\u017f', 'x', '\u{1F600}', '\u{10400}', '\u{10428}', '\ud83d'), maxLength: 10 });
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 20 }), fc.boolean(), (p, texts, ci) => {
        const plain = RE2JS.compile(`^(?:${luceneToRe2(p)})$`, RE2JS.DOTALL | (ci ? RE2JS.CASE_INSENSITIVE : 0));
        const compiled = compileLuceneRegex([p], ci);
        for (const t of texts) {
          const want = plain.matches(t);
          expect(compiled.matches(t)).toBe(want);
          const seen = ci ? foldAscii(t) : t;
          if (want && compiled.needles) expect(compiled.needles.some((n) => seen.includes(n))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
