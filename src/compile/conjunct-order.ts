/**
 * The order in which the conjuncts of an `and` are evaluated. Filter logic is
 * two-valued and its leaves have no side effects, so any order gives the same
 * answer; the order only decides how soon a false conjunct stops the work.
 * Rule conditions tend to open with broad conjuncts (`host.os.type ==
 * "windows"`, `event.type == "start"`) and end with exclusions (`not
 * process.executable : (…)`), while the conjunct that rules most events out
 * (`process.name : "wmic.exe"`) stands in between. So conjuncts are ranked
 * once, at compile time, by how likely they are to be false and how cheap
 * they are: exact values on telling fields first, exclusions and regexes last.
 */
import type * as A from '../parser/ast.js';
import { fieldName } from '../parser/ast.js';
import { fieldTier } from './requirements.js';

const hasWildcard = (p: A.Literal) => p.type === 'String' && (p.value.includes('*') || p.value.includes('?'));

/** Lower ranks run first. */
export function conjunctRank(e: A.Expression): number {
  switch (e.type) {
    case 'Comparison': {
      const field = e.left.type === 'Field' ? e.left : e.right.type === 'Field' ? e.right : null;
      if (!field) return 8;
      const isNull = e.left.type === 'Null' || e.right.type === 'Null';
      if (e.operator === '!=') return isNull ? 5 : 6;
      if (e.operator === '==') return isNull ? 3 : fieldTier(fieldName(field));
      return 4;
    }
    case 'In':
      if (e.subject.type !== 'Field') return 8;
      return e.negated ? 6 : fieldTier(fieldName(e.subject));
    case 'Match': {
      if (e.subject.type !== 'Field') return 8;
      if (e.operator === 'regex' || e.operator === 'regex~') return 7;
      const tier = fieldTier(fieldName(e.subject));
      return e.patterns.some(hasWildcard) ? 3 + Math.min(tier, 1) : tier;
    }
    case 'Field':
      return 3;
    case 'Not':
      // Exclusions are true for most events.
      return 6;
    case 'And':
      return Math.min(...e.operands.map(conjunctRank));
    case 'Or':
      // False only when every branch is false, and then every branch ran.
      return Math.max(...e.operands.map(conjunctRank));
    case 'FunctionCall':
      return 7;
    default:
      return 8;
  }
}

/** The items in evaluation order (stable among equal ranks). */
export function inEvaluationOrder<T>(conjuncts: readonly A.Expression[], items: readonly T[]): T[] {
  return conjuncts
    .map((c, i) => ({ rank: conjunctRank(c), i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ i }) => items[i]!);
}
