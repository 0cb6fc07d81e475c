/**
 * CST → typed AST. This is where literal text becomes values (string escapes,
 * numbers), where node locations are attached, and where constructs that
 * Elasticsearch's parser accepts only to reject are turned into errors.
 */
import type { CstNode, IToken, CstElement } from 'chevrotain';
import type * as A from './ast.js';
import { EqlSyntaxError, type SyntaxErrorCode } from '../errors.js';
import { canonicalFunctionName } from '../language/functions/index.js';

type Children = Record<string, CstElement[] | undefined>;

/**
 * chevrotain's node locations start as NaN, so V8 stores their numbers as
 * doubles, and a position built from them would too: a boxed number per
 * field, 360,000 of them in the corpus's ASTs, which the rules keep. The
 * same integer, made small again, is stored in the object itself.
 */
function small(n: number): number {
  return n === (n | 0) ? n | 0 : n;
}

/** Builds AST nodes for one query text; `source` is kept for error positions. */
export class AstBuilder {
  constructor(private readonly source: string) {}

  // ------------------------------------------------------------ locations

  private positionAt(offset: number, line: number, column: number): A.Position {
    return { offset: small(offset), line: small(line), column: small(column) };
  }

  private tokenStart(t: IToken): A.Position {
    return this.positionAt(t.startOffset, t.startLine ?? 1, t.startColumn ?? 1);
  }

  private nodeLocation(node: CstNode): A.Location {
    const l = node.location!;
    return {
      start: this.positionAt(l.startOffset, l.startLine ?? 1, l.startColumn ?? 1),
      end: this.positionAt((l.endOffset ?? l.startOffset) + 1, l.endLine ?? 1, (l.endColumn ?? 1) + 1),
    };
  }

  private span(from: A.Location, to: A.Location): A.Location {
    return { start: from.start, end: to.end };
  }

  private fail(reason: string, at: A.Position, code: SyntaxErrorCode = 'EQL_SYNTAX', length = 1): never {
    throw new EqlSyntaxError(reason, this.source, at, { code, length });
  }

  private failAtToken(reason: string, t: IToken, code: SyntaxErrorCode = 'EQL_SYNTAX'): never {
    this.fail(reason, this.tokenStart(t), code, t.image.length);
  }

  // ------------------------------------------------------------ CST access

  private nodes(children: Children, key: string): CstNode[] {
    return (children[key] ?? []) as CstNode[];
  }

  private node(children: Children, key: string): CstNode | undefined {
    return children[key]?.[0] as CstNode | undefined;
  }

  private tokens(children: Children, key: string): IToken[] {
    return (children[key] ?? []) as IToken[];
  }

  private token(children: Children, key: string): IToken | undefined {
    return children[key]?.[0] as IToken | undefined;
  }

  /** The single token among several possible labels (for `OR` of `CONSUME`s). */
  private anyToken(children: Children, ...keys: string[]): IToken {
    for (const key of keys) {
      const t = this.token(children, key);
      if (t) return t;
    }
    throw new Error(`internal: none of ${keys.join(', ')} in CST`);
  }

  // ------------------------------------------------------------ queries

  statement(cst: CstNode): A.Query {
    const c = cst.children;
    const pipes = this.nodes(c, 'pipe').map((p) => this.pipe(p));
    const q = this.node(c, 'query')!.children;
    const location = this.nodeLocation(cst);
    const seq = this.node(q, 'sequence');
    if (seq) return this.sequence(seq, pipes, location);
    const sample = this.node(q, 'sample');
    if (sample) return this.sample(sample, pipes, location);
    const join = this.node(q, 'join');
    if (join) return this.join(join, pipes, location);
    const filter = this.eventFilter(this.node(q, 'eventFilter')!);
    return { type: 'EventQuery', filter, pipes, location };
  }

  private sequence(cst: CstNode, pipes: A.Pipe[], location: A.Location): A.SequenceQuery {
    const c = cst.children;
    const misplaced = this.node(c, 'misplacedBy');
    if (misplaced) {
      this.fail("'by' must come before 'with maxspan' in a sequence", this.nodeLocation(misplaced).start);
    }
    const paramsCst = this.node(c, 'sequenceParams');
    const maxspan = paramsCst ? this.timeSpan(this.node(paramsCst.children, 'timeSpan')!) : null;
    const stages = this.nodes(c, 'sequenceTerm').map((t) => this.sequenceStage(t));
    const untilCst = this.node(c, 'until');
    const until = untilCst ? this.joinStage(untilCst, 'until') : null;
    return { type: 'SequenceQuery', by: this.joinKeys(this.node(c, 'by')), maxspan, stages, until, pipes, location };
  }

  private sample(cst: CstNode, pipes: A.Pipe[], location: A.Location): A.SampleQuery {
    const c = cst.children;
    const stages = this.nodes(c, 'joinTerm').map((t) => this.joinStage(t, 'sample'));
    return { type: 'SampleQuery', by: this.joinKeys(this.node(c, 'by')), stages, pipes, location };
  }

  private join(cst: CstNode, pipes: A.Pipe[], location: A.Location): A.JoinQuery {
    const c = cst.children;
    const stages = this.nodes(c, 'joinTerm').map((t) => this.joinStage(t, 'join'));
    const untilCst = this.node(c, 'until');
    const until = untilCst ? this.joinStage(untilCst, 'until') : null;
    return { type: 'JoinQuery', by: this.joinKeys(this.node(c, 'by')), stages, until, pipes, location };
  }

  private timeSpan(cst: CstNode): A.TimeSpan {
    const c = cst.children;
    const num = this.anyToken(c, 'IntegerValue', 'DecimalValue');
    const unit = this.token(c, 'unit');
    const value = Number(num.image);
    return { type: 'TimeSpan', value, unit: unit ? unit.image : null, text: num.image, location: this.nodeLocation(cst) };
  }

  private joinKeys(cst: CstNode | undefined): A.Field[] {
    if (!cst) return [];
    return this.nodes(cst.children, 'expression').map((e) => {
      let key = this.expression(e);
      // Elasticsearch drops a unary plus as it builds the key (`by +a` is `by a`).
      while (key.type === 'Unary' && key.operator === '+') key = key.operand;
      if (key.type !== 'Field') this.fail("'by' keys must be fields; expressions and literals are not supported as keys", key.location.start, 'EQL_UNSUPPORTED_SYNTAX');
      return key;
    });
  }

  private subquery(cst: CstNode): { filter: A.EventFilter; missing: boolean } {
    const c = cst.children;
    return { filter: this.eventFilter(this.node(c, 'eventFilter')!), missing: this.token(c, 'MissingEventOpen') !== undefined };
  }

  private sequenceStage(cst: CstNode): A.SequenceStage {
    const c = cst.children;
    const { filter, missing } = this.subquery(this.node(c, 'subquery')!);
    let runs: number | null = null;
    const key = this.token(c, 'key');
    if (key) {
      if (key.image !== 'runs') this.failAtToken(`unknown stage option '${key.image}'; only 'runs' is supported`, key);
      const value = this.anyToken(c, 'IntegerValue', 'DecimalValue');
      if (value.tokenType.name !== 'IntegerValue') this.failAtToken('runs must be a whole number', value, 'EQL_INVALID_NUMBER');
      runs = Number(value.image);
    }
    return { type: 'SequenceStage', filter, by: this.joinKeys(this.node(c, 'by')), runs, missing, location: this.nodeLocation(cst) };
  }

  private joinStage(cst: CstNode, context: 'sample' | 'join' | 'until'): A.JoinStage {
    const c = cst.children;
    const subqueryCst = this.node(c, 'subquery')!;
    const { filter, missing } = this.subquery(subqueryCst);
    if (missing) {
      const what = context === 'until' ? "an 'until' stage" : `a ${context}`;
      this.fail(`missing-event stages '![ … ]' are not allowed in ${what}`, this.nodeLocation(subqueryCst).start);
    }
    return { type: 'JoinStage', filter, by: this.joinKeys(this.node(c, 'by')), location: this.nodeLocation(cst) };
  }

  private eventFilter(cst: CstNode): A.EventFilter {
    const c = cst.children;
    let category: string | null = null;
    const cat = this.token(c, 'category');
    if (cat) category = cat.tokenType.name === 'Identifier' ? cat.image : this.stringValue(cat);
    return { type: 'EventFilter', category, condition: this.expression(this.node(c, 'expression')!), location: this.nodeLocation(cst) };
  }

  private pipe(cst: CstNode): A.Pipe {
    const c = cst.children;
    const name = this.token(c, 'name')!.image;
    const args = this.nodes(c, 'expression').map((e) => this.expression(e));
    return { type: 'Pipe', name, args, location: this.nodeLocation(cst) };
  }

  // ------------------------------------------------------------ expressions

  expression(cst: CstNode): A.Expression {
    const lit = this.node(cst.children, 'literal');
    if (lit) return this.literal(lit);
    return this.orExpression(this.node(cst.children, 'orExpression')!);
  }

  private orExpression(cst: CstNode): A.Expression {
    const operands = this.nodes(cst.children, 'operands').map((n) => this.andExpression(n));
    if (operands.length === 1) return operands[0]!;
    return { type: 'Or', operands, location: this.nodeLocation(cst) };
  }

  private andExpression(cst: CstNode): A.Expression {
    const operands = this.nodes(cst.children, 'operands').map((n) => this.notExpression(n));
    if (operands.length === 1) return operands[0]!;
    return { type: 'And', operands, location: this.nodeLocation(cst) };
  }

  private notExpression(cst: CstNode): A.Expression {
    const c = cst.children;
    const relationship = this.token(c, 'relationship');
    if (relationship) {
      this.failAtToken(`process relationships ('${relationship.image} of') are not supported`, relationship, 'EQL_UNSUPPORTED_SYNTAX');
    }
    const inner = this.node(c, 'notExpression');
    if (inner) return { type: 'Not', operand: this.notExpression(inner), location: this.nodeLocation(cst) };
    return this.comparison(this.node(c, 'comparison')!);
  }

  private comparison(cst: CstNode): A.Expression {
    const c = cst.children;
    const left = this.additive(this.node(c, 'left')!);
    const op = this.token(c, 'operator');
    if (!op) return left;
    const right = this.additive(this.node(c, 'right')!);
    return { type: 'Comparison', operator: op.image as A.ComparisonOperator, left, right, location: this.nodeLocation(cst) };
  }

  /** Left-associative chains are built iteratively, so long chains cost no recursion here. */
  private binaryChain(cst: CstNode, operand: (n: CstNode) => A.Expression): A.Expression {
    const c = cst.children;
    const operands = this.nodes(c, 'operands');
    const operators = this.tokens(c, 'operators');
    let result = operand(operands[0]!);
    for (let i = 0; i < operators.length; i++) {
      const right = operand(operands[i + 1]!);
      result = {
        type: 'Arithmetic',
        operator: operators[i]!.image as A.ArithmeticOperator,
        left: result,
        right,
        location: this.span(result.location, right.location),
      };
    }
    return result;
  }

  private additive(cst: CstNode): A.Expression {
    return this.binaryChain(cst, (n) => this.multiplicative(n));
  }

  private multiplicative(cst: CstNode): A.Expression {
    return this.binaryChain(cst, (n) => this.unary(n));
  }

  private unary(cst: CstNode): A.Expression {
    const c = cst.children;
    const sign = this.token(c, 'sign');
    if (sign) {
      return { type: 'Unary', operator: sign.image as '-' | '+', operand: this.unary(this.node(c, 'unary')!), location: this.nodeLocation(cst) };
    }
    const primary = this.primary(this.node(c, 'primary')!);
    const predicate = this.node(c, 'predicate');
    return predicate ? this.predicate(predicate, primary, this.nodeLocation(cst)) : primary;
  }

  private predicate(cst: CstNode, subject: A.Expression, location: A.Location): A.Expression {
    const c = cst.children;
    const kind = this.token(c, 'kind')!;
    if (kind.image === 'in' || kind.image === 'in~') {
      const values = this.nodes(c, 'values').map((e) => this.expression(e));
      return { type: 'In', subject, values, caseInsensitive: kind.image === 'in~', negated: this.token(c, 'Not') !== undefined, location };
    }
    const list = this.node(c, 'patternList')!;
    const patterns = this.nodes(list.children, 'patterns').map((l) => this.literal(l));
    return { type: 'Match', operator: kind.image as A.MatchOperator, subject, patterns, location };
  }

  private primary(cst: CstNode): A.Expression {
    const c = cst.children;
    const lit = this.node(c, 'literal');
    if (lit) return this.literal(lit);
    const fn = this.node(c, 'functionCall');
    if (fn) return this.functionCall(fn);
    const field = this.node(c, 'fieldRef');
    if (field) return this.fieldRef(field);
    // A parenthesised expression keeps its inner node; canonical printing re-adds parentheses where needed.
    return this.expression(this.node(c, 'expression')!);
  }

  private functionCall(cst: CstNode): A.FunctionCall {
    const c = cst.children;
    const nameToken = this.token(c, 'name')!;
    const caseInsensitive = nameToken.image.endsWith('~');
    const written = caseInsensitive ? nameToken.image.slice(0, -1) : nameToken.image;
    const args = this.nodes(c, 'args').map((e) => this.expression(e));
    return { type: 'FunctionCall', name: canonicalFunctionName(written), caseInsensitive, args, location: this.nodeLocation(cst) };
  }

  private fieldRef(cst: CstNode): A.Field {
    const c = cst.children;
    const index = this.token(c, 'index');
    if (index) this.failAtToken('array indexes such as [0] are not supported', index, 'EQL_UNSUPPORTED_SYNTAX');
    const path = this.nodes(c, 'segments').map((s) => {
      const t = this.anyToken(s.children, 'Identifier', 'EscapedIdentifier');
      if (t.tokenType.name === 'Identifier') return t.image;
      const name = t.image.slice(1, -1).replace(/``/g, '`');
      if (name === '') this.failAtToken('a back-quoted field name cannot be empty', t);
      return name;
    });
    return { type: 'Field', path, optional: this.token(c, 'Question') !== undefined, location: this.nodeLocation(cst) };
  }

  private literal(cst: CstNode): A.Literal {
    const c = cst.children;
    const location = this.nodeLocation(cst);
    if (this.token(c, 'Null')) return { type: 'Null', location };
    if (this.token(c, 'True')) return { type: 'Boolean', value: true, location };
    if (this.token(c, 'False')) return { type: 'Boolean', value: false, location };
    const int = this.token(c, 'IntegerValue');
    if (int) return this.integer(int, location);
    const dec = this.token(c, 'DecimalValue');
    if (dec) {
      const value = Number(dec.image);
      if (!Number.isFinite(value)) this.failAtToken(`number ${dec.image} is out of range`, dec, 'EQL_INVALID_NUMBER');
      return { type: 'Number', value, integer: false, text: dec.image, location };
    }
    const str = this.anyToken(c, 'String', 'RawString');
    return { type: 'String', value: this.stringValue(str), location };
  }

  private integer(t: IToken, location: A.Location): A.NumberLiteral {
    const digits = t.image.replace(/^0+(?=\d)/, '');
    // Elasticsearch reads integer literals as longs, and larger ones as doubles.
    const value = Number(digits);
    if (!Number.isFinite(value)) this.failAtToken(`number ${t.image} is out of range`, t, 'EQL_INVALID_NUMBER');
    return { type: 'Number', value, integer: BigInt(digits) <= 9223372036854775807n, text: digits, location };
  }

  // ------------------------------------------------------------ strings

  /** The value of a string token: raw strings are verbatim, ordinary ones have their escapes resolved. */
  stringValue(t: IToken): string {
    if (t.tokenType.name === 'RawString') return t.image.slice(3, -3);
    const body = t.image.slice(1, -1);
    if (!body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = body[i + 1];
      const escapeAt = (): A.Position => {
        const offset = t.startOffset + 1 + i;
        return this.positionAt(offset, t.startLine ?? 1, (t.startColumn ?? 1) + 1 + i);
      };
      const simple = SIMPLE_ESCAPES[next ?? ''];
      if (simple !== undefined) {
        out += simple;
        i++;
        continue;
      }
      if (next === 'u') {
        const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(body.slice(i + 2));
        if (!m) this.fail('invalid unicode escape: expected \\u{XXXX} with 2 to 8 hex digits', escapeAt(), 'EQL_INVALID_STRING', 2);
        const hex = m[1]!;
        if (hex.length < 2) this.fail('invalid unicode escape: use at least 2 hex digits, as in \\u{0A}', escapeAt(), 'EQL_INVALID_STRING', m[0].length + 2);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          this.fail(`invalid unicode escape: U+${hex.toUpperCase()} is not a valid code point`, escapeAt(), 'EQL_INVALID_STRING', m[0].length + 2);
        }
        out += String.fromCodePoint(code);
        i += 1 + m[0].length;
        continue;
      }
      this.fail(`invalid escape sequence '\\${next ?? ''}' in string`, escapeAt(), 'EQL_INVALID_STRING', 2);
    }
    return out;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};
