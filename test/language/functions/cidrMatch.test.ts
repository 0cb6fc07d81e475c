/**
 * cidrMatch: the script is covered in test/compile/functions.test.ts; here,
 * the index query a call on a field becomes (a terms query on an ip field),
 * and the checks of the blocks and of the field.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, matches, schemaOf } from './helpers.js';

describe('cidrMatch on a field: a terms query on an ip field', () => {
  it.each([
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '10.6.48.157' }, true],
    ['cidrMatch(ip, "10.6.48.157/8")', { ip: '10.1.1.1' }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '11.0.0.1' }, false],
    ['cidrMatch(ip, "10.0.0.0/8", "192.168.0.0/16")', { ip: '192.168.1.1' }, true],
    ['cidrMatch(ip, "10.1.2.3")', { ip: '10.1.2.3' }, true],
    ['cidrMatch(ip, "2001:db8::/32")', { ip: '2001:db8:1::1' }, true],
    ['cidrMatch(ip, "::ffff:0:0/96")', { ip: '10.1.2.3' }, true],
    // Any value of an array; values that are not addresses fail; an absent field matches nothing.
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: ['1.1.1.1', '10.1.1.1'] }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: 'not an address' }, false],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: 10 }, false],
    ['cidrMatch(ip, "10.0.0.0/8")', {}, false],
    ['not cidrMatch(ip, "10.0.0.0/8")', {}, true],
    ['cidrMatch(ip, "10.0.0.0/8") == false', { ip: '11.0.0.1' }, true],
    // A null block makes the query match nothing.
    ['cidrMatch(ip, null)', { ip: '10.1.1.1' }, false],
    ['cidrMatch(ip, "10.0.0.0/8", null)', { ip: '10.1.1.1' }, false],
    ['not cidrMatch(ip, "10.0.0.0/8", null)', { ip: '10.1.1.1' }, true],
    // In a script (here under `==`, with a computed other side) a null block gives null past the blocks before it.
    ['cidrMatch(ip, "10.0.0.0/8", null) == (1 == 1)', { ip: '10.1.1.1' }, true],
  ])('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it('runs on an ip field', () => {
    expect(matches('cidrMatch(ip, "10.0.0.0/8")', { ip: '10.0.0.1' }, schemaOf({ ip: 'ip' }))).toBe(true);
    expect(matches('cidrMatch(ip, "10.0.0.0/8")', { ip: '11.0.0.1' }, schemaOf({ ip: 'ip' }))).toBe(false);
  });

  it.each([
    ['cidrMatch(ip, "10.0.0.0/33")', {}, { code: 'EQL_INVALID_VALUE', reason: '[10.0.0.0/33] is not a valid CIDR block or IP address', column: 25 }],
    ['cidrMatch(ip, "10.0.0.0/8", "x")', {}, { code: 'EQL_INVALID_VALUE', reason: '[x] is not a valid CIDR block or IP address', column: 39 }],
    ['cidrMatch(ip, other)', {}, { code: 'EQL_TYPE', reason: 'second argument of [cidrMatch(ip, other)] must be a constant', column: 25 }],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: 'keyword' }, { code: 'EQL_TYPE', reason: 'first argument of [cidrMatch(ip, "10.0.0.0/8")] must be [ip], found value [ip] type [keyword]', column: 21 }],
    ['cidrMatch(ip, null)', { ip: 'keyword' }, null],
    ['cidrMatch(ip, 10)', {}, { code: 'EQL_TYPE', reason: 'second argument of [cidrMatch(ip, 10)] must be [string], found value [10] type [integer]', column: 25 }],
    ['cidrMatch(ip)', {}, { code: 'EQL_ARITY', reason: 'function [cidrMatch] expects at least 2 arguments, found 1', column: 11 }],
    ['cidrMatch~(ip, "10.0.0.0/8")', {}, { code: 'EQL_UNSUPPORTED', reason: "function [cidrMatch] has no case-insensitive variant '~'", column: 11 }],
  ])('%s (fields typed %j) is refused as Elasticsearch refuses it', (condition, fields, error) => {
    expect(errorOf(condition, Object.keys(fields).length > 0 ? schemaOf(fields) : undefined)).toEqual(error);
  });
});
