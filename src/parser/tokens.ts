/**
 * Token vocabulary of EQL, as chevrotain token types.
 *
 * Keywords are lower-case and case-sensitive: `AND` is a field name, not the
 * operator. Tokens that Elasticsearch recognises only to reject (single-quoted
 * strings, `?"…"` strings, `'`) are lexed here so the parser can say exactly
 * what is wrong instead of reporting a stray character.
 */
import { createToken, Lexer, type TokenType, type CustomPatternMatcherReturn, type ILexingResult } from 'chevrotain';

/** `/* … *\/` comments nest, which a regular expression cannot express. */
function matchBlockComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 0x2f || text.charCodeAt(offset + 1) !== 0x2a) return null;
  let depth = 1;
  let i = offset + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      depth++;
      i += 2;
    } else if (c === 0x2a && text.charCodeAt(i + 1) === 0x2f) {
      depth--;
      i += 2;
      if (depth === 0) return [text.slice(offset, i)] as unknown as CustomPatternMatcherReturn;
    } else {
      i++;
    }
  }
  // Unterminated: let the lexer report an error at the opening `/*`.
  return null;
}

/** An opening `/*` that never closes; lexed so the parser can point at it. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true, label: 'an unterminated comment' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: { exec: (text: string, offset: number) => matchBlockComment(text, offset) } as never,
  start_chars_hint: ['/'],
  line_breaks: true,
  group: Lexer.SKIPPED,
});

// Strings. A raw string must be tried before an ordinary one, since `"""` also
// starts an empty ordinary string. Escapes are validated when the AST is built,
// so a bad escape is reported at its own position.
export const RawString = createToken({ name: 'RawString', pattern: /"""[^\r\n]*?""""?"?/, label: 'a string' });
export const DoubleQuotedString = createToken({ name: 'String', pattern: /"(?:\\[^\r\n]|[^"\\\r\n])*"/, label: 'a string' });
export const SingleQuotedString = createToken({ name: 'SingleQuotedString', pattern: /'(?:\\[^\r\n]|[^'\\\r\n])*'/, label: 'a single-quoted string' });
export const QuestionString = createToken({ name: 'QuestionString', pattern: /\?"(?:\\"|[^"\r\n])*"|\?'(?:\\'|[^'\r\n])*'/, label: 'a ?-string' });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:\\[^\r\n]|[^"\\\r\n])*/, label: 'an unterminated string' });

export const EscapedIdentifier = createToken({ name: 'EscapedIdentifier', pattern: /`(?:[^`]|``)*`/, line_breaks: true, label: 'a back-quoted field name' });

export const DecimalValue = createToken({
  name: 'DecimalValue',
  pattern: /(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/,
  label: 'a number',
});
export const IntegerValue = createToken({ name: 'IntegerValue', pattern: /\d+/, label: 'a number' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_@][A-Za-z0-9_]*/, label: 'a name' });
/** `startsWith~`: a function name with the case-insensitive marker. */
export const TildeIdentifier = createToken({ name: 'TildeIdentifier', pattern: /[A-Za-z][A-Za-z0-9_]*~/, label: 'a function name' });

function keyword(word: string): TokenType {
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const And = keyword('and');
export const Any = keyword('any');
export const By = keyword('by');
export const False = keyword('false');
export const In = keyword('in');
export const Join = keyword('join');
export const Like = keyword('like');
export const Maxspan = keyword('maxspan');
export const Not = keyword('not');
export const Null = keyword('null');
export const Of = keyword('of');
export const Or = keyword('or');
export const Regex = keyword('regex');
export const Sample = keyword('sample');
export const Sequence = keyword('sequence');
export const True = keyword('true');
export const Until = keyword('until');
export const Where = keyword('where');
export const With = keyword('with');

export const InInsensitive = createToken({ name: 'InInsensitive', pattern: /in~/, label: "'in~'" });
export const LikeInsensitive = createToken({ name: 'LikeInsensitive', pattern: /like~/, label: "'like~'" });
export const RegexInsensitive = createToken({ name: 'RegexInsensitive', pattern: /regex~/, label: "'regex~'" });

export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Eq = createToken({ name: 'Eq', pattern: /==/, label: "'=='" });
export const Neq = createToken({ name: 'Neq', pattern: /!=/, label: "'!='" });
export const MissingEventOpen = createToken({ name: 'MissingEventOpen', pattern: /!\[/, label: "'!['" });
export const Lte = createToken({ name: 'Lte', pattern: /<=/, label: "'<='" });
export const Gte = createToken({ name: 'Gte', pattern: />=/, label: "'>='" });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'" });
export const Assign = createToken({ name: 'Assign', pattern: /=/, label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Asterisk = createToken({ name: 'Asterisk', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
export const Question = createToken({ name: 'Question', pattern: /\?/, label: "'?'" });

/** Order matters: chevrotain takes the first pattern that matches. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  RawString,
  DoubleQuotedString,
  UnterminatedString,
  SingleQuotedString,
  QuestionString,
  EscapedIdentifier,
  DecimalValue,
  IntegerValue,
  InInsensitive,
  LikeInsensitive,
  RegexInsensitive,
  TildeIdentifier,
  And,
  Any,
  By,
  False,
  In,
  Join,
  Like,
  Maxspan,
  Not,
  Null,
  Of,
  Or,
  Regex,
  Sample,
  Sequence,
  True,
  Until,
  Where,
  With,
  Identifier,
  Colon,
  Eq,
  Neq,
  MissingEventOpen,
  Lte,
  Gte,
  Lt,
  Gt,
  Assign,
  Plus,
  Minus,
  Asterisk,
  Slash,
  Percent,
  Dot,
  Comma,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Pipe,
  Question,
];

/** Lower-case words that must be back-quoted to be used as field names. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'any',
  'by',
  'false',
  'in',
  'join',
  'like',
  'maxspan',
  'not',
  'null',
  'of',
  'or',
  'regex',
  'sample',
  'sequence',
  'true',
  'until',
  'where',
  'with',
]);

/**
 * A lexer for EQL. `validate` checks the token definitions themselves as the
 * lexer is built (the lexer's test does); the one in use skips that.
 */
export function createEqlLexer(validate = false): Lexer {
  return new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: validate, skipValidations: !validate });
}

let lexer: Lexer | undefined;

/**
 * The EQL lexer, built on first use: building it analyses every token pattern,
 * which the command line's start and an import of the package should not wait for.
 */
export const eqlLexer = {
  tokenize(text: string): ILexingResult {
    lexer ??= createEqlLexer();
    return lexer.tokenize(text);
  },
};
