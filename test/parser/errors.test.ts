import { describe, expect, it } from 'vitest';
import { EqlInvalidArgumentError, EqlSyntaxError, MAX_NESTING_DEPTH, parse } from '../../src/index.js';

/** [query, line, column, what the message must say] */
const INVALID: Array<[string, number, number, RegExp]> = [
  ['process where x = 1', 1, 17, /'=' is not an operator: compare with '=='/],
  ['process where\n  x == 1 and\n  y = 2', 3, 5, /'=' is not an operator/],
  ["process where x == 'a'", 1, 20, /single-quoted strings are not supported/],
  ['process where x == ?"a"', 1, 20, /\?"…" strings are not supported/],
  ['process where x == "abc', 1, 20, /unterminated string/],
  ['"proc where x', 1, 1, /unterminated string/],
  ['process where x == "a\\qb"', 1, 22, /invalid escape sequence '\\q'/],
  ['process where x == "\\u{1}"', 1, 21, /at least 2 hex digits/],
  ['process where x == "\\u{110000}"', 1, 21, /not a valid code point/],
  ['process where x == "\\u{D800}"', 1, 21, /not a valid code point/],
  ['process where x == "\\u{zz}"', 1, 21, /invalid unicode escape/],
  ['process where x == 1 == 2', 1, 22, /comparisons cannot be chained/],
  ['process where x < 1 < 2', 1, 21, /comparisons cannot be chained/],
  ['process where', 1, 14, /expected an expression after 'where' but found the end of the query/],
  ['', 1, 1, /the query is empty/],
  ['   // only a comment', 1, 21, /the query is empty/],
  ['process where /* unterminated', 1, 15, /unterminated comment/],
  ['process x == 1', 1, 9, /expected 'where' but found 'x'/],
  ['where x == 1', 1, 1, /expected an event query .* but found 'where'/],
  ['process where x ==', 1, 19, /found the end of the query/],
  ['process where (x == 1', 1, 22, /expected '\)' but found the end of the query/],
  ['process where x == 1)', 1, 21, /unexpected '\)'/],
  ['process where x in 1, 2', 1, 20, /expected '\(' but found '1'/],
  ['process where x in ()', 1, 21, /unexpected '\)'/],
  ['process where x : y', 1, 19, /expected a literal or a parenthesised list of literals after ':' but found 'y'/],
  ['process where x like field', 1, 22, /expected a literal .* but found 'field'/],
  ['process where x !: "a"', 1, 17, /'!:' is not an operator: negate the match instead, as in 'not x : "a"'/],
  ['process where x ! "a"', 1, 17, /unexpected character '!'/],
  ['process where x # 1', 1, 17, /unexpected character '#'/],
  ['process where x ∈ (1)', 1, 17, /unexpected character '∈'/],
  ['process where x ~ "a"', 1, 17, /unexpected character '~'/],
  ['process where AND x', 1, 19, /write 'and'/],
  ['process where x LIKE "a"', 1, 17, /write 'like'/],
  ['process where x LIKE~ "a"', 1, 17, /write 'like~'/],
  ['process where x not like "a"', 1, 21, /expected an operator such as .* found 'like'/],
  ['process where sequence == 1', 1, 15, /'sequence' is a keyword: back-quote it/],
  ['sequence with maxspan=1s by a [a where true] [b where true]', 1, 26, /'by' must come before 'with maxspan'/],
  ['sequence [a where true] [b where true] with maxspan=1s', 1, 45, /'with maxspan' belongs right after 'sequence'/],
  ['sequence by a', 1, 14, /expected a stage '\[ … \]' but found the end of the query/],
  ['sequence', 1, 9, /expected a stage/],
  ['sample', 1, 7, /expected a stage/],
  ['sequence [a where true] [b where true] with fork=1', 1, 45, /unknown stage option 'fork'/],
  ['sequence [a where true] with runs=1.5', 1, 35, /runs must be a whole number/],
  ['sequence [a where true] [b where true] until ![c where true]', 1, 46, /not allowed in an 'until' stage/],
  ['sample by a ![a where true] [b where true]', 1, 13, /not allowed in a sample/],
  ['sequence [process where true] [file where true', 1, 47, /expected '\]' but found the end of the query/],
  ['process where x[0] == 1', 1, 16, /array indexes/],
  ['process where child of [process where true]', 1, 15, /process relationships \('child of'\)/],
  ['process where `` == 1', 1, 15, /cannot be empty/],
  ['process where x.`y', 1, 17, /unexpected character '`'/],
  ['any where x. == 1', 1, 14, /expected a field name/],
  ['process where f(x,)', 1, 19, /expected an expression after ',' but found '\)'/],
  ['process where f(,x)', 1, 17, /expected '\)' but found ','/],
  ['process where x == 1 |', 1, 23, /expected a name but found the end of the query/],
  ['process where x == 1 and', 1, 25, /expected an expression after 'and'/],
  ['process where x == "a" "b"', 1, 24, /unexpected '"b"'/],
  ['process where x == 1e999', 1, 20, /out of range/],
  ['sequence with maxspan=1.5s [a where true] [b where true]', 1, 23, /maxspan must be a whole number/],
  ['sequence with maxspan=0s [a where true] [b where true]', 1, 23, /maxspan must be positive/],
  ['sequence with maxspan=10 [a where true] [b where true]', 1, 23, /maxspan needs a time unit, such as 10s/],
  ['sequence with maxspan=10S [a where true] [b where true]', 1, 23, /unknown time unit 'S'/],
  ['sequence [a where true] with runs=101', 1, 10, /runs must be between 1 and 100; found 101/],
  ['sequence [a where true] with runs=0', 1, 10, /runs must be between 1 and 100; found 0/],
  ['sequence [a where true]', 1, 1, /at least 2 stages/],
  ['sequence [a where true] ![b where true]', 1, 25, /needs 'with maxspan'/],
  ['sequence with maxspan=1s ![a where true] ![b where true]', 1, 1, /at least one stage that is not a missing event/],
  ['sequence [a where true] by x [b where true]', 1, 30, /the same number of 'by' keys: the first has 1, this one 0/],
  ['sequence by x * 2 [a where true] [b where true]', 1, 13, /'by' keys must be fields/],
  ['sample [a where true] [b where true]', 1, 8, /a sample needs at least one 'by' key/],
  ['sample by x [a where true]', 1, 1, /a sample needs at least 2 stages/],
  ['sample by x [a where true] by x [b where true] by x', 1, 31, /'x' appears twice/],
  ['sample by x [a where true] [b where true] [c where true] [d where true] [e where true] [f where true]', 1, 88, /more than 5 stages/],
  ['process where true | heads 5', 1, 20, /unknown pipe 'heads'; did you mean 'head'\?/],
  ['process where true | HEAD 2', 1, 20, /pipe names are lower-case: write 'head'/],
  ['process where true | head', 1, 20, /'head' takes exactly one argument/],
  ['process where true | head -1', 1, 27, /'head' takes a whole number from 0/],
  ['process where true | head 2 - 3', 1, 27, /'head' takes a whole number from 0/],
  ['process where true | head 1.5 * 2', 1, 27, /'head' takes a whole number from 0/],
  ['process where true | head , 5', 1, 27, /unexpected ','/],
  ['process where true | unique , a', 1, 29, /unexpected ','/],
  ['sequence by -a [x where true] [y where true]', 1, 13, /'by' keys must be fields/],
  ['process where true | tail 1.5', 1, 27, /'tail' takes a whole number/],
  ['process where true | head 2147483648', 1, 27, /'head' takes a whole number from 0 to 2147483647/],
];

describe('syntax errors', () => {
  it('has a table of at least 40 invalid queries', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(40);
  });

  it.each(INVALID)('%j fails at %d:%d', (query, line, column, message) => {
    let error: unknown;
    try {
      parse(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlSyntaxError);
    const e = error as EqlSyntaxError;
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.reason).toMatch(message);
    // The offset agrees with the line and column.
    const lines = query.split('\n');
    const lineStart = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    expect(e.offset).toBe(lineStart + column - 1);
    // The code frame shows the line and puts the caret under the column.
    const frameLines = e.frame.split('\n');
    const caret = frameLines[frameLines.length - 1]!;
    const shown = frameLines[frameLines.length - 2]!;
    expect(shown).toContain((lines[line - 1] ?? '').trimEnd());
    expect(caret.indexOf('^') - caret.indexOf('|') - 2).toBe(column - 1);
    expect(e.message).toContain(`line ${line}:${column}`);
    expect(e.code).toMatch(/^EQL_/);
  });

  it('names its code', () => {
    const codeOf = (q: string) => {
      try {
        parse(q);
      } catch (e) {
        return (e as EqlSyntaxError).code;
      }
      return undefined;
    };
    expect(codeOf('process where x = 1')).toBe('EQL_SYNTAX');
    expect(codeOf('process where x == "\\q"')).toBe('EQL_INVALID_STRING');
    expect(codeOf('process where x[0] == 1')).toBe('EQL_UNSUPPORTED_SYNTAX');
    expect(codeOf(`process where ${'('.repeat(300)}x${')'.repeat(300)}`)).toBe('EQL_TOO_DEEP');
    expect(codeOf(`process where ${'('.repeat(101)}x${')'.repeat(101)}`)).toBe('EQL_TOO_DEEP');
  });
});

describe('nesting limits', () => {
  it.each([
    ['10,000 nested parentheses', `process where ${'('.repeat(10_000)}x == 1${')'.repeat(10_000)}`],
    ['10,000 nots', `process where ${'not '.repeat(10_000)}x`],
    ['10,000 unary minuses', `process where ${'-'.repeat(10_000)}x > 1`],
    ['10,000 unclosed brackets', `sequence ${'['.repeat(10_000)}`],
    ['nested function calls', `process where ${'f('.repeat(10_000)}x${')'.repeat(10_000)}`],
  ])('%s give an EqlSyntaxError, never a RangeError', (_what, query) => {
    expect(() => parse(query)).toThrow(EqlSyntaxError);
    try {
      parse(query);
    } catch (e) {
      expect((e as EqlSyntaxError).reason).toMatch(/nests more than/);
    }
  });

  it(`accepts nesting up to ${MAX_NESTING_DEPTH} levels`, () => {
    const depth = MAX_NESTING_DEPTH - 1;
    expect(parse(`process where ${'('.repeat(depth)}x == 1${')'.repeat(depth)}`).type).toBe('EventQuery');
  });

  it('rejects an arithmetic chain too long to walk recursively', () => {
    expect(() => parse(`process where ${Array(5000).fill('x').join(' + ')} > 1`)).toThrow(/nests more than/);
  });

  it('accepts long flat chains of and/or and long lists', () => {
    expect(parse(`process where ${Array(5000).fill('x == 1').join(' or ')}`).type).toBe('EventQuery');
    const list = Array.from({ length: 2600 }, (_, i) => `"*item${i}*"`).join(', ');
    expect(parse(`process where x : (${list})`).type).toBe('EventQuery');
  });
});

describe('parse: what it accepts', () => {
  it.each<[unknown, string]>([
    [42, 'a number (42)'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ type: 'EventQuery' }, 'an object'],
    [['any where true'], 'an array'],
  ])('refuses %j with an EqlInvalidArgumentError, a TypeError', (value, received) => {
    const call = () => parse(value as string);
    expect(call).toThrow(EqlInvalidArgumentError);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`parse(): source must be the query text (a string); got ${received}`);
    try {
      call();
    } catch (e) {
      expect(e).toMatchObject({ code: 'EQL_INVALID_ARGUMENT', functionName: 'parse', argument: 'source', received });
    }
  });
});
