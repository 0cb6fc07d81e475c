/**
 * Candidate values for the fields of one condition leaf, so that the leaf
 * comes out true (or false): the constant of `x == c`, a text that fills
 * the wildcards of `x : "a*b"`, a string drawn from a regex, an address in a
 * CIDR block, a text of the length `length(x) > 3` asks for, a number that
 * solves `x + 1 == 5`. Functions and arithmetic are undone step by step
 * (`invert`): the value a call must give becomes the value its argument
 * must have. Each candidate is a guess, checked by the solver with the
 * engine's own test of the leaf.
 */
import type * as A from '../parser/ast.js';
import { fieldName, MIRRORED_COMPARISON } from '../parser/ast.js';
import { functionDefinition } from '../language/functions/index.js';
import type { ScriptValue } from '../semantics/null-logic.js';
import { compare3 } from '../semantics/null-logic.js';
import { evaluate, type FieldRead, fieldsOf } from './evaluate.js';
import type { Random } from './random.js';
import { stringsMatchingRegex } from './regex.js';
import { addressIn, fillWildcards, luceneUnescaped, someAddresses, textOfLength, textVariants, type Value, valueForField, variantsOf, word } from './values.js';

/** Values for some fields of one event, by dotted name; undefined: the field is absent. */
export type Assignment = ReadonlyMap<string, Value | undefined>;

export interface CandidateContext {
  readonly rng: Random;
  /** The fields' current values. */
  readonly read: FieldRead;
}

/** How many values of a list (`in`, `:` with many patterns) are tried. */
const LIST_SAMPLE = 4;

const NONE: Assignment[] = [];
const one = (name: string, value: Value | undefined): Assignment => new Map([[name, value]]);
const merge = (a: Assignment, b: Assignment): Assignment => (a.size === 0 ? b : b.size === 0 ? a : new Map([...a, ...b]));
const isConstant = (e: A.Expression): boolean => fieldsOf(e).length === 0;

const NEGATED: Record<A.ComparisonOperator, A.ComparisonOperator> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** Candidates that make a condition leaf `want` (true or false). */
export function leafCandidates(e: A.Expression, want: boolean, ctx: CandidateContext): Assignment[] {
  switch (e.type) {
    case 'Comparison':
      return comparisonCandidates(e, want, ctx);
    case 'Match':
      return matchCandidates(e, want, ctx);
    case 'In':
      return membershipCandidates(e, want, ctx);
    case 'FunctionCall':
      return invert(e, want, ctx);
    case 'Field':
      return want ? [one(fieldName(e), true)] : [one(fieldName(e), false), one(fieldName(e), undefined)];
    case 'IsNull':
      return want !== e.negated ? invert(e.operand, null, ctx) : presentCandidates(e.operand, ctx);
    default:
      return NONE;
  }
}

/**
 * A value computed from fields that are not the ones being solved: its value
 * now, with values given first to the fields it needs that have none.
 */
function settle(e: A.Expression, ctx: CandidateContext, numeric: boolean): { value: ScriptValue; fills: Assignment } | null {
  const now = evaluate(e, ctx.read);
  if (now === undefined) return null;
  if (now !== null) return { value: now, fills: new Map() };
  const fills = new Map<string, Value | undefined>();
  for (const name of fieldsOf(e)) if (ctx.read(name) === undefined) fills.set(name, numeric ? ctx.rng.int(1, 20) : valueForField(name, ctx.rng));
  if (fills.size === 0) return { value: null, fills };
  const read: FieldRead = (name) => (fills.has(name) ? fills.get(name) : ctx.read(name));
  const value = evaluate(e, read);
  return value === undefined ? null : { value, fills };
}

/** A constant that reads as a date: a range on a date field compares instants, not text. */
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/;

function shiftedDate(text: string, ms: number): string {
  const t = Date.parse(text);
  return Number.isFinite(t) ? new Date(t + ms).toISOString() : text;
}

/** Values for which `value op c` holds. */
function valuesFor(op: A.ComparisonOperator, c: ScriptValue, rng: Random): Value[] {
  if (c === null) return [];
  switch (op) {
    case '==':
      return [c];
    case '!=':
      return variantsOf(c, rng);
    case '<':
      if (typeof c === 'number') return Number.isInteger(c) ? [c - 1, c - rng.int(2, 20)] : [c - 0.5, Math.floor(c) - 1];
      if (typeof c === 'string' && DATE.test(c)) return [shiftedDate(c, -1000), shiftedDate(c, -86_400_000)];
      return typeof c === 'string' && c.length > 0 ? [c.slice(0, -1), ''] : [];
    case '<=':
      return [c, ...valuesFor('<', c, rng)];
    case '>':
      if (typeof c === 'number') return Number.isInteger(c) ? [c + 1, c + rng.int(2, 20)] : [c + 0.5, Math.ceil(c) + 1];
      if (typeof c === 'string' && DATE.test(c)) return [shiftedDate(c, 1000), shiftedDate(c, 86_400_000)];
      return typeof c === 'string' ? [`${c}a`, `${c}${word(rng)}`] : [];
    case '>=':
      return [c, ...valuesFor('>', c, rng)];
  }
}

function comparisonCandidates(e: A.Comparison, want: boolean, ctx: CandidateContext): Assignment[] {
  let subject = e.left;
  let other = e.right;
  let op = e.operator;
  if (isConstant(subject) && !isConstant(other)) {
    subject = e.right;
    other = e.left;
    op = MIRRORED_COMPARISON[op];
  }
  const settled = settle(other, ctx, false);
  if (!settled) return NONE;
  const { value: c, fills } = settled;
  if (c === null) {
    // `x == null` is a null test; a range with a null bound asks only that a value be there.
    const isNull = op === '==' ? want : op === '!=' ? !want : !want;
    return (isNull ? invert(subject, null, ctx) : presentCandidates(subject, ctx)).map((a) => merge(fills, a));
  }
  const effective = want ? op : NEGATED[op];
  const out = valuesFor(effective, c, ctx.rng).flatMap((v) => invert(subject, v, ctx));
  // A leaf is false, and `!=` (the negation of `==`) true, where the value is missing.
  if (!want || op === '!=') out.push(...invert(subject, null, ctx));
  return out.map((a) => merge(fills, a));
}

/** Texts that one of a match's patterns matches. */
function textsMatching(e: A.Match, ctx: CandidateContext): string[] {
  const patterns = e.patterns.filter((p): p is A.StringLiteral => p.type === 'String').map((p) => p.value);
  if (patterns.length === 0) return [];
  if (e.operator === 'regex' || e.operator === 'regex~') return stringsMatchingRegex(patterns, e.operator === 'regex~', ctx.rng, 3);
  return ctx.rng.sample(patterns, LIST_SAMPLE).flatMap((p) => [fillWildcards(p, ctx.rng), fillWildcards(p, ctx.rng, 'empty')]);
}

function matchCandidates(e: A.Match, want: boolean, ctx: CandidateContext): Assignment[] {
  const matching = textsMatching(e, ctx);
  if (want) return matching.flatMap((t) => invert(e.subject, t, ctx));
  const others = [...(matching.length > 0 ? textVariants(matching[0]!, ctx.rng) : []), word(ctx.rng)];
  return [...others.flatMap((t) => invert(e.subject, t, ctx)), ...invert(e.subject, null, ctx)];
}

function membershipCandidates(e: A.In, want: boolean, ctx: CandidateContext): Assignment[] {
  const values = e.values.map((v) => evaluate(v, ctx.read)).filter((v): v is Exclude<ScriptValue, null> => v !== undefined && v !== null);
  const inList = want !== e.negated;
  if (inList) return ctx.rng.sample(values, LIST_SAMPLE).flatMap((v) => invert(e.subject, v, ctx));
  const others = values.length > 0 ? variantsOf(ctx.rng.pick(values), ctx.rng) : [word(ctx.rng)];
  return [...others.flatMap((v) => invert(e.subject, v, ctx)), ...invert(e.subject, null, ctx)];
}

/** Candidates that give an expression some value (any), for `x != null`. */
function presentCandidates(e: A.Expression, ctx: CandidateContext): Assignment[] {
  if (e.type === 'Field') return [one(fieldName(e), valueForField(fieldName(e), ctx.rng))];
  const fills = new Map<string, Value>();
  for (const name of fieldsOf(e)) fills.set(name, ctx.read(name) ?? valueForField(name, ctx.rng));
  return [fills, ...invert(e, 1, ctx), ...invert(e, word(ctx.rng), ctx)];
}

/** Candidates under which an expression evaluates to `value` (null: to null). */
export function invert(e: A.Expression, value: Value, ctx: CandidateContext): Assignment[] {
  if (Array.isArray(value)) return NONE;
  switch (e.type) {
    case 'Field':
      return [one(fieldName(e), value === null ? undefined : value)];
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null': {
      const v = evaluate(e, ctx.read);
      return (v === null && value === null) || (v !== undefined && v !== null && value !== null && compare3(v, value) === 0) ? [new Map()] : NONE;
    }
    case 'Unary':
      if (e.operator === '+') return invert(e.operand, value, ctx);
      return typeof value === 'number' ? invert(e.operand, -value, ctx) : value === null ? invert(e.operand, null, ctx) : NONE;
    case 'Arithmetic':
      return invertArithmetic(e.operator, e.left, e.right, value, ctx);
    case 'FunctionCall':
      return invertCall(e, value, ctx);
    case 'Comparison':
    case 'Match':
    case 'In':
    case 'IsNull':
      if (typeof value === 'boolean') return leafCandidates(e, value, ctx);
      return value === null
        ? fieldsOf(e)
            .slice(0, 1)
            .map((name) => one(name, undefined))
        : NONE;
    default:
      return NONE;
  }
}

function invertArithmetic(op: A.ArithmeticOperator, left: A.Expression, right: A.Expression, value: Value, ctx: CandidateContext): Assignment[] {
  if (value === null) return [...invert(left, null, ctx), ...invert(right, null, ctx)];
  if (typeof value !== 'number') return NONE;
  const solveLeft = !isConstant(left) || isConstant(right);
  const known = settle(solveLeft ? right : left, ctx, true);
  if (!known || typeof known.value !== 'number') return NONE;
  const c = known.value;
  let targets: number[];
  if (solveLeft) {
    targets =
      op === '+' ? [value - c] : op === '-' ? [value + c] : op === '*' ? (c === 0 ? [] : [value / c]) : op === '/' ? [value * c] : Math.abs(value) < Math.abs(c) ? [value, value + Math.abs(c)] : [];
  } else {
    targets = op === '+' ? [value - c] : op === '-' ? [c - value] : op === '*' ? (c === 0 ? [] : [value / c]) : op === '/' ? (value === 0 ? [] : [c / value]) : [];
  }
  return targets.filter(Number.isFinite).flatMap((t) => invert(solveLeft ? left : right, t, ctx).map((a) => merge(known.fills, a)));
}

/** Texts tried around a required piece: the piece alone, with a word before, after, or both. */
function around(piece: string, rng: Random, where: 'start' | 'end' | 'inside'): string[] {
  const w = word(rng);
  if (where === 'start') return [`${piece}${w}`, piece];
  if (where === 'end') return [`${w}${piece}`, piece];
  return [`${w}${piece}${word(rng)}`, piece];
}

function invertCall(e: A.FunctionCall, value: Value, ctx: CandidateContext): Assignment[] {
  const definition = functionDefinition(e.name);
  if (!definition) return NONE;
  const [subject, ...rest] = e.args;
  if (!subject) return NONE;
  const rng = ctx.rng;
  if (definition.arithmetic && e.args.length === 2) return invertArithmetic(definition.arithmetic, e.args[0]!, e.args[1]!, value, ctx);
  switch (definition.name) {
    case 'startsWith':
    case 'endsWith':
    case 'stringContains': {
      if (typeof value !== 'boolean') return value === null ? invert(subject, null, ctx) : NONE;
      const piece = settle(rest[0]!, ctx, false);
      if (!piece || typeof piece.value !== 'string') return NONE;
      const text = piece.value;
      const where = definition.name === 'startsWith' ? 'start' : definition.name === 'endsWith' ? 'end' : 'inside';
      // On a field, endsWith and stringContains run as Lucene wildcard queries, where `\\` escapes.
      const plain = where === 'start' ? text : luceneUnescaped(text);
      const texts = value ? [...around(text, rng, where), ...(plain !== text ? around(plain, rng, where) : [])] : [...textVariants(text, rng).filter((t) => !t.includes(text)), word(rng)];
      const out = texts.flatMap((t) => invert(subject, t, ctx).map((a) => merge(piece.fills, a)));
      if (!value) out.push(...invert(subject, null, ctx));
      return out;
    }
    case 'cidrMatch': {
      if (typeof value !== 'boolean') return value === null ? invert(subject, null, ctx) : NONE;
      const blocks = rest.map((b) => evaluate(b, ctx.read)).filter((b): b is string => typeof b === 'string');
      const addresses = value
        ? rng
            .sample(blocks, LIST_SAMPLE)
            .map((b) => addressIn(b, rng))
            .filter((a): a is string => a !== null)
        : someAddresses(rng);
      const out = addresses.flatMap((a) => invert(subject, a, ctx));
      if (!value) out.push(...invert(subject, null, ctx));
      return out;
    }
    case 'length':
      if (value === null) return invert(subject, null, ctx);
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000 ? invert(subject, textOfLength(value, rng), ctx) : NONE;
    case 'string':
      if (typeof value !== 'string') return value === null ? invert(subject, null, ctx) : NONE;
      return [...invert(subject, value, ctx), ...(value.trim() !== '' && Number.isFinite(Number(value)) ? invert(subject, Number(value), ctx) : [])];
    case 'number': {
      if (typeof value !== 'number') return value === null ? invert(subject, null, ctx) : NONE;
      const base = rest[0] ? evaluate(rest[0], ctx.read) : null;
      const text = typeof base === 'number' && base !== 10 && Number.isInteger(value) ? value.toString(base) : String(value);
      return invert(subject, text, ctx);
    }
    case 'concat':
      return invertConcat(e.args, value, ctx);
    case 'substring':
    case 'between':
    case 'indexOf':
      return searchAround(e, subject, value, ctx);
    default:
      return NONE;
  }
}

/**
 * `concat(…) == value`: the value cut into the arguments' parts, where the
 * arguments that have a value (constants, fields already set) must appear
 * as they are, and the others take what lies between them.
 */
function invertConcat(args: readonly A.Expression[], value: Value, ctx: CandidateContext): Assignment[] {
  if (value === null) {
    const open = args.find((a) => !isConstant(a));
    return open ? invert(open, null, ctx) : NONE;
  }
  if (typeof value !== 'string') return NONE;
  const known = args.map((a) => {
    const v = evaluate(a, ctx.read);
    return v === undefined || v === null ? null : String(v);
  });
  const out: Assignment[] = [];
  const walk = (i: number, at: number, acc: Assignment): void => {
    if (out.length >= 3) return;
    if (i === args.length) {
      if (at === value.length) out.push(acc);
      return;
    }
    const text = known[i];
    if (text !== null && text !== undefined) {
      if (value.startsWith(text, at)) walk(i + 1, at + text.length, acc);
      return;
    }
    // An open argument ends where the next known part is found, or at the end.
    const next = known[i + 1];
    const ends: number[] = [];
    if (i === args.length - 1) ends.push(value.length);
    else if (next !== null && next !== undefined) for (let p = value.indexOf(next, at); p >= 0 && ends.length < 4; p = value.indexOf(next, p + 1)) ends.push(p);
    else for (let p = at; p <= value.length && ends.length < 4; p++) ends.push(p);
    for (const end of ends) {
      const [part] = invert(args[i]!, value.slice(at, end), ctx);
      if (part) walk(i + 1, end, merge(acc, part));
    }
  };
  walk(0, 0, new Map());
  return out;
}

/** The arguments of these functions that are positions (numbers), by index. */
const POSITION_ARGUMENTS: Readonly<Record<string, readonly number[]>> = { substring: [1, 2], indexOf: [2], between: [] };

/**
 * `substring`, `between` and `indexOf`: texts made of the wanted piece with
 * a few characters on either side (for `between`, the piece inside its two
 * delimiters; for `indexOf`, the searched text at the wanted position), kept
 * when the call, evaluated, gives the value.
 */
function searchAround(e: A.FunctionCall, subject: A.Expression, value: Value, ctx: CandidateContext): Assignment[] {
  if (value === null) return [...invert(subject, null, ctx), ...invert(subject, word(ctx.rng), ctx)];
  if (Array.isArray(value)) return NONE;
  let fills: Assignment = new Map();
  const texts: string[] = [];
  for (let i = 1; i < e.args.length; i++) {
    const known = settle(e.args[i]!, ctx, POSITION_ARGUMENTS[e.name]!.includes(i));
    if (!known) return NONE;
    fills = merge(fills, known.fills);
    texts[i] = known.value === null ? '' : String(known.value);
  }
  let middle: string;
  if (e.name === 'between') middle = `${texts[1]}${String(value)}${texts[2]}`;
  else if (e.name === 'indexOf') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) return NONE;
    middle = `${'x'.repeat(value)}${texts[1]}`;
  } else middle = String(value);
  const out: Assignment[] = [];
  for (let left = 0; left <= 6 && out.length < 3; left++) {
    for (let right = 0; right <= 4 && out.length < 3; right++) {
      const guess = `${textOfLength(left, ctx.rng)}${middle}${textOfLength(right, ctx.rng)}`;
      for (const a of invert(subject, guess, ctx)) {
        const read: FieldRead = (name) => (a.has(name) ? a.get(name) : fills.has(name) ? fills.get(name) : ctx.read(name));
        const got = evaluate(e, read);
        if (got !== undefined && got !== null && compare3(got, value) === 0) out.push(merge(fills, a));
      }
    }
  }
  return out;
}
