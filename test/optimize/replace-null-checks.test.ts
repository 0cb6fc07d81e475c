/**
 * ReplaceNullChecks: `== null` and `!= null` become null tests, on either
 * side, in a condition and inside scripts; nothing else does.
 */
import { describe, expect, it } from 'vitest';
import { replaceNullChecks } from '../../src/optimize/replace-null-checks.js';
import type * as A from '../../src/parser/ast.js';
import { applyRule, rewriteCondition, SCHEMA } from './helpers.js';

const condition = (q: A.Query): A.Expression => (q as A.EventQuery).filter.condition;

describe('ReplaceNullChecks', () => {
  it.each([
    // The printer shows a null test as the comparison it stands for, with the null on the right.
    ['x == null', 'x == null'],
    ['null == x', 'x == null'],
    ['x != null', 'x != null'],
    ['null != x', 'x != null'],
    ['length(x) == null', 'length(x) == null'],
    ['null == null', 'null == null'],
    ['not x == null and y != null', 'not x == null and y != null'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteCondition(replaceNullChecks, input)).toBe(expected);
  });

  it.each([
    ['x == null', { type: 'IsNull', negated: false, operand: { type: 'Field', path: ['x'] } }],
    ['null != x', { type: 'IsNull', negated: true, operand: { type: 'Field', path: ['x'] } }],
    ['length(x) != null', { type: 'IsNull', negated: true, operand: { type: 'FunctionCall', name: 'length' } }],
    // Inside a script too.
    ['concat(x == null) == "true"', { type: 'Comparison', left: { type: 'FunctionCall', args: [{ type: 'IsNull', negated: false }] } }],
    // `not x == null` keeps its `not` apart from the test: Elasticsearch runs it outside a script.
    ['not x == null', { type: 'Not', operand: { type: 'IsNull', negated: false } }],
  ])('%s is the null test %j', (input, shape) => {
    expect(condition(applyRule(replaceNullChecks, `any where ${input}`).query)).toMatchObject(shape);
  });

  it('takes an optional field the schema lacks for null, on either side', () => {
    expect(rewriteCondition(replaceNullChecks, 's == ?opt', SCHEMA)).toBe('s == null');
    expect(rewriteCondition(replaceNullChecks, '?opt != s', SCHEMA)).toBe('s != null');
    expect(condition(applyRule(replaceNullChecks, 'any where s == ?opt', SCHEMA).query)).toMatchObject({ type: 'IsNull', operand: { path: ['s'] } });
  });

  it('keeps the location of the comparison', () => {
    const { query } = applyRule(replaceNullChecks, 'any where  null == x');
    expect(condition(query).location).toMatchObject({ start: { column: 12 }, end: { column: 21 } });
  });

  it.each([
    ['x < null'],
    ['x >= null'],
    // Only a null literal (or a missing optional field): a constant that is null stays a comparison.
    ['x == 1 + null'],
    ['x == y'],
    ['x in (null)'],
    ['x : "a"'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(replaceNullChecks, `any where ${input}`).unchanged).toBe(true);
  });

  it('leaves a known optional field alone', () => {
    expect(applyRule(replaceNullChecks, 'any where n == ?s', SCHEMA).unchanged).toBe(true);
  });
});
