/**
 * Literals: what one event must satisfy, one test each. A condition leaf
 * wanted true or false (`process.name : "cmd.exe"`, or that under a `not`),
 * the category of a stage, a join key that must have a value or must differ.
 * Each knows how to test the fields' values, with the engine's own
 * predicate, and how to propose values that would satisfy it.
 */
import type * as A from '../parser/ast.js';
import { fieldName, mapExpression } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { compile } from '../engine/compiled-query.js';
import type { CompileOptions } from '../compile/plan.js';
import { EqlError } from '../errors.js';
import { type Event, hasValue, someValueIs } from '../semantics/fields.js';
import { type Assignment, type CandidateContext, leafCandidates } from './candidates.js';
import type { FieldRead } from './evaluate.js';
import { fieldsOf } from './evaluate.js';
import { eventOf } from './events.js';
import { SynthesisError } from './errors.js';
import { otherCategories, type Value, sameValue, valueForField, variantsOf } from './values.js';

/** Where a literal comes from, for labels and errors. */
export interface Clause {
  /** The text as written in the query (or printed, for a query given as an AST). */
  readonly text: string;
  readonly location: A.Location | null;
  /** The 0-based stage of a sequence or sample (as written), or null for an event query. */
  readonly stage: number | null;
}

export interface Literal {
  readonly kind: 'condition' | 'category' | 'key-present' | 'key-differs';
  /** The fields it reads, by dotted name. */
  readonly fields: readonly string[];
  /** Whether the test must come out true (false: the leaf sits under a `not`, or is to be broken). */
  readonly want: boolean;
  readonly clause: Clause;
  /** The condition leaf, for condition literals. */
  readonly leaf: A.Expression | null;
  /** Whether the fields' values satisfy it. */
  holds(read: FieldRead): boolean;
  /** Values to try, best first. */
  candidates(ctx: CandidateContext): Assignment[];
  /** The same test, wanted the other way. */
  flipped(): Literal;
}

const testEvent = (fields: readonly string[], read: FieldRead): Event => eventOf(fields.map((name) => [name, read(name)] as const));

/** Compiled leaf predicates, shared by every literal of one synthesis (a leaf compiles once). */
export class LeafTests {
  private readonly cache = new Map<A.Expression, (event: Event) => boolean>();

  constructor(
    private readonly options: CompileOptions,
    private readonly source: string | null,
    /** Fields written with `?` somewhere in the query, which makes them optional in every clause. */
    private readonly optional: ReadonlySet<string> = new Set(),
  ) {}

  /** The clause of a node: its text as written, where the query text is known. */
  clauseOf(node: A.Node, stage: number | null): Clause {
    const text = this.source !== null ? this.source.slice(node.location.start.offset, node.location.end.offset) : node.type === 'EventFilter' ? '' : formatExpression(node as A.Expression);
    return { text, location: this.source !== null ? node.location : null, stage };
  }

  test(leaf: A.Expression, stage: number | null): (event: Event) => boolean {
    let test = this.cache.get(leaf);
    if (!test) {
      const condition = this.optional.size === 0 ? leaf : mapExpression(leaf, (n) => (n.type === 'Field' && !n.optional && this.optional.has(fieldName(n)) ? { ...n, optional: true } : n));
      const query: A.EventQuery = { type: 'EventQuery', filter: { type: 'EventFilter', category: null, condition, location: leaf.location }, pipes: [], location: leaf.location };
      try {
        const compiled = compile(query, this.options);
        test = (event) => compiled.matches(event);
      } catch (e) {
        if (e instanceof EqlError) {
          const clause = this.clauseOf(leaf, stage);
          throw new SynthesisError('SYNTH_UNSUPPORTED', `a condition that does not compile on its own (${(e as EqlError).message.split('\n')[0]})`, {
            clause: clause.text,
            location: clause.location,
            stage,
          });
        }
        throw e;
      }
      this.cache.set(leaf, test);
    }
    return test;
  }

  /** Whether a condition (any part of one) comes out `want` for the fields' values; false when it does not compile alone. */
  holds(e: A.Expression, want: boolean, read: FieldRead, stage: number | null): boolean {
    let test: (event: Event) => boolean;
    try {
      test = this.test(e, stage);
    } catch (err) {
      if (err instanceof SynthesisError) return false;
      throw err;
    }
    return test(testEvent(fieldsOf(e), read)) === want;
  }

  /** A condition leaf wanted true or false. */
  condition(leaf: A.Expression, want: boolean, stage: number | null): Literal {
    const test = this.test(leaf, stage);
    const fields = fieldsOf(leaf);
    const clause = this.clauseOf(leaf, stage);
    const make = (w: boolean): Literal => ({
      kind: 'condition',
      fields,
      want: w,
      clause,
      leaf,
      holds: (read) => test(testEvent(fields, read)) === w,
      candidates: (ctx) => leafCandidates(leaf, w, ctx),
      flipped: () => make(!w),
    });
    return make(want);
  }
}

/** The event's category field holds the stage's category (`process where …`). */
export function categoryLiteral(field: string, category: string, clause: Clause, want = true): Literal {
  return {
    kind: 'category',
    fields: [field],
    want,
    clause,
    leaf: null,
    holds: (read) => {
      const v = read(field);
      return (v !== undefined && someValueIs(v, category)) === want;
    },
    candidates: (ctx) => (want ? [new Map([[field, category]])] : otherCategories(category, ctx.rng).map((v) => new Map([[field, v]]))),
    flipped: () => categoryLiteral(field, category, clause, !want),
  };
}

/** A join key must have a value: the engine leaves out events whose key has none. */
export function keyPresentLiteral(field: string, clause: Clause): Literal {
  const literal: Literal = {
    kind: 'key-present',
    fields: [field],
    want: true,
    clause,
    leaf: null,
    holds: (read) => {
      const v = read(field);
      return v !== undefined && hasValue(v) && !Array.isArray(v);
    },
    candidates: (ctx) => [new Map([[field, valueForField(field, ctx.rng)]])],
    flipped: () => literal,
  };
  return literal;
}

/** A join key that must not take a value: the key of the other stages, for a near miss. */
export function keyDiffersLiteral(field: string, other: Value, clause: Clause): Literal {
  const values = Array.isArray(other) ? other : [other];
  const literal: Literal = {
    kind: 'key-differs',
    fields: [field],
    want: true,
    clause,
    leaf: null,
    holds: (read) => {
      const v = read(field);
      if (v === undefined || v === null || Array.isArray(v)) return false;
      return !values.some((o) => sameValue(o, v) || String(o) === String(v));
    },
    candidates: (ctx) => [...variantsOf(values[0] ?? null, ctx.rng), valueForField(field, ctx.rng)].map((v) => new Map([[field, v]])),
    flipped: () => literal,
  };
  return literal;
}
