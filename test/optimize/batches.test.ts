/**
 * The rules run in Elasticsearch's batches and order
 * (x-pack/plugin/eql/…/optimizer/Optimizer.java): Substitution; Operator
 * Optimization, repeated until nothing changes; Infer constraints; Operator
 * Optimization again. Pure: the query given is never changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimizedQuery } from '../../src/compile/plan.js';
import { BATCHES, type Batch, type OptimizerRule, optimize } from '../../src/optimize/index.js';
import type * as A from '../../src/parser/ast.js';
import { format } from '../../src/parser/format.js';
import { parse } from '../../src/parser/parse.js';
import { queryArbitrary } from '../helpers/arbitrary-ast.js';
import { contextFor, optimizeText, SCHEMA } from './helpers.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('the optimizer batches', () => {
  it("are Elasticsearch's, in its order, with the rules that have a file here", () => {
    expect(BATCHES.map((b) => [b.name, b.once ? 'once' : 'to a fixed point', b.rules.map((r) => r.name)])).toEqual([
      ['Substitution', 'once', ['ReplaceNullChecks']],
      ['Operator Optimization', 'to a fixed point', ['LiteralsOnTheRight', 'BooleanFunctionEqualsElimination', 'SimplifyComparisonsArithmetics', 'PruneCast']],
      ['Infer constraints', 'once', ['PropagateJoinKeyConstraints']],
      ['Operator Optimization', 'to a fixed point', ['LiteralsOnTheRight', 'BooleanFunctionEqualsElimination', 'SimplifyComparisonsArithmetics', 'PruneCast']],
    ]);
  });

  it('run each rule in that order, a repeating batch once more after its last change', () => {
    const text = 'sequence by user [any where "a" == user] [any where true]';
    const query = parse(text);
    const ran: string[] = [];
    optimize(query, contextFor(query, text), (batch: Batch, rule: OptimizerRule) => ran.push(`${batch.name}: ${rule.name}`));
    const operators = ['LiteralsOnTheRight', 'BooleanFunctionEqualsElimination', 'SimplifyComparisonsArithmetics', 'PruneCast'].map((r) => `Operator Optimization: ${r}`);
    expect(ran).toEqual([
      'Substitution: ReplaceNullChecks',
      // The first run turns `"a" == user` round; the second changes nothing.
      ...operators,
      ...operators,
      // A constraint is copied, so the operators run again, once.
      'Infer constraints: PropagateJoinKeyConstraints',
      ...operators,
    ]);
  });

  it('skip a repeating batch over the query it last ended with', () => {
    const text = 'any where 5 < x';
    const query = parse(text);
    const ran: string[] = [];
    optimize(query, contextFor(query, text), (batch: Batch) => ran.push(batch.name));
    expect(ran.filter((b) => b === 'Operator Optimization')).toHaveLength(8);
    expect(ran.at(-1)).toBe('Infer constraints');
  });

  it.each([
    // Null checks are replaced first: the boolean comparison around one then goes.
    ['any where true == (x == null)', 'any where x == null'],
    // Within a run, literals go right before a boolean comparison is taken off and before arithmetic moves.
    ['any where true == (5 < n + 1)', 'any where n > 4'],
    // The boolean comparison goes before the cast: `string(s)` is then the whole condition.
    ['any where true == string(s)', 'any where s'],
    // Operators run before constraints are inferred: what is copied is the pruned comparison…
    ['sequence [any where string(user) == "a"] by user [any where true] by uid', 'sequence\n  [any where user == "a"] by user\n  [any where true and uid == "a"] by uid'],
    // …and again after: what is copied is optimized in its new stage.
    ['sequence [any where string(uid) == "5"] by uid [any where true] by user', 'sequence\n  [any where string(uid) == "5"] by uid\n  [any where true and user == "5"] by user'],
  ])('%s → %s', (input, expected) => {
    expect(optimizeText(input, SCHEMA)).toBe(expected);
  });

  it('give code generation the conditions before constraints were inferred, stage by stage', () => {
    const text = 'sequence by user [any where "a" == user] [any where 2 < x] until [any where true]';
    const query = parse(text);
    const { query: optimized, beforeConstraints } = optimize(query, contextFor(query, text));
    expect(format(optimized)).toBe('sequence by user\n  [any where user == "a"]\n  [any where x > 2 and user == "a"]\nuntil [any where true]');
    expect(format(beforeConstraints)).toBe('sequence by user\n  [any where user == "a"]\n  [any where x > 2]\nuntil [any where true]');
    const [a, b] = [optimized, beforeConstraints] as A.SequenceQuery[];
    expect(a!.stages[0]).toBe(b!.stages[0]);
    expect(a!.until).toBe(b!.until);
  });

  it('give back the query itself when no rule applies', () => {
    const text = 'sequence by user [process where x > 1] [network where y : "a*"]';
    const query = parse(text);
    expect(optimize(query, contextFor(query, text)).query).toBe(query);
    expect(optimizedQuery(text)).toEqual(query);
  });

  it('never change the query they are given, and print what parses', () => {
    fc.assert(
      fc.property(queryArbitrary, (query) => {
        const frozen = deepFreeze(structuredClone(query));
        const before = JSON.stringify(frozen);
        const out = optimize(frozen, contextFor(frozen, null, SCHEMA)).query;
        expect(JSON.stringify(frozen)).toBe(before);
        expect(() => parse(format(out))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
