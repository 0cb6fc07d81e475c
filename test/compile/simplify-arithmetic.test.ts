/**
 * Elasticsearch's optimizer moves arithmetic literals across a comparison
 * (`x + 1 != 5` is `x != 4`), which gives the condition a field comparison's
 * semantics when a field is left alone; the moves it refuses keep the
 * computed semantics.
 */
import { describe, expect, it } from 'vitest';
import { compile, schemaFromMapping } from '../../src/index.js';

const doubles = schemaFromMapping({ properties: { '@timestamp': { type: 'date' }, event: { properties: { category: { type: 'keyword' } } }, x: { type: 'double' } } });
const matches = (condition: string, fields: object, schema?: typeof doubles) =>
  compile(`any where ${condition}`, schema ? { schema } : {}).matches({ '@timestamp': 1, event: { category: 'x' }, ...fields });

describe('literals moved across a comparison, as Elasticsearch moves them', () => {
  it.each([
    // Moved: now a field comparison, so != matches a missing field and fails on any equal value.
    ['x + 1 != 5', {}, true],
    ['x + 1 != 5', { x: [4, 7] }, false],
    ['x + 1 != 5', { x: 7 }, true],
    ['add(x, 1) != 5', {}, true],
    ['x - 1 != 3', {}, true],
    ['x * 2 != 8', {}, true],
    ['-x != 5', {}, true],
    ['x * 2 + 1 != 9', { x: [4, 1] }, false],
    // A negative factor or a negation turns the comparison round.
    ['x * -2 < 8', { x: -3 }, true],
    ['x * -2 < 8', { x: -5 }, false],
    ['-x >= 3', { x: -3 }, true],
    ['-x >= 3', { x: -2 }, false],
    // Not moved: the computed comparison, which is false without a value.
    ['x * 2 != 7', {}, false],
    ['x / 2 != 2', {}, false],
    ['x % 2 != 1', {}, false],
    ['x + 1.5 != 5', {}, false],
    ['x + 1 != 5.5', {}, false],
    ['1 + x != 5', {}, false],
    ['length(s) + 1 != 5', {}, false],
  ])('%s over %j is %s', (condition, fields, expected) => {
    expect(matches(condition, fields)).toBe(expected);
  });

  it.each([
    // On a floating field + and - stay computed, and * and / move with a double result.
    ['x + 1 != 5', {}, false],
    ['x * 2 != 7', {}, true],
    ['x * 2 != 7', { x: 3.5 }, false],
    ['x / 2 != 2', {}, true],
  ])('on a double field, %s over %j is %s', (condition, fields, expected) => {
    expect(matches(condition, fields, doubles)).toBe(expected);
  });

  it('type-checks the arithmetic as written', () => {
    expect(() => compile('any where s + 1 != 5', { schema: schemaFromMapping({ properties: { '@timestamp': { type: 'date' }, s: { type: 'keyword' } } }) })).toThrow(/must be \[numeric\]/);
  });
});
