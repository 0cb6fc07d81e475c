/**
 * endsWith: the script is covered in test/compile/functions.test.ts; here,
 * the index query a call on a field with a constant suffix becomes
 * (Elasticsearch's wildcard query `*suffix`, from the raw argument), and
 * where it differs from the script.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, matches, schemaOf } from './helpers.js';

describe('endsWith on a field: a wildcard query', () => {
  it.each([
    ['endsWith(x, ".exe")', { x: 'cmd.exe' }, true],
    ['endsWith(x, ".exe")', { x: 'cmd.EXE' }, false],
    ['endsWith(x, ".exe")', { x: ['a.dll', 'b.exe'] }, true],
    ['endsWith(x, ".exe")', {}, false],
    ['not endsWith(x, ".exe")', {}, true],
    ['not endsWith(x, ".exe")', { x: ['a.dll', 'b.exe'] }, false],
    // The argument is read as Lucene wildcard syntax: `*`, `?` and `\` act.
    ['endsWith(x, "*.exe")', { x: 'a.exe' }, true],
    ['endsWith(string(x), "*.exe")', { x: 'a.exe' }, false],
    ['endsWith(x, "?c")', { x: 'abc' }, true],
    ['endsWith(x, "?c")', { x: 'c' }, false],
    ['endsWith(x, "\\\\*")', { x: 'a*' }, true],
    ['endsWith(x, "\\\\*")', { x: 'ab' }, false],
    ['endsWith(x, "")', { x: 'abc' }, true],
    ['endsWith(x, "5")', { x: 1.5 }, true],
    ['endsWith(x, null)', { x: 'abc' }, false],
    ['not endsWith(x, null)', { x: 'abc' }, true],
    // `~` folds ASCII only on a field, Unicode in a script.
    ['endsWith~(x, ".EXE")', { x: 'cmd.exe' }, true],
    ['endsWith~(x, "É")', { x: 'aé' }, false],
    ['endsWith~(string(x), "É")', { x: 'aé' }, true],
  ])('%s on %j is %s', (condition, event, expected) => {
    expect(matches(condition, event)).toBe(expected);
  });

  it.each([
    ['endsWith(x, "a")', { x: 'date' }, { code: 'EQL_TYPE', reason: 'first argument of [endsWith(x, "a")] must be [string], found value [x] type [date]', column: 20 }],
    ['endsWith(x, "a")', { x: 'boolean' }, { code: 'EQL_TYPE', reason: 'first argument of [endsWith(x, "a")] must be [string], found value [x] type [boolean]', column: 20 }],
  ])('%s on a field typed %j is refused', (condition, fields, error) => {
    expect(errorOf(condition, schemaOf(fields))).toEqual(error);
  });
});
