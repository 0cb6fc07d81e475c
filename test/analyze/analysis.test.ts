/**
 * The analyze stage on its own: the facts it gives about nodes and the
 * checks it makes, before the optimizer runs or any code is generated.
 */
import { describe, expect, it } from 'vitest';
import { Analysis } from '../../src/analyze/analysis.js';
import { type Schema, schemaFromMapping } from '../../src/analyze/schema.js';
import { Scope } from '../../src/analyze/scope.js';
import { EqlSemanticError } from '../../src/errors.js';
import type * as A from '../../src/parser/ast.js';
import { parse } from '../../src/parser/parse.js';

const SCHEMA: Schema = schemaFromMapping({
  properties: {
    '@timestamp': { type: 'date' },
    event: { properties: { category: { type: 'keyword' } } },
    s: { type: 'keyword' },
    n: { type: 'long' },
    d: { type: 'double' },
    b: { type: 'boolean' },
    ip: { type: 'ip' },
  },
});

/** An analysis of `text` that refuses to evaluate constants, so a test shows which checks need no code at all. */
function analysisOf(text: string, schema?: Schema): { analysis: Analysis; query: A.Query; evaluated: A.Expression[] } {
  const query = parse(text);
  const scope = new Scope({ schema, source: text, timestampField: '@timestamp' });
  scope.collectOptionalFields(query);
  const evaluated: A.Expression[] = [];
  const analysis = new Analysis(scope, (e) => {
    evaluated.push(e);
    return e.type === 'Null' ? null : e.type === 'String' || e.type === 'Number' || e.type === 'Boolean' ? e.value : null;
  });
  return { analysis, query, evaluated };
}

const conditionOf = (q: A.Query): A.Expression => (q.type === 'EventQuery' ? q.filter.condition : (q.stages[0]!.filter.condition as A.Expression));

describe('the facts analysis gives a value', () => {
  it.each([
    ['1', 'integer', true],
    ['1.5', 'float', true],
    ['"a"', 'string', true],
    ['null', 'null', true],
    ['n', 'integer', false],
    ['d', 'float', false],
    ['s', 'string', false],
    ['b', 'boolean', false],
    ['ip', 'string', false],
    ['n + 1', 'integer', false],
    ['n + 1.5', 'float', false],
    ['-d', 'float', false],
    ['length(s)', 'integer', false],
    ['concat("a", 1)', 'string', true],
    ['startsWith(s, "a")', 'boolean', false],
    ['?missing', 'null', true],
  ])('%s has kind %s, constant %s (with a schema)', (expression, kind, constant) => {
    const { analysis, query } = analysisOf(`any where ${expression} == null`, SCHEMA);
    const comparison = conditionOf(query) as A.Comparison;
    expect(analysis.value(comparison.left)).toEqual({ kind, constant });
  });

  it('gives fields without a schema the unknown kind', () => {
    const { analysis, query } = analysisOf('any where x + 1 == null');
    const sum = (conditionOf(query) as A.Comparison).left as A.Arithmetic;
    expect(analysis.value(sum.left)).toEqual({ kind: 'unknown', constant: false });
  });

  it('resolves a call to its definition once', () => {
    const { analysis, query } = analysisOf('any where STARTSWITH(s, "a")', SCHEMA);
    const call = conditionOf(query) as A.FunctionCall;
    const definition = analysis.definitionOf(call);
    expect(definition.name).toBe('startsWith');
    expect(analysis.definitionOf(call)).toBe(definition);
  });
});

describe('the checks analysis makes, without generating code', () => {
  it.each([
    ['any where nope == 1', 'EQL_UNKNOWN_FIELD', 11],
    ['any where lenght(s) == 1', 'EQL_UNKNOWN_FUNCTION', 11],
    ['any where length(s, s) == 1', 'EQL_ARITY', 11],
    ['any where length~(s) == 1', 'EQL_UNSUPPORTED', 11],
    ['any where length(n) == 1', 'EQL_TYPE', 18],
    ['any where s + 1 == 2', 'EQL_TYPE', 11],
    ['any where n : "a*"', 'EQL_TYPE', 11],
    ['any where ip like~ "a"', 'EQL_TYPE', 11],
    ['any where n in~ ("1")', 'EQL_TYPE', 11],
    ['any where s : 1', 'EQL_TYPE', 15],
    ['any where startsWith(ip, "1")', 'EQL_TYPE', 22],
    ['any where cidrMatch(s, "10.0.0.0/8")', 'EQL_TYPE', 21],
    ['any where cidrMatch(ip, s)', 'EQL_TYPE', 25],
    ['any where n', 'EQL_NOT_BOOLEAN', 11],
    ['any where n + 1', 'EQL_NOT_BOOLEAN', 11],
    ['any where "a"', 'EQL_NOT_BOOLEAN', 11],
    ['any where length(s)', 'EQL_NOT_BOOLEAN', 11],
    ['sequence [any where true] by s [any where true] by nope', 'EQL_UNKNOWN_FIELD', 52],
  ])('%s is refused with %s at column %i', (text, code, column) => {
    const { analysis, query } = analysisOf(text, SCHEMA);
    let error: unknown;
    try {
      analysis.checkQuery(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlSemanticError);
    expect((error as EqlSemanticError).code).toBe(code);
    expect((error as EqlSemanticError).location?.start.column).toBe(column);
  });

  it('evaluates no constant for checks that need only kinds', () => {
    const { analysis, query, evaluated } = analysisOf('any where length(s) > 1 and s : "a*" and startsWith(s, n + 1 == 2)', SCHEMA);
    expect(() => analysis.checkQuery(query)).toThrow(/argument of \[startsWith\(s, n \+ 1 == 2\)\] must be \[string\]/);
    expect(evaluated).toEqual([]);
  });

  it.each([
    // Elasticsearch refuses these when it translates the optimized condition, not in its verifier: code generation does.
    'any where n == d',
    'any where 1 == n',
    'any where @timestamp == "not a date"',
    'any where s regex "["',
    'any where n == "x"',
    // A list of nulls matches nothing: no query is made, so no string check either.
    'any where n in~ (null)',
  ])('leaves %s to code generation', (text) => {
    const { analysis, query } = analysisOf(text, SCHEMA);
    expect(() => analysis.checkQuery(query)).not.toThrow();
  });

  it('checks a node once, however often it is asked', () => {
    const { analysis, query, evaluated } = analysisOf('any where s in~ ("a", null)', SCHEMA);
    const condition = conditionOf(query);
    analysis.checkCondition(condition);
    const once = evaluated.length;
    expect(once).toBeGreaterThan(0);
    analysis.checkCondition(condition);
    expect(evaluated.length).toBe(once);
  });
});
