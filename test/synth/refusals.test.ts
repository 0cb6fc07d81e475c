/**
 * When no witness can be given, synthesis says why with a SynthesisError
 * (a code, and the clause at fault where one is), never with wrong events.
 */
import { describe, expect, it } from 'vitest';
import { EqlError, parseRule, synthesize, SynthesisError } from '../../src/index.js';
import { testRule } from '../helpers/rules.js';

function refusal(run: () => unknown): SynthesisError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SynthesisError);
    expect(e).toBeInstanceOf(EqlError);
    return e as SynthesisError;
  }
  throw new Error('expected a SynthesisError');
}

describe('refusing to synthesize', () => {
  it.each([
    ['a contradiction', 'process where process.name == "a" and process.name == null', 'process.name == null', 1, 39],
    ['a constant false', 'process where false', 'false', 1, 15],
    ["Lucene's empty language", 'process where process.name regex "#"', 'process.name regex "#"', 1, 15],
    ['a negated clause that every value meets', 'file where file.path : "*" and not file.path : "*"', 'file.path : "*"', 1, 36],
  ])('names the clause that cannot be met: %s', (_, query, clause, line, column) => {
    const e = refusal(() => synthesize(query));
    expect(e.code).toBe('SYNTH_UNSATISFIED');
    expect(e.clause).toBe(clause);
    expect(e.location?.start).toMatchObject({ line, column });
    expect(e.message).toContain(clause);
  });

  it('tells a join-key condition that Elasticsearch copies into a stage where it contradicts another', () => {
    const query = 'sequence by host.name with maxspan=1m [any where not startsWith~(host.name, user.name)] [any where startsWith~(host.name, user.name)]';
    const e = refusal(() => synthesize(query));
    expect(e.code).toBe('SYNTH_UNSATISFIED');
    expect(e.stage).toBe(1);
    expect(e.clause).toBe('startsWith~(host.name, user.name)');
    expect(e.location?.start.column).toBe(query.lastIndexOf('startsWith~') + 1);
    expect(e.reason).toContain('copies');
  });

  it('gives up at its bound, naming the clause it was stuck on, where only an exhaustive search would tell', () => {
    // Every side of sixteen choices is tried before the last choice fails: 2^16 branches.
    const choices = Array.from({ length: 16 }, (_, i) => `(a${i} == 1 or b${i} == 1)`).join(' and ');
    const e = refusal(() => synthesize(`process where ${choices} and (z == 1 or z == 2) and z == null`));
    expect(e.code).toBe('SYNTH_SEARCH_LIMIT');
    expect(['z == 1', 'z == 2']).toContain(e.clause);
  });

  it('refuses when the events meet every condition but a pipe keeps the query from firing', () => {
    expect(refusal(() => synthesize('process where true | head 0')).code).toBe('SYNTH_NOT_CONFIRMED');
  });

  it.each([
    ['a rule with query DSL filters', testRule('filtered', 'process where true', 'filters = [{ query = { match_all = {} } }]')],
    ['a rule that is not EQL', parseRule('[rule]\nrule_id = "k"\nname = "k"\ntype = "query"\nlanguage = "kuery"\nquery = "process.name : cmd.exe"\n')],
  ])('refuses %s, which the engine does not run', (_, rule) => {
    expect(rule.executable).toBe(false);
    const e = refusal(() => synthesize(rule));
    expect(e.code).toBe('SYNTH_NOT_RUNNABLE');
    expect(e.message).toContain(rule.notExecutableReason!);
  });

  it('lets a query that does not compile throw its own error', () => {
    expect(() => synthesize('process where process.name = "x"')).toThrow(/'=' is not an operator/);
  });
});
