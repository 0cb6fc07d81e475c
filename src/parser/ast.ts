/**
 * The typed AST of an EQL query.
 *
 * Every node is a plain, JSON-serialisable object with a `type` discriminant,
 * `readonly` fields and a `location` in the source text. Nothing here knows
 * about events; the compiler gives the nodes their meaning.
 */

/** A point in the query text. `offset` is 0-based; `line` and `column` are 1-based. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The span of a node in the query text; `end` is exclusive. */
export interface Location {
  readonly start: Position;
  readonly end: Position;
}

interface NodeBase {
  readonly location: Location;
}

// ---------------------------------------------------------------- expressions

export interface StringLiteral extends NodeBase {
  readonly type: 'String';
  readonly value: string;
}

export interface NumberLiteral extends NodeBase {
  readonly type: 'Number';
  readonly value: number;
  /** Integers (no `.` or exponent) are longs in Elasticsearch; arithmetic on them stays integral. */
  readonly integer: boolean;
  /** The literal as written, so that integers beyond 2^53 keep their digits. */
  readonly text: string;
}

export interface BooleanLiteral extends NodeBase {
  readonly type: 'Boolean';
  readonly value: boolean;
}

export interface NullLiteral extends NodeBase {
  readonly type: 'Null';
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral;

/** A field reference such as `process.parent.name`, `` `my field` `` or `?user.id`. */
export interface Field extends NodeBase {
  readonly type: 'Field';
  /** Path segments as written; back-quoted segments may themselves contain dots. */
  readonly path: readonly string[];
  /** `?field`: resolves to null instead of an error when no schema knows the field. */
  readonly optional: boolean;
}

export interface Not extends NodeBase {
  readonly type: 'Not';
  readonly operand: Expression;
}

export interface And extends NodeBase {
  readonly type: 'And';
  /** Two or more operands; a chain `a and b and c` is one node. */
  readonly operands: readonly Expression[];
}

export interface Or extends NodeBase {
  readonly type: 'Or';
  readonly operands: readonly Expression[];
}

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** The operator that keeps a comparison's meaning when its sides swap (`5 < x` is `x > 5`). */
export const MIRRORED_COMPARISON: Readonly<Record<ComparisonOperator, ComparisonOperator>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export interface Comparison extends NodeBase {
  readonly type: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** `:` is the case-insensitive wildcard match, the same as `like~`. */
export type MatchOperator = ':' | 'like' | 'like~' | 'regex' | 'regex~';

/** `x : "a*"`, `x like~ ("a", "b")`, `x regex "[0-9]+"`: a value against literal patterns. */
export interface Match extends NodeBase {
  readonly type: 'Match';
  readonly operator: MatchOperator;
  readonly subject: Expression;
  /** One or more literals; the grammar admits any constant, the compiler requires strings. */
  readonly patterns: readonly Literal[];
}

/** `x in (…)`, `x in~ (…)`, `x not in (…)`. */
export interface In extends NodeBase {
  readonly type: 'In';
  readonly subject: Expression;
  readonly values: readonly Expression[];
  readonly caseInsensitive: boolean;
  /** `x not in (…)`, as opposed to `not x in (…)`, which is a `Not` around an `In`. */
  readonly negated: boolean;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

export interface Arithmetic extends NodeBase {
  readonly type: 'Arithmetic';
  readonly operator: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface Unary extends NodeBase {
  readonly type: 'Unary';
  readonly operator: '-' | '+';
  readonly operand: Expression;
}

export interface FunctionCall extends NodeBase {
  readonly type: 'FunctionCall';
  /** Canonical spelling for known functions (`startsWith`), otherwise as written. Names match case-insensitively. */
  readonly name: string;
  /** Written with `~`, as in `startsWith~(…)`. */
  readonly caseInsensitive: boolean;
  readonly args: readonly Expression[];
}

/**
 * `operand == null` as a test: true when the operand is null, false
 * otherwise, never null; `negated` for `operand != null`. The parser never
 * makes one: the optimizer's ReplaceNullChecks turns those comparisons into
 * it, which is how Elasticsearch gives them their meaning. It prints as the
 * comparison.
 */
export interface IsNull extends NodeBase {
  readonly type: 'IsNull';
  readonly operand: Expression;
  /**
   * `x != null`, as opposed to `not x == null`, which is a `Not` around an
   * `IsNull`. Elasticsearch makes both a `not` of the test, but runs the one
   * of `!=` on a computed value inside its script (true when some value is
   * not null), and a written `not` outside it (true when none is null).
   */
  readonly negated: boolean;
}

export type Expression = Literal | Field | Not | And | Or | Comparison | Match | In | Arithmetic | Unary | FunctionCall | IsNull;

// -------------------------------------------------------------------- queries

/** `<category> where <condition>`; `category` is null for `any`. */
export interface EventFilter extends NodeBase {
  readonly type: 'EventFilter';
  readonly category: string | null;
  readonly condition: Expression;
}

/** A span such as `2s` in `with maxspan=2s`. */
export interface TimeSpan extends NodeBase {
  readonly type: 'TimeSpan';
  readonly value: number;
  /** The unit as written (`ms`, `s`, `m`, `h`, `d`, …), or null when omitted. */
  readonly unit: string | null;
  /** The number as written. */
  readonly text: string;
}

/** One bracketed stage of a sequence: `[…] by … with runs=N`, or a missing stage `![…]`. */
export interface SequenceStage extends NodeBase {
  readonly type: 'SequenceStage';
  readonly filter: EventFilter;
  readonly by: readonly Field[];
  readonly runs: number | null;
  /** `![…]`: a stage whose event must not occur. */
  readonly missing: boolean;
}

/** One bracketed stage of a sample, of a join, or the `until` stage of a sequence. */
export interface JoinStage extends NodeBase {
  readonly type: 'JoinStage';
  readonly filter: EventFilter;
  readonly by: readonly Field[];
}

/** A pipe such as `| head 5`. Endgame pipes (`unique`, `sort`, …) parse; the compiler decides on them. */
export interface Pipe extends NodeBase {
  readonly type: 'Pipe';
  readonly name: string;
  readonly args: readonly Expression[];
}

export interface EventQuery extends NodeBase {
  readonly type: 'EventQuery';
  readonly filter: EventFilter;
  readonly pipes: readonly Pipe[];
}

export interface SequenceQuery extends NodeBase {
  readonly type: 'SequenceQuery';
  /** Join keys are fields; Elasticsearch rejects expressions as keys. */
  readonly by: readonly Field[];
  readonly maxspan: TimeSpan | null;
  readonly stages: readonly SequenceStage[];
  readonly until: JoinStage | null;
  readonly pipes: readonly Pipe[];
}

export interface SampleQuery extends NodeBase {
  readonly type: 'SampleQuery';
  readonly by: readonly Field[];
  readonly stages: readonly JoinStage[];
  readonly pipes: readonly Pipe[];
}

/** Endgame's `join`: Elasticsearch parses it and then rejects it; so does our compiler. */
export interface JoinQuery extends NodeBase {
  readonly type: 'JoinQuery';
  readonly by: readonly Field[];
  readonly stages: readonly JoinStage[];
  readonly until: JoinStage | null;
  readonly pipes: readonly Pipe[];
}

export type Query = EventQuery | SequenceQuery | SampleQuery | JoinQuery;

export type Node = Expression | Query | EventFilter | TimeSpan | SequenceStage | JoinStage | Pipe;

// ---------------------------------------------------------------- type guards

const LITERAL_TYPES: ReadonlySet<string> = new Set(['String', 'Number', 'Boolean', 'Null']);
const QUERY_TYPES: ReadonlySet<string> = new Set(['EventQuery', 'SequenceQuery', 'SampleQuery', 'JoinQuery']);
const EXPRESSION_TYPES: ReadonlySet<string> = new Set([...LITERAL_TYPES, 'Field', 'Not', 'And', 'Or', 'Comparison', 'Match', 'In', 'Arithmetic', 'Unary', 'FunctionCall', 'IsNull']);

export const isLiteral = (n: Node): n is Literal => LITERAL_TYPES.has(n.type);
export const isExpression = (n: Node): n is Expression => EXPRESSION_TYPES.has(n.type);
export const isQuery = (n: Node): n is Query => QUERY_TYPES.has(n.type);
export const isField = (n: Node): n is Field => n.type === 'Field';
export const isStringLiteral = (n: Node): n is StringLiteral => n.type === 'String';
export const isNumberLiteral = (n: Node): n is NumberLiteral => n.type === 'Number';
export const isFunctionCall = (n: Node): n is FunctionCall => n.type === 'FunctionCall';
export const isEventQuery = (n: Node): n is EventQuery => n.type === 'EventQuery';
export const isSequenceQuery = (n: Node): n is SequenceQuery => n.type === 'SequenceQuery';
export const isSampleQuery = (n: Node): n is SampleQuery => n.type === 'SampleQuery';
export const isJoinQuery = (n: Node): n is JoinQuery => n.type === 'JoinQuery';

/** Every event filter of a query: its stages (missing ones too) and an `until`. */
export function eventFiltersOf(query: Query): EventFilter[] {
  switch (query.type) {
    case 'EventQuery':
      return [query.filter];
    case 'SequenceQuery':
    case 'JoinQuery':
      return [...query.stages.map((s) => s.filter), ...(query.until ? [query.until.filter] : [])];
    case 'SampleQuery':
      return query.stages.map((s) => s.filter);
  }
}

/** The dotted name of a field, as Elasticsearch resolves it. */
export function fieldName(field: Field): string {
  return field.path.join('.');
}

/**
 * Rewrites an expression bottom-up: `f` sees each node with its children
 * already rewritten and returns it or a replacement. Unchanged subtrees keep
 * their identity, and a walk that changes nothing allocates nothing. With
 * `visitLeaves` false, fields and literals are passed over without a call of
 * `f` (a rewrite of operations only saves one call per value of a long `in`
 * list).
 */
export function mapExpression(e: Expression, f: (node: Expression) => Expression, visitLeaves = true): Expression {
  if (!visitLeaves && (e.type === 'Field' || isLiteral(e))) return e;
  let node: Expression = e;
  switch (e.type) {
    case 'Not':
    case 'Unary':
    case 'IsNull': {
      const operand = mapExpression(e.operand, f, visitLeaves);
      if (operand !== e.operand) node = { ...e, operand } as Expression;
      break;
    }
    case 'And':
    case 'Or': {
      const operands = mapExpressions(e.operands, f, visitLeaves);
      if (operands !== e.operands) node = { ...e, operands };
      break;
    }
    case 'Comparison':
    case 'Arithmetic': {
      const left = mapExpression(e.left, f, visitLeaves);
      const right = mapExpression(e.right, f, visitLeaves);
      if (left !== e.left || right !== e.right) node = { ...e, left, right } as Expression;
      break;
    }
    case 'Match': {
      // Patterns are literals: only the subject can change.
      const subject = mapExpression(e.subject, f, visitLeaves);
      if (subject !== e.subject) node = { ...e, subject };
      break;
    }
    case 'In': {
      const subject = mapExpression(e.subject, f, visitLeaves);
      const values = mapExpressions(e.values, f, visitLeaves);
      if (subject !== e.subject || values !== e.values) node = { ...e, subject, values };
      break;
    }
    case 'FunctionCall': {
      const args = mapExpressions(e.args, f, visitLeaves);
      if (args !== e.args) node = { ...e, args };
      break;
    }
    default:
      break;
  }
  return f(node);
}

/** {@link mapExpression} over a list: the list itself when no item changes. */
function mapExpressions(xs: readonly Expression[], f: (node: Expression) => Expression, visitLeaves: boolean): readonly Expression[] {
  let out: Expression[] | undefined;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = mapExpression(x, f, visitLeaves);
    if (out) out.push(y);
    else if (y !== x) {
      out = xs.slice(0, i);
      out.push(y);
    }
  }
  return out ?? xs;
}

/** The direct child nodes of a node, in source order. Walkers build on this one switch. */
export function childNodes(node: Node): readonly Node[] {
  switch (node.type) {
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
    case 'Field':
    case 'TimeSpan':
      return [];
    case 'Not':
    case 'Unary':
    case 'IsNull':
      return [node.operand];
    case 'And':
    case 'Or':
      return node.operands;
    case 'Comparison':
    case 'Arithmetic':
      return [node.left, node.right];
    case 'Match':
      return [node.subject, ...node.patterns];
    case 'In':
      return [node.subject, ...node.values];
    case 'FunctionCall':
      return node.args;
    case 'EventFilter':
      return [node.condition];
    case 'SequenceStage':
    case 'JoinStage':
      return [node.filter, ...node.by];
    case 'Pipe':
      return node.args;
    case 'EventQuery':
      return [node.filter, ...node.pipes];
    case 'SequenceQuery':
      return [...node.by, ...(node.maxspan ? [node.maxspan] : []), ...node.stages, ...(node.until ? [node.until] : []), ...node.pipes];
    case 'SampleQuery':
      return [...node.by, ...node.stages, ...node.pipes];
    case 'JoinQuery':
      return [...node.by, ...node.stages, ...(node.until ? [node.until] : []), ...node.pipes];
  }
}
