/**
 * Running one optimizer rule, or all of them, over query text, with the
 * facts the compiler gives them (fields bound against a schema, constants
 * evaluated), and printing the result with the AST printer.
 */
import { analysisOf } from '../../src/compile/plan.js';
import { factsFromAnalysis } from '../../src/optimize/facts-from-analysis.js';
import { type Schema, schemaFromMapping } from '../../src/analyze/schema.js';
import { Scope } from '../../src/analyze/scope.js';
import { type OptimizerContext, type OptimizerRule, optimize } from '../../src/optimize/index.js';
import type * as A from '../../src/parser/ast.js';
import { format } from '../../src/parser/format.js';
import { parse } from '../../src/parser/parse.js';

/** A schema with a field of each kind the rules look at; `opt` is not in it. */
export const SCHEMA: Schema = schemaFromMapping({
  properties: {
    '@timestamp': { type: 'date' },
    event: { properties: { category: { type: 'keyword' } } },
    s: { type: 'keyword' },
    k: { type: 'keyword' },
    t: { type: 'text' },
    n: { type: 'long' },
    d: { type: 'double' },
    b: { type: 'boolean' },
    ip: { type: 'ip' },
    user: { type: 'keyword' },
    host: { type: 'keyword' },
    uid: { type: 'long' },
  },
});

export function contextFor(query: A.Query, text: string | null, schema?: Schema): OptimizerContext {
  const scope = new Scope({ schema, source: text, timestampField: '@timestamp' });
  scope.collectOptionalFields(query);
  return factsFromAnalysis(analysisOf(scope));
}

/** The query after one run of one rule, and whether the rule left it as it was (the same object). */
export function applyRule(rule: OptimizerRule, text: string, schema?: Schema): { text: string; query: A.Query; unchanged: boolean } {
  const query = parse(text);
  const out = rule.apply(query, contextFor(query, text, schema));
  return { text: format(out), query: out, unchanged: out === query };
}

/** The condition of `any where <condition>` after one run of one rule, printed. */
export function rewriteCondition(rule: OptimizerRule, condition: string, schema?: Schema): string {
  return applyRule(rule, `any where ${condition}`, schema).text.replace(/^any where /, '');
}

/** The query after every batch, printed. */
export function optimizeText(text: string, schema?: Schema): string {
  const query = parse(text);
  return format(optimize(query, contextFor(query, text, schema)).query);
}
