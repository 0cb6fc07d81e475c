import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { evaluate } from '../helpers/eval.js';

/** [expression, expected value] — the edge cases of the suite README §3.8 and Elasticsearch's processors. */
const FUNCTIONS: Record<string, Array<[string, unknown]>> = {
  add: [
    ['add(4, 5)', 9],
    ['add(4, null)', null],
    ['add(1.5, 1)', 2.5],
  ],
  subtract: [
    ['subtract(-2, 4)', -6],
    ['subtract(10, 2.5)', 7.5],
  ],
  multiply: [
    ['multiply(2, 3)', 6],
    ['multiply(null, 3)', null],
    // A long has no negative zero; a double does.
    ['multiply(0, -1)', 0],
    ['multiply(0, -1.0)', -0],
  ],
  divide: [
    ['divide(7, 2)', 3],
    ['divide(-7, 2)', -3],
    ['divide(7.0, 2)', 3.5],
    ['divide(7, 0)', null],
  ],
  modulo: [
    ['modulo(10, 6)', 4],
    ['modulo(-10, -6)', -4],
    ['modulo(10, -6)', 4],
    ['modulo(-10, 6)', -4],
  ],
  between: [
    ['between("welcome to the planet", "welcome", "planet")', ' to the '],
    ['between("welcome to the planet", "welcome", "e")', ' to th'],
    ['between("welcome to the planet", "welcome", "e", true)', ' to the plan'],
    ['between~("System Idle Process", "s", "e")', 'yst'],
    ['between~("System Idle Process", "s", "e", true)', 'ystem Idle Proc'],
    ['between("System Idle Process", "s", "e")', 't'],
    ['between("abc", "x", "c")', ''],
    ['between("abc", "a", "x")', ''],
    ['between("", "a", "b")', ''],
    ['between("abc", "", "c")', 'abc'],
    ['between(null, "a", "b")', null],
  ],
  cidrMatch: [['cidrMatch(null, "10.0.0.0/8")', null]],
  concat: [
    ['concat("a", "b", "c")', 'abc'],
    ['concat("a", null)', null],
    ['concat(5, "x", true)', '5xtrue'],
    ['concat(42.5)', '42.5'],
    ['concat(2.0)', '2.0'],
    ['concat("a")', 'a'],
  ],
  endsWith: [
    ['endsWith("regsvr32.exe", ".exe")', true],
    ['endsWith("regsvr32.exe", ".EXE")', false],
    ['endsWith~("regsvr32.exe", ".EXE")', true],
    ['endsWith("", "")', true],
    ['endsWith(null, "a")', null],
    ['endsWith("a", null)', null],
  ],
  startsWith: [
    ['startsWith("regsvr32.exe", "regsvr")', true],
    ['startsWith("regsvr32.exe", "REGSVR")', false],
    ['startsWith~("regsvr32.exe", "REGSVR")', true],
    ['startsWith("abc", "")', true],
    ['startsWith(null, "a")', null],
  ],
  stringContains: [
    ['stringContains("regsvr32.exe", "svr")', true],
    ['stringContains~("regsvr32.exe", "Regsvr32")', true],
    ['stringContains("", "")', false],
    ['stringContains("abc", "")', false],
    ['stringContains(null, "a")', null],
  ],
  indexOf: [
    ['indexOf("foobarbaz", "o")', 1],
    ['indexOf("foobarbaz", "o", 2)', 2],
    ['indexOf("foobarbaz", "r")', 5],
    ['indexOf("foobarbaz", "L")', null],
    ['indexOf~("foobarbaz", "BAR")', 3],
    ['indexOf("foobarbaz", "o", -5)', 1],
    ['indexOf("foo", "o", 10)', null],
    ['indexOf("foo", "", 2)', 2],
    ['indexOf("foo", "")', 0],
    ['indexOf(null, "a")', null],
  ],
  length: [
    ['length("abc")', 3],
    ['length("")', 0],
    ['length(null)', null],
  ],
  number: [
    ['number("1234")', 1234],
    ['number(" 12 ")', 12],
    ['number("\\t12\\n")', 12],
    ['number("+314")', 314],
    ['number("-3.14")', -3.14],
    ['number("0x32")', 50],
    ['number("0x1337", 16)', 4919],
    ['number("052403", 8)', 21763],
    ['number("52403", 7)', 12890],
    ['number("ff", 16)', 255],
    ['number(null)', null],
  ],
  string: [
    ['string(true)', 'true'],
    ['string(5)', '5'],
    ['string(2.5)', '2.5'],
    ['string(null)', null],
    ['string("x")', 'x'],
  ],
  substring: [
    ['substring("hello world", 5, -1)', ' worl'],
    ['substring("hello world", -5)', 'world'],
    ['substring("hello world", -60, 5)', 'hello'],
    ['substring("hello world", 3, 9)', 'lo wor'],
    ['substring("hello world", 9, 3)', ''],
    ['substring("hello world", 100)', ''],
    ['substring("", 0, 1)', ''],
    ['substring(null, 1)', null],
    ['substring("abc", null, 2)', 'abc'],
  ],
};

describe.each(Object.entries(FUNCTIONS))('%s', (_name, rows) => {
  it.each(rows)('%s is %j', (expression, expected) => {
    expect(evaluate(expression)).toStrictEqual(expected);
  });
});

describe('functions over fields', () => {
  it('read the field value the event holds', () => {
    expect(evaluate('concat(a, "::", b)', { a: 'x', b: 7 })).toBe('x::7');
    expect(evaluate('length(process.name)', { process: { name: 'cmd.exe' } })).toBe(7);
    expect(evaluate('length(missing)', {})).toBe(null);
  });

  it.each([
    ['-0x1F', null, null],
    ['+0x1F', null, null],
    ['-0x1F', 16, null],
    ['-1F', 16, -31],
    ['0x1F', null, 31],
    // Java's trim leaves a no-break space, which Double.valueOf then refuses.
    ['\u00a05', null, null],
    ['5\u2003', null, null],
  ])('number(%j, %j) is %j: only an unsigned 0x is a prefix, as in Elasticsearch', (text, base, expected) => {
    expect(evaluate(base === null ? 'number(t)' : `number(t, ${base})`, { t: text })).toBe(expected);
  });

  it.each([
    ['10.6.48.157', '"10.6.48.157/8"', true],
    ['192.168.1.1', '"10.0.0.0/8", "192.168.0.0/16"', true],
    ['fe80::1', '"fe80::/10"', true],
    ['11.0.0.1', '"10.0.0.0/8"', false],
  ])('cidrMatch(ip) with ip %s in %s is %s', (ip, blocks, expected) => {
    expect(evaluate(`cidrMatch(ip, ${blocks})`, { ip })).toBe(expected);
  });

  // Elasticsearch's scripts read a field's values at each place it is named (Scripts.docValuesRewrite).
  it.each([
    ['concat(a, a) == "xy"', { a: ['x', 'y'] }, true],
    ['concat(a, a) == "xx"', { a: ['x', 'y'] }, true],
    ['length(concat(a, a)) == 5', { a: ['ab', 'abc'] }, true],
    ['x + x == 3', { x: [1, 2] }, true],
    ['x + x == 3', { x: [1, 1] }, false],
    ['x - x == 0', { x: [] }, false],
  ])('a field named twice in a script takes its values apart at each use: %s over %j is %s', (condition, fields, expected) => {
    expect(compile(`any where ${condition}`).matches({ '@timestamp': 1, event: { category: 'x' }, ...fields })).toBe(expected);
  });

  // ql's Comparisons order numbers with Double.compare: -0.0 < 0.0, NaN equal to itself and above all.
  it.each([
    ['x * -1.0 < 0', true],
    ['x * -1 < 0', false],
    ['-x < 0', false],
    ['-x == 0', true],
    ['divide(x, 0.0) > 1', true],
    ['divide(x, 0.0) != 1', true],
    ['divide(0, 0.0) == divide(0, 0.0)', true],
    ['divide(x, 0.0) < 1', false],
    ['modulo(-4, 2) == 0 and -4 % 2 < 1', true],
  ])('compare computed numbers in Java order: %s over x = 0 is %s', (condition, expected) => {
    expect(compile(`any where ${condition}`).matches({ '@timestamp': 1, event: { category: 'x' }, x: 0 })).toBe(expected);
  });

  it('match function names without regard to case', () => {
    expect(evaluate('CONCAT("a", "b")')).toBe('ab');
    expect(evaluate('StartsWith~("ABC", "a")')).toBe(true);
  });
});

describe('functions Elasticsearch refuses before it runs', () => {
  it.each([
    ['cidrMatch("10.1.2.3", "10.0.0.0/8")', /first argument of \[cidrMatch\("10\.1\.2\.3", "10\.0\.0\.0\/8"\)\] must be \[ip\], found value \["10\.1\.2\.3"\] type \[keyword\]/],
    ['cidrMatch(concat(a, ".1"), "10.0.0.0/8")', /must be \[ip\]/],
    ['number("-0x1F") == -31', /unable to convert \[-0x1F\]/],
  ])('%s', (condition, message) => {
    expect(() => compile(`any where ${condition}`)).toThrow(message);
  });
});
