/**
 * text → tokens → CST → AST. The one entry point of the parser stage.
 */
import type { IToken, IRecognitionException } from 'chevrotain';
import { EOF } from 'chevrotain';
import type { Position, Query, Node } from './ast.js';
import { childNodes } from './ast.js';
import { EqlInvalidArgumentError, EqlSyntaxError, positionOf } from '../errors.js';
import { eqlLexer, KEYWORDS } from './tokens.js';
import { grammar } from './grammar.js';
import { AstBuilder } from './to-ast.js';
import { checkStructure } from './structure.js';

/**
 * How deeply brackets and prefix operators may nest. The recursive-descent
 * parser spends dozens of stack frames per level and overflows the default
 * stack at about 175, so the limit keeps a wide margin; real rules nest fewer
 * than ten levels.
 */
export const MAX_NESTING_DEPTH = 100;
/** How deep the finished AST may be (long arithmetic chains nest to the left). */
export const MAX_AST_DEPTH = 1000;

const OPERAND_END = new Set(['Identifier', 'EscapedIdentifier', 'IntegerValue', 'DecimalValue', 'String', 'RawString', 'RParen', 'RBracket', 'True', 'False', 'Null']);
const OPENERS = new Set(['LParen', 'LBracket', 'MissingEventOpen']);
const CLOSERS = new Set(['RParen', 'RBracket']);

/** Where the end of input is: just past the last token, or the start of an empty query. */
function endPosition(source: string, tokens: IToken[]): Position {
  const last = tokens[tokens.length - 1];
  if (!last) return positionOf(source, source.length);
  return { offset: (last.endOffset ?? last.startOffset) + 1, line: last.endLine ?? 1, column: (last.endColumn ?? 1) + 1 };
}

function tokenPosition(t: IToken): Position {
  return { offset: t.startOffset, line: t.startLine ?? 1, column: t.startColumn ?? 1 };
}

/** Tokens that Elasticsearch's lexer knows only so that it can reject them. */
function rejectForbiddenTokens(source: string, tokens: IToken[]): void {
  for (const t of tokens) {
    const fail = (reason: string): never => {
      throw new EqlSyntaxError(reason, source, tokenPosition(t), { length: t.image.length });
    };
    switch (t.tokenType.name) {
      case 'SingleQuotedString':
        fail('single-quoted strings are not supported; use double quotes, as in "text"');
        break;
      case 'QuestionString':
        fail('?"…" strings are not supported; use a raw string """…""" or escape backslashes in "…"');
        break;
      case 'UnterminatedString':
        fail('unterminated string: a string must close with " on the same line');
        break;
      case 'UnterminatedComment':
        throw new EqlSyntaxError('unterminated comment: /* needs a matching */', source, tokenPosition(t), { length: 2 });
    }
  }
}

function checkNesting(source: string, tokens: IToken[]): void {
  const stack: number[] = [0];
  let depth = 0;
  let previous: string | undefined;
  for (const t of tokens) {
    const name = t.tokenType.name;
    const prefix = name === 'Not' || ((name === 'Minus' || name === 'Plus') && !OPERAND_END.has(previous ?? ''));
    if (prefix) depth++;
    else if (OPENERS.has(name)) {
      depth++;
      stack.push(depth);
    } else if (CLOSERS.has(name)) {
      if (stack.length > 1) stack.pop();
      depth = stack[stack.length - 1]!;
    } else depth = stack[stack.length - 1]!;
    if (depth > MAX_NESTING_DEPTH) {
      throw new EqlSyntaxError(`the query nests more than ${MAX_NESTING_DEPTH} levels deep`, source, tokenPosition(t), { code: 'EQL_TOO_DEEP' });
    }
    previous = name;
  }
}

function checkAstDepth(source: string, root: Node): void {
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_AST_DEPTH) {
      throw new EqlSyntaxError(`the query nests more than ${MAX_AST_DEPTH} levels deep`, source, node.location.start, { code: 'EQL_TOO_DEEP' });
    }
    for (const child of childNodes(node)) stack.push([child, depth + 1]);
  }
}

/** A keyword written in the wrong case (`AND`, `Like`) reads as a field name. */
function miscasedKeyword(t: IToken | undefined): string | undefined {
  if (!t || (t.tokenType.name !== 'Identifier' && t.tokenType.name !== 'TildeIdentifier')) return undefined;
  const lower = t.image.toLowerCase();
  if (lower === t.image) return undefined;
  return KEYWORDS.has(lower) || /^(?:like|regex|in)~$/.test(lower) ? lower : undefined;
}

function syntaxErrorFrom(source: string, tokens: IToken[], error: IRecognitionException): EqlSyntaxError {
  const t = error.token;
  const atEnd = t.tokenType === EOF || Number.isNaN(t.startOffset);
  const position = atEnd ? endPosition(source, tokens) : tokenPosition(t);
  const index = atEnd ? tokens.length : tokens.indexOf(t);
  const previous = index > 0 ? tokens[index - 1] : undefined;
  let reason = error.message;
  const miscased = miscasedKeyword(atEnd ? undefined : t) ?? miscasedKeyword(previous);
  if (miscased) reason = `${reason}; keywords and operators are lower-case: write '${miscased}'`;
  if (!atEnd && t.tokenType.name === 'Assign') reason = "'=' is not an operator: compare with '==' (or ':' for case-insensitive matching)";
  else if (!atEnd && t.tokenType.name === 'Colon' && error.name !== 'MismatchedTokenException') reason = `${reason}; ':' needs a field or expression on its left`;
  else if (!atEnd && ['Eq', 'Neq', 'Lt', 'Lte', 'Gt', 'Gte'].includes(t.tokenType.name) && /^unexpected/.test(reason)) {
    reason = `comparisons cannot be chained: put parentheses around one of them or join them with 'and' (found '${t.image}')`;
  } else if (!atEnd && t.tokenType.name === 'Maxspan' && previous?.tokenType.name === 'With') {
    reason = "'with maxspan' belongs right after 'sequence' and its 'by' keys, before the first stage";
  } else if (!atEnd && KEYWORDS.has(t.image) && !['not', 'true', 'false', 'null', 'and', 'or', 'in', 'like', 'regex'].includes(t.image) && error.name === 'NoViableAltException') {
    reason = `${reason}; '${t.image}' is a keyword: back-quote it to use it as a field name, as in \`${t.image}\``;
  }
  return new EqlSyntaxError(reason, source, position, { length: atEnd ? 1 : Math.max(1, t.image.length) });
}

/**
 * Parses an EQL query into its AST.
 *
 * @throws {EqlSyntaxError} with the line, column and a code frame when the text is not valid EQL.
 * @throws {EqlInvalidArgumentError} when `source` is not a string.
 */
export function parse(source: string): Query {
  if (typeof source !== 'string') throw new EqlInvalidArgumentError('parse', 'source', 'the query text (a string)', source);
  const lexed = eqlLexer.tokenize(source);
  const tokens = lexed.tokens;
  const lexError = lexed.errors[0];
  if (lexError) {
    const position: Position = { offset: lexError.offset, line: lexError.line ?? 1, column: lexError.column ?? 1 };
    const ch = source.slice(lexError.offset, lexError.offset + 2);
    const reason = ch.startsWith('/*')
      ? 'unterminated comment: /* needs a matching */'
      : ch === '!:'
        ? "'!:' is not an operator: negate the match instead, as in 'not x : \"a\"'"
        : `unexpected character '${String.fromCodePoint(source.codePointAt(lexError.offset) ?? 0)}'`;
    throw new EqlSyntaxError(reason, source, position, { length: ch === '!:' ? 2 : 1 });
  }
  rejectForbiddenTokens(source, tokens);
  checkNesting(source, tokens);
  if (tokens.length === 0) throw new EqlSyntaxError('the query is empty', source, endPosition(source, tokens));

  const parser = grammar();
  parser.input = tokens;
  let cst: ReturnType<typeof parser.statement>;
  try {
    cst = parser.statement();
  } catch (e) {
    // Called from an already deep stack, even allowed nesting can overflow it.
    if (e instanceof RangeError) {
      throw new EqlSyntaxError('the query nests too deeply to parse here', source, tokenPosition(tokens[0]!), { code: 'EQL_TOO_DEEP' });
    }
    throw e;
  }
  const parseError = parser.errors[0];
  if (parseError) throw syntaxErrorFrom(source, tokens, parseError);

  const query = new AstBuilder(source).statement(cst);
  checkAstDepth(source, query);
  checkStructure(query, source);
  return query;
}
