import { describe, expect, it } from 'vitest';
import { compile, EqlSemanticError, type Schema } from '../../src/index.js';

const schema: Schema = {
  'event.category': 'keyword',
  '@timestamp': 'date',
  'process.name': 'keyword',
  'process.pid': 'long',
  'source.ip': 'ip',
  flag: 'boolean',
  obj: 'object',
};

/** [query, code, message, column] */
const ERRORS: Array<[string, string, RegExp, number]> = [
  ['any where foo(x)', 'EQL_UNKNOWN_FUNCTION', /unknown function \[foo\]/, 11],
  ['any where arrayContains(x, 1)', 'EQL_UNKNOWN_FUNCTION', /only in Endgame EQL/, 11],
  ['any where startswith(x)', 'EQL_ARITY', /expects exactly 2 arguments, found 1/, 11],
  ['any where between(x, "a")', 'EQL_ARITY', /expects 3 to 4 arguments/, 11],
  ['any where cidrMatch(x)', 'EQL_ARITY', /expects at least 2 arguments/, 11],
  ['any where length~(x) == 1', 'EQL_UNSUPPORTED', /no case-insensitive variant/, 11],
  ['any where x == y', 'EQL_FIELD_COMPARISON', /comparisons against fields are not supported; offender \[y\] in \[==\]/, 16],
  ['any where x < y + 1', 'EQL_FIELD_COMPARISON', /offender \[y \+ 1\]/, 15],
  ['any where x in ("a", y)', 'EQL_FIELD_COMPARISON', /offender \[y\]/, 22],
  ['any where x : 1', 'EQL_TYPE', /second argument of \[x : 1\] must be \[string\], found value \[1\] type \[integer\]/, 15],
  ['any where length(1) == 1', 'EQL_TYPE', /first argument of \[length\(1\)\] must be \[string\]/, 18],
  ['any where substring("a", "b") == "a"', 'EQL_TYPE', /second argument .* must be \[integer\]/, 26],
  ['any where "a" + 1 == 2', 'EQL_TYPE', /must be \[numeric\]/, 11],
  ['any where 1', 'EQL_NOT_BOOLEAN', /needs to be boolean, found \[INTEGER\]/, 11],
  ['any where x + 1', 'EQL_NOT_BOOLEAN', /needs to be boolean/, 11],
  ['any where length(x)', 'EQL_NOT_BOOLEAN', /needs to be boolean, found \[INTEGER\]/, 11],
  ['any where length(x) + 1.5', 'EQL_NOT_BOOLEAN', /needs to be boolean, found \[DOUBLE\]/, 11],
  ['any where number(x)', 'EQL_NOT_BOOLEAN', /needs to be boolean, found \[DOUBLE\]/, 11],
  // number() is declared a double: it fits no integer parameter.
  ['any where substring(x, number("1")) == "b"', 'EQL_TYPE', /second argument of \[substring\(x, number\("1"\)\)\] must be \[integer\], found value \[number\("1"\)\] type \[double\]/, 24],
  ['any where indexOf(x, "b", number("0")) == 1', 'EQL_TYPE', /third argument .* must be \[integer\]/, 27],
  ['any where number("abc") == 1', 'EQL_INVALID_VALUE', /unable to convert \[abc\]/, 11],
  ['any where cidrMatch(x, "nonsense")', 'EQL_INVALID_VALUE', /not a valid CIDR/, 24],
  ['any where true | count', 'EQL_UNSUPPORTED', /pipe \[count\] is not supported/, 16],
  ['any where true | unique x', 'EQL_UNSUPPORTED', /pipe \[unique\] is not supported/, 16],
  ['join [a where true] [b where true]', 'EQL_UNSUPPORTED', /join is not supported/, 1],
];

/** The same, with a schema: unknown fields and field types are checked. */
const SCHEMA_ERRORS: Array<[string, string, RegExp, number]> = [
  ['process where nope == 1', 'EQL_UNKNOWN_FIELD', /unknown field \[nope\]/, 15],
  ['process where process.nam == "x"', 'EQL_UNKNOWN_FIELD', /did you mean \[process.name\]\?/, 15],
  ['process where process.pid : "1*"', 'EQL_TYPE', /first argument of \[:\] must be \[string\], found value \[process.pid\] type \[long\]; consider using \[==\] instead/, 15],
  ['process where process.pid in~ (1)', 'EQL_TYPE', /consider using \[in\] instead/, 15],
  ['process where process.pid == "abc"', 'EQL_INVALID_VALUE', /is not a number/, 30],
  ['process where source.ip == "not-an-ip"', 'EQL_INVALID_VALUE', /not an IP address/, 28],
  ['process where process.name', 'EQL_NOT_BOOLEAN', /found \[KEYWORD\]/, 15],
  ['process where obj == 1', 'EQL_TYPE', /type \[object\]/, 15],
  ['process where cidrMatch(process.name, "10.0.0.0/8")', 'EQL_TYPE', /must be \[ip\]/, 25],
  ['process where @timestamp == "yesterday"', 'EQL_INVALID_VALUE', /not a date/, 29],
];

function errorOf(query: string, withSchema: boolean): EqlSemanticError {
  try {
    compile(query, withSchema ? { schema } : {});
  } catch (e) {
    if (e instanceof EqlSemanticError) return e;
    throw e;
  }
  throw new Error(`no error for ${query}`);
}

describe('semantic errors', () => {
  it.each(ERRORS)('%s → %s', (query, code, message, column) => {
    const e = errorOf(query, false);
    expect(e.code).toBe(code);
    expect(e.reason).toMatch(message);
    expect(e.column).toBe(column);
    expect(e.line).toBe(1);
    expect(e.frame).toContain('^');
  });

  it.each(SCHEMA_ERRORS)('with a schema, %s → %s', (query, code, message, column) => {
    const e = errorOf(query, true);
    expect(e.code).toBe(code);
    expect(e.reason).toMatch(message);
    expect(e.column).toBe(column);
  });

  it('has no code frame for an AST compiled without its text', async () => {
    const { parse } = await import('../../src/index.js');
    try {
      compile(parse('any where foo(x)'));
      expect.unreachable();
    } catch (e) {
      expect((e as EqlSemanticError).frame).toBeNull();
      expect((e as EqlSemanticError).line).toBe(1);
    }
  });
});

describe('optional fields', () => {
  it('become null when the schema does not know them', () => {
    expect(compile('process where ?nope == null', { schema }).matches({ event: { category: 'process' } })).toBe(true);
    expect(compile('process where ?nope == 1', { schema }).matches({ event: { category: 'process' }, nope: 1 })).toBe(false);
    expect(compile('process where ?nope != null', { schema }).matches({ event: { category: 'process' }, nope: 1 })).toBe(false);
  });

  it('act as ordinary fields when the schema knows them', () => {
    expect(compile('process where ?process.pid == 1', { schema }).matches({ event: { category: 'process' }, process: { pid: 1 } })).toBe(true);
  });

  it('make every mention of the name optional', () => {
    expect(compile('process where ?nope == null and nope == null', { schema }).matches({ event: { category: 'process' } })).toBe(true);
  });
});
