/**
 * fast-check arbitraries for ASTs that the parser can produce: every value
 * is one a query text can hold, and every structure passes the parser's
 * structural rules (key counts, runs, maxspan units, missing stages).
 */
import fc from 'fast-check';
import type * as A from '../../src/parser/ast.js';
import { KEYWORDS } from '../../src/parser/tokens.js';

const loc: A.Location = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

const KNOWN_FUNCTIONS = ['add', 'between', 'cidrMatch', 'concat', 'endsWith', 'indexOf', 'length', 'number', 'startsWith', 'string', 'stringContains', 'substring'];
const KNOWN_LOWER = new Set(
  [...KNOWN_FUNCTIONS, 'divide', 'modulo', 'multiply', 'subtract', 'arraycontains', 'arraycount', 'arraysearch', 'match', 'matchlite', 'safe', 'wildcard'].map((n) => n.toLowerCase()),
);

const identifier = fc.stringMatching(/^[a-z_@][a-z0-9_]{0,6}$/).filter((s) => !KEYWORDS.has(s));
const segment = fc.oneof(
  identifier,
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== '' || s.length > 0),
);

const stringLit: fc.Arbitrary<A.StringLiteral> = fc.string({ maxLength: 12 }).map((value) => ({ type: 'String', value, location: loc }));
const intLit: fc.Arbitrary<A.NumberLiteral> = fc.nat({ max: 1_000_000 }).map((n) => ({ type: 'Number', value: n, integer: true, text: String(n), location: loc }));
const decLit: fc.Arbitrary<A.NumberLiteral> = fc
  .constantFrom(['1.5', 1.5], ['0.25', 0.25], ['2e3', 2000], ['.5', 0.5], ['3.', 3])
  .map(([text, value]) => ({ type: 'Number', value: value as number, integer: false, text: text as string, location: loc }));
const literal: fc.Arbitrary<A.Literal> = fc.oneof(
  stringLit,
  intLit,
  decLit,
  fc.boolean().map((value): A.Literal => ({ type: 'Boolean', value, location: loc })),
  fc.constant<A.Literal>({ type: 'Null', location: loc }),
);
export const fieldArb: fc.Arbitrary<A.Field> = fc
  .record({ path: fc.array(segment, { minLength: 1, maxLength: 3 }), optional: fc.boolean() })
  .map(({ path, optional }) => ({ type: 'Field', path, optional, location: loc }));

const functionName = fc.oneof(
  fc.constantFrom(...KNOWN_FUNCTIONS),
  fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/).filter((n) => !KEYWORDS.has(n) && !KNOWN_LOWER.has(n.toLowerCase())),
);

const { expression } = fc.letrec<{ expression: A.Expression }>((tie) => {
  const expr = tie('expression');
  return {
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      fieldArb,
      expr.map((operand): A.Expression => ({ type: 'Not', operand, location: loc })),
      fc.array(expr, { minLength: 2, maxLength: 3 }).map((operands): A.Expression => ({ type: 'And', operands, location: loc })),
      fc.array(expr, { minLength: 2, maxLength: 3 }).map((operands): A.Expression => ({ type: 'Or', operands, location: loc })),
      fc.record({ operator: fc.constantFrom<A.ComparisonOperator>('==', '!=', '<', '<=', '>', '>='), left: expr, right: expr }).map((c): A.Expression => ({ type: 'Comparison', ...c, location: loc })),
      fc
        .record({ operator: fc.constantFrom<A.MatchOperator>(':', 'like', 'like~', 'regex', 'regex~'), subject: expr, patterns: fc.array(literal, { minLength: 1, maxLength: 3 }) })
        .map((m): A.Expression => ({ type: 'Match', ...m, location: loc })),
      fc
        .record({ subject: expr, values: fc.array(expr, { minLength: 1, maxLength: 3 }), caseInsensitive: fc.boolean(), negated: fc.boolean() })
        .map((m): A.Expression => ({ type: 'In', ...m, location: loc })),
      fc.record({ operator: fc.constantFrom<A.ArithmeticOperator>('+', '-', '*', '/', '%'), left: expr, right: expr }).map((a): A.Expression => ({ type: 'Arithmetic', ...a, location: loc })),
      fc.record({ operator: fc.constantFrom<'-' | '+'>('-', '+'), operand: expr }).map((u): A.Expression => ({ type: 'Unary', ...u, location: loc })),
      fc.record({ name: functionName, caseInsensitive: fc.boolean(), args: fc.array(expr, { maxLength: 3 }) }).map((f): A.Expression => ({ type: 'FunctionCall', ...f, location: loc })),
    ),
  };
});

const category = fc.oneof(fc.constant(null), identifier, fc.string({ maxLength: 8 }));
const filter: fc.Arbitrary<A.EventFilter> = fc.record({ category, condition: expression }).map((f) => ({ type: 'EventFilter', ...f, location: loc }));
const pipes = fc.array(
  fc
    .record({ name: fc.constantFrom('head', 'tail'), n: fc.nat({ max: 100 }) })
    .map(({ name, n }): A.Pipe => ({ type: 'Pipe', name, args: [{ type: 'Number', value: n, integer: true, text: String(n), location: loc }], location: loc })),
  { maxLength: 2 },
);

const sequence: fc.Arbitrary<A.Query> = fc
  .record({
    keyCount: fc.nat({ max: 2 }),
    by: fc.array(fieldArb, { maxLength: 2 }),
    maxspan: fc.option(fc.record({ value: fc.integer({ min: 1, max: 1000 }), unit: fc.constantFrom('ms', 's', 'm', 'h', 'd') })),
    stages: fc.array(fc.record({ filter, runs: fc.option(fc.integer({ min: 1, max: 5 })), missing: fc.boolean() }), { minLength: 2, maxLength: 3 }),
    until: fc.option(filter),
    pipes,
    stageKeys: fc.array(fieldArb, { minLength: 2, maxLength: 2 }),
  })
  .map(({ keyCount, by, maxspan, stages, until, pipes, stageKeys }): A.Query => {
    const keys = stageKeys.slice(0, keyCount);
    // Missing stages need a maxspan and at least one positive stage.
    const anyMissing = maxspan !== null && stages.some((s) => s.missing);
    const fixed = stages.map((s, i) => ({ ...s, missing: anyMissing && s.missing && i > 0 }));
    return {
      type: 'SequenceQuery',
      by,
      maxspan: maxspan ? { type: 'TimeSpan', value: maxspan.value, unit: maxspan.unit, text: String(maxspan.value), location: loc } : null,
      stages: fixed.map((s) => ({ type: 'SequenceStage', filter: s.filter, by: keys, runs: s.runs, missing: s.missing, location: loc })),
      until: until ? { type: 'JoinStage', filter: until, by: keys, location: loc } : null,
      pipes,
      location: loc,
    };
  });

const sample: fc.Arbitrary<A.Query> = fc
  .record({ by: fc.array(fieldArb, { minLength: 1, maxLength: 2 }), stages: fc.array(filter, { minLength: 2, maxLength: 3 }) })
  .filter(({ by }) => new Set(by.map((f) => f.path.join('.'))).size === by.length)
  .map(({ by, stages }): A.Query => ({ type: 'SampleQuery', by, stages: stages.map((f) => ({ type: 'JoinStage', filter: f, by: [], location: loc })), pipes: [], location: loc }));

const eventQuery: fc.Arbitrary<A.Query> = fc.record({ filter, pipes }).map(({ filter, pipes }): A.Query => ({ type: 'EventQuery', filter, pipes, location: loc }));

export const queryArbitrary: fc.Arbitrary<A.Query> = fc.oneof(eventQuery, eventQuery, sequence, sample);
