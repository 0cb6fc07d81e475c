/**
 * AST → canonical EQL text. Printing then parsing gives back an equal AST
 * (locations aside): parentheses are added exactly where precedence needs them.
 * The one node the parser never makes, the optimizer's `IsNull`, prints as
 * the comparison it comes from (`x == null`, `x != null`).
 */
import type * as A from './ast.js';
import { KEYWORDS } from './tokens.js';

const IDENTIFIER = /^[A-Za-z_@][A-Za-z0-9_]*$/;

/** Binding strength, loosest first. A child that binds more loosely than its slot allows is parenthesised. */
enum Prec {
  Or = 1,
  And,
  Not,
  Comparison,
  Additive,
  Multiplicative,
  Unary,
  Predicate,
  Primary,
}

function precedence(e: A.Expression): Prec {
  switch (e.type) {
    case 'Or':
      return Prec.Or;
    case 'And':
      return Prec.And;
    case 'Not':
      return Prec.Not;
    case 'Comparison':
    case 'IsNull':
      return Prec.Comparison;
    case 'Arithmetic':
      return e.operator === '+' || e.operator === '-' ? Prec.Additive : Prec.Multiplicative;
    case 'Unary':
      return Prec.Unary;
    case 'Match':
    case 'In':
      return Prec.Predicate;
    default:
      return Prec.Primary;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A double-quoted EQL string literal for any value. */
export function formatString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const simple = SIMPLE_ESCAPES[ch];
    if (simple) out += simple;
    else {
      const code = ch.codePointAt(0)!;
      out += code < 0x20 || code === 0x7f ? `\\u{${code.toString(16).toUpperCase().padStart(2, '0')}}` : ch;
    }
  }
  return `${out}"`;
}

function formatIdentifier(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function formatCategory(category: string | null): string {
  if (category === null) return 'any';
  return IDENTIFIER.test(category) && !KEYWORDS.has(category) ? category : formatString(category);
}

function child(e: A.Expression, atLeast: Prec): string {
  const text = formatExpression(e);
  return precedence(e) < atLeast ? `(${text})` : text;
}

/** Canonical text of one expression. */
export function formatExpression(e: A.Expression): string {
  switch (e.type) {
    case 'String':
      return formatString(e.value);
    case 'Number':
      return e.text;
    case 'Boolean':
      return e.value ? 'true' : 'false';
    case 'Null':
      return 'null';
    case 'Field':
      return `${e.optional ? '?' : ''}${e.path.map(formatIdentifier).join('.')}`;
    case 'Or':
      return e.operands.map((o) => child(o, Prec.And)).join(' or ');
    case 'And':
      return e.operands.map((o) => child(o, Prec.Not)).join(' and ');
    case 'Not':
      return `not ${child(e.operand, Prec.Not)}`;
    case 'Comparison':
      return `${child(e.left, Prec.Additive)} ${e.operator} ${child(e.right, Prec.Additive)}`;
    case 'Arithmetic': {
      const own = precedence(e);
      return `${child(e.left, own)} ${e.operator} ${child(e.right, own + 1)}`;
    }
    case 'Unary': {
      const operand = child(e.operand, Prec.Unary);
      // `- -x` rather than `--x` reads better and lexes the same.
      return `${e.operator}${operand.startsWith('-') || operand.startsWith('+') ? ' ' : ''}${operand}`;
    }
    case 'Match': {
      const patterns = e.patterns.map(formatExpression);
      const rhs = patterns.length === 1 ? patterns[0]! : `(${patterns.join(', ')})`;
      return `${child(e.subject, Prec.Primary)} ${e.operator} ${rhs}`;
    }
    case 'In':
      return `${child(e.subject, Prec.Primary)} ${e.negated ? 'not ' : ''}${e.caseInsensitive ? 'in~' : 'in'} (${e.values.map(formatExpression).join(', ')})`;
    case 'FunctionCall':
      return `${e.name}${e.caseInsensitive ? '~' : ''}(${e.args.map(formatExpression).join(', ')})`;
    case 'IsNull':
      // No syntax of its own: the comparison it stands for, which the optimizer turns back into it.
      return `${child(e.operand, Prec.Additive)} ${e.negated ? '!=' : '=='} null`;
  }
}

function formatFilter(f: A.EventFilter): string {
  return `${formatCategory(f.category)} where ${formatExpression(f.condition)}`;
}

function formatBy(by: readonly A.Field[]): string {
  return by.length > 0 ? ` by ${by.map(formatExpression).join(', ')}` : '';
}

function formatTimeSpan(t: A.TimeSpan): string {
  if (t.unit === null) return t.text;
  // A unit such as `e5` written straight after digits would read as an exponent.
  return /^[eE]/.test(t.unit) ? `${t.text} ${t.unit}` : `${t.text}${t.unit}`;
}

function formatJoinStage(s: A.JoinStage): string {
  return `[${formatFilter(s.filter)}]${formatBy(s.by)}`;
}

function formatSequenceStage(s: A.SequenceStage): string {
  const runs = s.runs !== null ? ` with runs=${s.runs}` : '';
  return `${s.missing ? '!' : ''}[${formatFilter(s.filter)}]${formatBy(s.by)}${runs}`;
}

function formatPipes(pipes: readonly A.Pipe[]): string {
  return pipes.map((p) => ` | ${p.name}${p.args.length > 0 ? ` ${p.args.map(formatExpression).join(', ')}` : ''}`).join('');
}

/** Canonical EQL text of a query. Sequences, samples and joins put each stage on its own line. */
export function format(query: A.Query): string {
  switch (query.type) {
    case 'EventQuery':
      return `${formatFilter(query.filter)}${formatPipes(query.pipes)}`;
    case 'SequenceQuery': {
      const maxspan = query.maxspan ? ` with maxspan=${formatTimeSpan(query.maxspan)}` : '';
      const stages = query.stages.map((s) => `\n  ${formatSequenceStage(s)}`).join('');
      const until = query.until ? `\nuntil ${formatJoinStage(query.until)}` : '';
      return `sequence${formatBy(query.by)}${maxspan}${stages}${until}${formatPipes(query.pipes)}`;
    }
    case 'SampleQuery':
      return `sample${formatBy(query.by)}${query.stages.map((s) => `\n  ${formatJoinStage(s)}`).join('')}${formatPipes(query.pipes)}`;
    case 'JoinQuery': {
      const until = query.until ? `\nuntil ${formatJoinStage(query.until)}` : '';
      return `join${formatBy(query.by)}${query.stages.map((s) => `\n  ${formatJoinStage(s)}`).join('')}${until}${formatPipes(query.pipes)}`;
    }
  }
}
