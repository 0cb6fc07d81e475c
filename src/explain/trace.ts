/**
 * One filter evaluated on one event, node by node: each leaf compiled alone
 * (compile/explainable.ts) gives what it gives inside the condition, and
 * `and`, `or` and `not` combine results as the compiled condition does, so
 * the root's result is the engine's.
 */
import type * as A from '../parser/ast.js';
import { childNodes, fieldName, isLiteral } from '../parser/ast.js';
import { format, formatExpression } from '../parser/format.js';
import type { ExplainableFilter, ExplainableQuery } from '../compile/explainable.js';
import { type Event, someValueIs } from '../semantics/fields.js';
import type { CategoryCheck, ClauseTrace, ExplainedValue, FilterTrace } from './types.js';

/** Evaluates filters of one query on events. */
export class FilterTracer {
  /** Per leaf: the fields it reads, once. */
  private readonly fieldsOf = new WeakMap<A.Expression, readonly A.Field[]>();

  constructor(private readonly query: ExplainableQuery) {}

  /** The filter's text, in canonical EQL. */
  textOf(filter: ExplainableFilter): string {
    const location = filter.condition.location;
    return format({ type: 'EventQuery', filter: { type: 'EventFilter', category: filter.category, condition: filter.condition, location }, pipes: [], location });
  }

  /** The filter at `index` (in the order of `filtersOf(plan)`) on one event. */
  trace(index: number, event: Event): FilterTrace {
    const filter = this.query.filters[index]!;
    const category = filter.category === null ? null : this.category(filter.category, event);
    const condition = this.node(filter.condition, event);
    const result = (category?.result ?? true) && condition.result;
    return { text: this.textOf(filter), result, category, condition, failed: condition.result ? [] : failedClauses(condition) };
  }

  private category(expected: string, event: Event): CategoryCheck {
    const value = this.query.plan.categoryField(event);
    return { expected, field: this.query.plan.options.eventCategoryField, value: value ?? null, result: someValueIs(value, expected) };
  }

  private node(e: A.Expression, event: Event): ClauseTrace {
    const text = formatExpression(e);
    switch (e.type) {
      case 'And':
      case 'Or': {
        const operands = e.operands.map((o) => this.node(o, event));
        const result = e.type === 'And' ? operands.every((o) => o.result) : operands.some((o) => o.result);
        return { kind: e.type === 'And' ? 'and' : 'or', text, location: e.location, result, operands };
      }
      case 'Not': {
        const operand = this.node(e.operand, event);
        // `not null` is null, which drops every event (as the compiled `not` does).
        const result = !this.query.foldsToNull(e.operand) && !operand.result;
        return { kind: 'not', text, location: e.location, result, operands: [operand] };
      }
      default:
        return { kind: 'leaf', text, location: e.location, result: this.query.predicateOf(e)(event), expected: expectedOf(e), values: this.values(e, event) };
    }
  }

  private values(leaf: A.Expression, event: Event): ExplainedValue[] {
    let fields = this.fieldsOf.get(leaf);
    if (!fields) {
      fields = fieldsIn(leaf);
      this.fieldsOf.set(leaf, fields);
    }
    return fields.map((f) => {
      const bound = this.query.field(f);
      const raw = bound ? bound.read(event) : undefined;
      const absent = raw === undefined || raw === null;
      return { field: fieldName(f), absent, value: absent ? null : raw };
    });
  }
}

/** The fields a node reads, each name once, in the order of the text. */
function fieldsIn(e: A.Expression): A.Field[] {
  const out: A.Field[] = [];
  const seen = new Set<string>();
  const visit = (n: A.Node): void => {
    if (n.type === 'Field') {
      const name = fieldName(n);
      if (!seen.has(name)) {
        seen.add(name);
        out.push(n);
      }
      return;
    }
    for (const c of childNodes(n)) if (!isLiteral(c)) visit(c);
  };
  visit(e);
  return out;
}

/** What a leaf asks of its values: the operator and its right-hand side, or `true`. */
function expectedOf(e: A.Expression): string {
  switch (e.type) {
    case 'Comparison':
      return `${e.operator} ${formatExpression(e.right)}`;
    case 'Match':
      return `${e.operator} ${e.patterns.length === 1 ? formatExpression(e.patterns[0]!) : `(${e.patterns.map(formatExpression).join(', ')})`}`;
    case 'In':
      return `${e.negated ? 'not ' : ''}${e.caseInsensitive ? 'in~' : 'in'} (${e.values.map(formatExpression).join(', ')})`;
    case 'IsNull':
      return e.negated ? '!= null' : '== null';
    default:
      return 'true';
  }
}

/**
 * The clauses that make a false node false: a false leaf itself; under
 * `and` those of its false operands; under `or` those of every operand;
 * a `not` whose operand held, whole.
 */
export function failedClauses(node: ClauseTrace): ClauseTrace[] {
  if (node.result) return [];
  switch (node.kind) {
    case 'leaf':
    case 'not':
      return [node];
    case 'and':
    case 'or':
      return node.operands.flatMap(failedClauses);
  }
}
