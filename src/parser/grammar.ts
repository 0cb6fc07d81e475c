/**
 * The EQL grammar as a chevrotain CstParser. It follows Elasticsearch's
 * EqlBase.g4: precedence from loosest to tightest is `or`, `and`, `not`,
 * comparison, `+ -`, `* / %`, unary sign, and a primary with its optional
 * predicate (`in`, `:`, `like`, `regex`). It only recognises structure; the
 * CST → AST step (to-ast.ts) checks values and builds typed nodes.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type TokenType, type IToken } from 'chevrotain';
import * as T from './tokens.js';

function describe(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the query';
  return `'${token.image.length > 30 ? `${token.image.slice(0, 27)}...` : token.image}'`;
}

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** What each rule expects, in EQL terms, for "expected … but found …" messages. */
const RULE_EXPECTATIONS: Record<string, string> = {
  statement: 'a query',
  query: "an event query ('<category> where …'), 'sequence' or 'sample'",
  eventFilter: "an event category or 'any'",
  primary: 'a value: a field, a literal, a function call or a parenthesised expression',
  literal: 'a literal',
  fieldRef: 'a field name',
  fieldSegment: 'a field name',
  timeSpan: 'a number with a time unit such as 5s',
  subquery: "'[' to open a stage",
  pipe: 'a pipe name such as head or tail',
  predicate: "an operator such as ':', 'like', 'regex' or 'in'",
  patternList: 'a literal or a parenthesised list of literals',
  sequenceParams: "'maxspan'",
  // The first rule to find no expression where one must start: `expression` now, `notExpression` before the shortcut for lone literals.
  expression: 'an expression',
  notExpression: 'an expression',
  comparison: 'an expression',
  unary: 'a value',
};

const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const found = actual[0] ?? ({ tokenType: EOF, image: '' } as IToken);
    const wanted = RULE_EXPECTATIONS[ruleName];
    const after = previous && previous.tokenType !== EOF && !Number.isNaN(previous.startOffset) ? ` after ${describe(previous)}` : '';
    if (wanted) return `expected ${wanted}${after} but found ${describe(found)}`;
    const firsts = new Set<string>();
    for (const paths of expectedPathsPerAlt) for (const path of paths) if (path[0]) firsts.add(label(path[0]));
    return `expected one of ${[...firsts].slice(0, 8).join(', ')} but found ${describe(found)}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const found = actual[0] ?? ({ tokenType: EOF, image: '' } as IToken);
    if (ruleName === 'sequence' || ruleName === 'sample' || ruleName === 'join') {
      return `expected a stage '[ … ]' but found ${describe(found)}`;
    }
    return `unexpected ${describe(found)}`;
  },
};

/** Tokens that are a whole literal (see the rule `literal`). */
const LITERAL_TOKENS: ReadonlySet<TokenType> = new Set([T.Null, T.True, T.False, T.IntegerValue, T.DecimalValue, T.DoubleQuotedString, T.RawString]);
/** Tokens that can follow an expression in a list, and none of its operators. */
const LIST_CLOSERS: ReadonlySet<TokenType> = new Set([T.Comma, T.RParen]);

export class EqlGrammar extends CstParser {
  /**
   * @param validate check the grammar itself (ambiguities, left recursion) as
   * it is built. That took about half of building it, which every process that
   * parses pays once; the grammar's test builds it with the checks on.
   */
  constructor(validate = false) {
    super(T.allTokens, { maxLookahead: 3, errorMessageProvider: errorMessages, recoveryEnabled: false, nodeLocationTracking: 'full', skipValidations: !validate });
    this.performSelfAnalysis();
  }

  statement = this.RULE('statement', () => {
    this.SUBRULE(this.query);
    this.MANY(() => this.SUBRULE(this.pipe));
  });

  query = this.RULE('query', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.sequence) }, { ALT: () => this.SUBRULE(this.sample) }, { ALT: () => this.SUBRULE(this.join) }, { ALT: () => this.SUBRULE(this.eventFilter) }]);
  });

  sequence = this.RULE('sequence', () => {
    this.CONSUME(T.Sequence);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.joinKeys, { LABEL: 'by' });
            this.OPTION1(() => this.SUBRULE(this.sequenceParams));
          },
        },
        {
          // Accepted here only so that to-ast can say "by must come before with".
          ALT: () => {
            this.SUBRULE1(this.sequenceParams);
            this.OPTION2(() => this.SUBRULE1(this.joinKeys, { LABEL: 'misplacedBy' }));
          },
        },
      ]);
    });
    this.AT_LEAST_ONE(() => this.SUBRULE(this.sequenceTerm));
    this.OPTION3(() => {
      this.CONSUME(T.Until);
      this.SUBRULE(this.joinTerm, { LABEL: 'until' });
    });
  });

  sequenceParams = this.RULE('sequenceParams', () => {
    this.CONSUME(T.With);
    this.CONSUME(T.Maxspan);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.timeSpan);
  });

  timeSpan = this.RULE('timeSpan', () => {
    this.OR([{ ALT: () => this.CONSUME(T.IntegerValue) }, { ALT: () => this.CONSUME(T.DecimalValue) }]);
    this.OPTION(() => this.CONSUME(T.Identifier, { LABEL: 'unit' }));
  });

  sample = this.RULE('sample', () => {
    this.CONSUME(T.Sample);
    this.OPTION(() => this.SUBRULE(this.joinKeys, { LABEL: 'by' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.joinTerm));
  });

  join = this.RULE('join', () => {
    this.CONSUME(T.Join);
    this.OPTION(() => this.SUBRULE(this.joinKeys, { LABEL: 'by' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.joinTerm));
    this.OPTION1(() => {
      this.CONSUME(T.Until);
      this.SUBRULE1(this.joinTerm, { LABEL: 'until' });
    });
  });

  joinKeys = this.RULE('joinKeys', () => {
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  sequenceTerm = this.RULE('sequenceTerm', () => {
    this.SUBRULE(this.subquery);
    this.OPTION(() => this.SUBRULE(this.joinKeys, { LABEL: 'by' }));
    this.OPTION1(() => {
      this.CONSUME(T.With);
      this.CONSUME(T.Identifier, { LABEL: 'key' });
      this.CONSUME(T.Assign);
      this.OR([{ ALT: () => this.CONSUME(T.IntegerValue) }, { ALT: () => this.CONSUME(T.DecimalValue) }]);
    });
  });

  joinTerm = this.RULE('joinTerm', () => {
    this.SUBRULE(this.subquery);
    this.OPTION(() => this.SUBRULE(this.joinKeys, { LABEL: 'by' }));
  });

  subquery = this.RULE('subquery', () => {
    this.OR([{ ALT: () => this.CONSUME(T.LBracket) }, { ALT: () => this.CONSUME(T.MissingEventOpen) }]);
    this.SUBRULE(this.eventFilter);
    this.CONSUME(T.RBracket);
  });

  eventFilter = this.RULE('eventFilter', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Any) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'category' }) },
      { ALT: () => this.CONSUME(T.DoubleQuotedString, { LABEL: 'category' }) },
      { ALT: () => this.CONSUME(T.RawString, { LABEL: 'category' }) },
    ]);
    this.CONSUME(T.Where);
    this.SUBRULE(this.expression);
  });

  pipe = this.RULE('pipe', () => {
    this.CONSUME(T.Pipe);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    // Endgame pipes separate arguments by commas or by white space alone; a comma only comes between two.
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.OPTION2(() => this.CONSUME(T.Comma));
        this.SUBRULE2(this.expression);
      });
    });
  });

  expression = this.RULE('expression', () => {
    this.OR([
      {
        // A literal right before `,` or `)` is the whole expression (most values
        // of `in` lists and function arguments). Through the precedence chain
        // it would pass nine rules, each a CST node that to-ast only steps
        // through: that was about half of the nodes of the corpus's queries.
        GATE: () => LITERAL_TOKENS.has(this.LA(1).tokenType) && LIST_CLOSERS.has(this.LA(2).tokenType),
        ALT: () => this.SUBRULE(this.literal),
      },
      { ALT: () => this.SUBRULE(this.orExpression) },
    ]);
  });

  orExpression = this.RULE('orExpression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE1(this.andExpression, { LABEL: 'operands' });
    });
  });

  andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE1(this.notExpression, { LABEL: 'operands' });
    });
  });

  notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpression);
        },
      },
      {
        // Endgame lineage (`child of [...]`): recognised only to be rejected.
        GATE: () => this.LA(2).tokenType === T.Of,
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'relationship' });
          this.CONSUME(T.Of);
          this.SUBRULE(this.subquery);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'left' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Eq, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Neq, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Lt, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Lte, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Gt, { LABEL: 'operator' }) },
        { ALT: () => this.CONSUME(T.Gte, { LABEL: 'operator' }) },
      ]);
      this.SUBRULE1(this.additive, { LABEL: 'right' });
    });
  });

  additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: 'operators' }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operators' }) }]);
      this.SUBRULE1(this.multiplicative, { LABEL: 'operands' });
    });
  });

  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Asterisk, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE1(this.unary, { LABEL: 'operands' });
    });
  });

  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.OR1([{ ALT: () => this.CONSUME(T.Minus, { LABEL: 'sign' }) }, { ALT: () => this.CONSUME(T.Plus, { LABEL: 'sign' }) }]);
          this.SUBRULE(this.unary);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.primary);
          this.OPTION(() => this.SUBRULE(this.predicate));
        },
      },
    ]);
  });

  predicate = this.RULE('predicate', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.OR1([{ ALT: () => this.CONSUME(T.In, { LABEL: 'kind' }) }, { ALT: () => this.CONSUME(T.InInsensitive, { LABEL: 'kind' }) }]);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'values' }) });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Colon, { LABEL: 'kind' }) },
            { ALT: () => this.CONSUME(T.Like, { LABEL: 'kind' }) },
            { ALT: () => this.CONSUME(T.LikeInsensitive, { LABEL: 'kind' }) },
            { ALT: () => this.CONSUME(T.Regex, { LABEL: 'kind' }) },
            { ALT: () => this.CONSUME(T.RegexInsensitive, { LABEL: 'kind' }) },
          ]);
          this.SUBRULE(this.patternList);
        },
      },
    ]);
  });

  patternList = this.RULE('patternList', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal, { LABEL: 'patterns' }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE1(this.literal, { LABEL: 'patterns' }) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        GATE: () => this.LA(2).tokenType === T.LParen,
        ALT: () => this.SUBRULE(this.functionCall),
      },
      { ALT: () => this.SUBRULE(this.fieldRef) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  functionCall = this.RULE('functionCall', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier, { LABEL: 'name' }) }, { ALT: () => this.CONSUME(T.TildeIdentifier, { LABEL: 'name' }) }]);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'args' }) });
    this.CONSUME(T.RParen);
  });

  fieldRef = this.RULE('fieldRef', () => {
    this.OPTION(() => this.CONSUME(T.Question));
    this.SUBRULE(this.fieldSegment, { LABEL: 'segments' });
    // A `[` after a field opens the next stage (`by user.id [process where …]`)
    // unless a number follows it; chevrotain's loop lookahead does not see that far.
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Dot || this.LA(2).tokenType === T.IntegerValue,
      DEF: () =>
        this.OR([
          {
            ALT: () => {
              this.CONSUME(T.Dot);
              this.SUBRULE1(this.fieldSegment, { LABEL: 'segments' });
            },
          },
          {
            // `a[0]`: in Elasticsearch's grammar, rejected when the AST is built.
            GATE: () => this.LA(2).tokenType === T.IntegerValue,
            ALT: () => {
              this.CONSUME(T.LBracket, { LABEL: 'index' });
              this.AT_LEAST_ONE(() => this.CONSUME(T.IntegerValue));
              this.CONSUME(T.RBracket);
            },
          },
        ]),
    });
  });

  fieldSegment = this.RULE('fieldSegment', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.EscapedIdentifier) }]);
  });

  literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.IntegerValue) },
      { ALT: () => this.CONSUME(T.DecimalValue) },
      { ALT: () => this.CONSUME(T.DoubleQuotedString) },
      { ALT: () => this.CONSUME(T.RawString) },
    ]);
  });
}

let instance: EqlGrammar | undefined;

/**
 * The one parser instance: chevrotain parsers are costly to build (the grammar
 * is analysed in full) and are reusable. Built on first use, so that the
 * command line's start and an import of the package do not wait for it.
 */
export function grammar(): EqlGrammar {
  return (instance ??= new EqlGrammar());
}
