/**
 * stringContains: the script is covered in test/compile/functions.test.ts;
 * here, the index query a call on a field with a constant substring becomes
 * (Elasticsearch's wildcard query `*sub*`, from the raw argument), and where
 * it differs from the script.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, matches, schemaOf } from './helpers.js';

describe('stringContains on a field: a wildcard query', () => {
  it.each([
    ['stringContains(x, "svr")', { x: 'regsvr32.exe' }, true],
    ['stringContains(x, "SVR")', { x: 'regsvr32.exe' }, false],
    ['stringContains(x, "svr")', { x: ['a', 'regsvr32'] }, true],
    ['stringContains(x, "svr")', {}, false],
    ['not stringContains(x, "svr")', {}, true],
    // The argument is read as Lucene wildcard syntax.
    ['stringContains(x, "a*c")', { x: 'xabbcx' }, true],
    ['stringContains(string(x), "a*c")', { x: 'xabbcx' }, false],
    ['stringContains(x, "a?c")', { x: 'abc' }, true],
    // An empty substring: `**` matches any value on a field, while the script says false.
    ['stringContains(x, "")', { x: 'abc' }, true],
    ['stringContains(x, "")', { x: '' }, true],
    ['stringContains(string(x), "")', { x: 'abc' }, false],
    ['stringContains(x, "")', {}, false],
    ['stringContains(x, "2")', { x: 123 }, true],
    ['stringContains(x, null)', { x: 'abc' }, false],
    ['not stringContains(x, null)', { x: 'abc' }, true],
    // `~` folds ASCII only on a field, Unicode in a script.
    ['stringContains~(x, "SVR")', { x: 'regsvr32' }, true],
    ['stringContains~(x, "É")', { x: 'aéb' }, false],
    ['stringContains~(string(x), "É")', { x: 'aéb' }, true],
  ])('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each([
    ['stringContains(x, "a")', { x: 'version' }, { code: 'EQL_TYPE', reason: 'first argument of [stringContains(x, "a")] must be [string], found value [x] type [version]', column: 26 }],
    ['stringContains(x, "a")', { x: 'double' }, { code: 'EQL_TYPE', reason: 'first argument of [stringContains(x, "a")] must be [string], found value [x] type [double]', column: 26 }],
  ])('%s on a field typed %j is refused', (condition, fields, error) => {
    expect(errorOf(condition, schemaOf(fields))).toEqual(error);
  });
});
