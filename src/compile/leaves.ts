/**
 * Field-versus-literal tests, the leaves that Elasticsearch runs as index
 * queries (term, range, wildcard, prefix, regexp, terms, exists). Each is
 * true when some value of the field satisfies it, and false when the field is
 * absent: {@link someValue} gives the any-value rule.
 *
 * The literal is converted into the field's type once, here; per event only
 * the field's values are converted. Case-insensitive leaves fold ASCII only,
 * as Lucene does.
 */
import type { Event } from '../semantics/fields.js';
import { anyValue, hasValue } from '../semantics/fields.js';
import type { BoundField, Scope } from '../analyze/scope.js';
import type { Location, ComparisonOperator, FunctionCall } from '../parser/ast.js';
import type { IndexQueryForm } from '../language/functions/index.js';
import type { ScriptValue } from '../semantics/null-logic.js';
import { COMPARISON_TESTS, compareCodePoints, javaDoubleToString } from '../semantics/null-logic.js';
import { foldAscii } from '../semantics/case-folding.js';
import { WildcardPattern } from '../text/wildcard.js';
import { WildcardSet } from '../text/wildcard-set.js';

/** From this many wildcard patterns on one field, one automaton beats trying each. */
const WILDCARD_SET_THRESHOLD = 6;
import { compileLuceneRegex, RegexSyntaxError } from '../text/regex.js';
import { type DateSpan, parseDateSpan, parseInstant } from '../semantics/types/date.js';
import { type CidrBlock, type IpBytes, inCidr, ipKeyOf, parseCidr, parseIp } from '../semantics/types/ip.js';
import { compareVersions } from '../semantics/types/version.js';

export type Predicate = (event: Event) => boolean;
type Primitive = string | number | boolean;

const FALSE: Predicate = () => false;

/** A number as a keyword term: what Elasticsearch indexes for it. */
export function keywordOf(v: Primitive, float = false): string {
  if (typeof v === 'number') return float || !Number.isInteger(v) ? javaDoubleToString(v) : String(v);
  return String(v);
}

/** A field value read as a number, as numeric fields accept "5" as 5. */
function numberOf(v: Primitive): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function booleanOf(v: Primitive): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/**
 * A literal as a field without a schema compares it: a text value with its
 * keyword text, a number with its number (a boolean literal has none), a
 * boolean with its boolean.
 */
function dynamicForms(literal: Primitive, isFloat: boolean): { asText: string; numeric: number | undefined; asBoolean: boolean | undefined } {
  return { asText: keywordOf(literal, isFloat), numeric: typeof literal === 'boolean' ? undefined : numberOf(literal), asBoolean: booleanOf(literal) };
}

/** How a field's values are typed for index queries. */
type FieldDomain = 'keyword' | 'number' | 'boolean' | 'date' | 'ip' | 'version' | 'dynamic';

function domainOf(field: BoundField): FieldDomain {
  const spec = field.spec;
  if (!spec) return field.isTimestamp ? 'date' : 'dynamic';
  switch (spec.type) {
    case 'keyword':
    case 'text':
      return 'keyword';
    case 'long':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'date_nanos':
      return 'date';
    case 'ip':
      return 'ip';
    case 'version':
      return 'version';
    default:
      return 'keyword';
  }
}

export class LeafCompiler {
  constructor(private readonly scope: Scope) {}

  private invalid(reason: string, location: Location): never {
    throw this.scope.error('EQL_INVALID_VALUE', reason, location);
  }

  /** `field` alone as a condition, or `field == true`. */
  booleanField(field: BoundField): Predicate {
    const read = field.read;
    return anyValue(read, (v) => v === true || v === 'true');
  }

  /** `field == null` (absent or null); `field != null` is its negation. */
  isNull(field: BoundField): Predicate {
    const read = field.read;
    return (e) => !hasValue(read(e));
  }

  /** `field <op> literal` for ==, <, <=, >, >= (`!=` is the negation of `==`). */
  comparison(field: BoundField, op: Exclude<ComparisonOperator, '!='>, literal: ScriptValue, literalIsFloat: boolean, location: Location): Predicate {
    const read = field.read;
    if (literal === null) {
      // Only == and != against null are null tests; a range with a null bound has no bound at all.
      return op === '==' ? this.isNull(field) : (e) => hasValue(read(e));
    }
    const domain = domainOf(field);
    switch (domain) {
      case 'keyword': {
        const term = keywordOf(literal, literalIsFloat);
        if (op === '==') return anyValue(read, (v) => keywordOf(v) === term);
        const test = COMPARISON_TESTS[op];
        return anyValue(read, (v) => test(compareCodePoints(keywordOf(v), term)));
      }
      case 'number': {
        const n = numberOf(literal as Primitive);
        if (n === undefined || typeof literal === 'boolean') this.invalid(`[${String(literal)}] is not a number, but field [${field.name}] is numeric`, location);
        if (op === '==') return anyValue(read, (v) => numberOf(v) === n);
        const test = COMPARISON_TESTS[op];
        return anyValue(read, (v) => {
          const x = numberOf(v);
          return x !== undefined && test(x < n ? -1 : x > n ? 1 : 0);
        });
      }
      case 'boolean': {
        const b = booleanOf(literal as Primitive);
        if (b === undefined) this.invalid(`[${String(literal)}] is not a boolean, but field [${field.name}] is boolean`, location);
        const rank = (x: boolean): number => (x ? 1 : 0);
        if (op === '==') return anyValue(read, (v) => booleanOf(v) === b);
        const test = COMPARISON_TESTS[op];
        return anyValue(read, (v) => {
          const x = booleanOf(v);
          return x !== undefined && test(rank(x) - rank(b));
        });
      }
      case 'date': {
        const span = typeof literal === 'boolean' ? null : parseDateSpan(literal);
        if (!span) this.invalid(`[${String(literal)}] is not a date (use ISO-8601 text or epoch milliseconds)`, location);
        return this.dateTest(read, op, span);
      }
      case 'ip': {
        if (typeof literal !== 'string') this.invalid(`[${String(literal)}] is not an IP address`, location);
        if (op === '==' && literal.includes('/')) {
          const block = parseCidr(literal);
          if (!block) this.invalid(`[${literal}] is not a valid CIDR block`, location);
          return this.cidr(field, [block]);
        }
        const key = ipKeyOf(literal);
        if (key === null) this.invalid(`[${literal}] is not an IP address`, location);
        if (op === '==') return anyValue(read, (v) => typeof v === 'string' && ipKeyOf(v) === key);
        const test = COMPARISON_TESTS[op];
        return anyValue(read, (v) => {
          const k = typeof v === 'string' ? ipKeyOf(v) : null;
          return k !== null && test(k < key ? -1 : k > key ? 1 : 0);
        });
      }
      case 'version': {
        const text = keywordOf(literal as Primitive);
        if (op === '==') return anyValue(read, (v) => typeof v === 'string' && v === text);
        const test = COMPARISON_TESTS[op];
        return anyValue(read, (v) => typeof v === 'string' && test(compareVersions(v, text)));
      }
      case 'dynamic':
        return this.dynamicComparison(read, op, literal, literalIsFloat);
    }
  }

  private dateTest(read: BoundField['read'], op: Exclude<ComparisonOperator, '!='>, span: DateSpan): Predicate {
    const { start, end } = span;
    const test: (t: bigint) => boolean = op === '==' ? (t) => t >= start && t <= end : op === '<' ? (t) => t < start : op === '<=' ? (t) => t <= end : op === '>' ? (t) => t > end : (t) => t >= start;
    return anyValue(read, (v) => {
      const t = parseInstant(v);
      return t !== null && test(t);
    });
  }

  /**
   * Without a schema, each value is taken as its JSON type, and the literal is
   * read the way a field of that type would read it: a string value compares
   * as a keyword, a number value numerically, a boolean as a boolean.
   */
  private dynamicComparison(read: BoundField['read'], op: Exclude<ComparisonOperator, '!='>, literal: Primitive, literalIsFloat: boolean): Predicate {
    const { asText, numeric, asBoolean } = dynamicForms(literal, literalIsFloat);
    if (op === '==') {
      return anyValue(read, (v) => {
        if (typeof v === 'string') return v === asText;
        if (typeof v === 'number') return v === numeric;
        return v === asBoolean;
      });
    }
    const test = COMPARISON_TESTS[op];
    return anyValue(read, (v) => {
      if (typeof v === 'string') return test(compareCodePoints(v, asText));
      if (typeof v === 'number') return numeric !== undefined && test(v < numeric ? -1 : v > numeric ? 1 : 0);
      return asBoolean !== undefined && test((v ? 1 : 0) - (asBoolean ? 1 : 0));
    });
  }

  /** `field : patterns`, `like`, `like~`: wildcard or exact terms, any value, any pattern. */
  wildcard(field: BoundField, patterns: readonly string[], caseInsensitive: boolean): Predicate {
    if (patterns.length === 0) return FALSE;
    const read = field.read;
    const folding = caseInsensitive ? 'ascii' : 'none';
    if (patterns.length === 1) {
      const m = new WildcardPattern(patterns[0]!, folding).matches;
      return anyValue(read, (v) => m(keywordOf(v)));
    }
    // Exact patterns go into a set; a few others are tried one by one, many go
    // into one automaton that looks at the text once.
    const exact = new Set<string>();
    const others: string[] = [];
    for (const p of patterns) {
      if (new WildcardPattern(p, folding).isExact) exact.add(caseInsensitive ? foldAscii(p) : p);
      else others.push(p);
    }
    let rest: (s: string) => boolean;
    if (others.length === 0) rest = () => false;
    else if (others.length < WILDCARD_SET_THRESHOLD) {
      const ms = others.map((p) => new WildcardPattern(p, folding).matches);
      rest = (s) => {
        for (const m of ms) if (m(s)) return true;
        return false;
      };
    } else {
      const set = new WildcardSet(others, folding);
      rest = (s) => set.matches(s);
    }
    const fold = caseInsensitive ? foldAscii : (s: string) => s;
    return anyValue(read, (v) => {
      const s = keywordOf(v);
      return (exact.size > 0 && exact.has(fold(s))) || rest(s);
    });
  }

  /** `field regex patterns`: one anchored Lucene regexp. */
  regex(field: BoundField, patterns: readonly string[], caseInsensitive: boolean, location: Location): Predicate {
    if (patterns.length === 0) return FALSE;
    let re: ReturnType<typeof compileLuceneRegex>;
    try {
      re = compileLuceneRegex(patterns, caseInsensitive);
    } catch (err) {
      if (err instanceof RegexSyntaxError) throw this.scope.error('EQL_INVALID_REGEX', `invalid regular expression: ${err.message}`, location);
      throw err;
    }
    const read = field.read;
    return anyValue(read, (v) => re.matches(keywordOf(v)));
  }

  /** `field in (…)`: exact membership in the field's type. `in~` folds ASCII case. */
  membership(field: BoundField, values: ReadonlyArray<{ value: ScriptValue; isFloat: boolean; location: Location }>, caseInsensitive: boolean): Predicate {
    const nonNull = values.filter((v) => v.value !== null);
    if (nonNull.length === 0) return FALSE;
    if (caseInsensitive) {
      const terms = new Set(nonNull.map((v) => foldAscii(keywordOf(v.value as Primitive, v.isFloat))));
      const read = field.read;
      return anyValue(read, (v) => terms.has(foldAscii(keywordOf(v))));
    }
    const domain = domainOf(field);
    if (domain === 'keyword') {
      const terms = new Set(nonNull.map((v) => keywordOf(v.value as Primitive, v.isFloat)));
      const read = field.read;
      return anyValue(read, (v) => terms.has(keywordOf(v)));
    }
    if (domain === 'dynamic') return this.dynamicMembership(field.read, nonNull);
    const tests = nonNull.map((v) => this.comparison(field, '==', v.value, v.isFloat, v.location));
    return (e) => {
      for (let i = 0; i < tests.length; i++) if (tests[i]!(e)) return true;
      return false;
    };
  }

  /**
   * Membership without a schema: a value matches a literal as it would match
   * `field == literal` (see dynamicComparison), so the literals are gathered
   * once into what a text, a number and a boolean value would each equal.
   */
  private dynamicMembership(read: BoundField['read'], values: ReadonlyArray<{ value: ScriptValue; isFloat: boolean }>): Predicate {
    const texts = new Set<string>();
    const numbers = new Set<number>();
    const booleans = new Set<boolean>();
    for (const { value, isFloat } of values) {
      const { asText, numeric, asBoolean } = dynamicForms(value as Primitive, isFloat);
      texts.add(asText);
      if (numeric !== undefined) numbers.add(numeric);
      if (asBoolean !== undefined) booleans.add(asBoolean);
    }
    return anyValue(read, (v) => (typeof v === 'string' ? texts.has(v) : typeof v === 'number' ? numbers.has(v) : booleans.has(v)));
  }

  /**
   * A function's index query on a field (`startsWith(field, "x")` is a prefix
   * query, `cidrMatch(field, …)` a terms query on an ip field; see the
   * definitions in language/functions/): true when some value passes the
   * definition's test. `literals` are the constant arguments after the field,
   * none of them null.
   */
  indexQuery(call: FunctionCall, form: IndexQueryForm, field: BoundField, literals: readonly Exclude<ScriptValue, null>[]): Predicate {
    const invalid = (reason: string, index: number): never => this.invalid(reason, call.args[index]!.location);
    switch (form.on) {
      case 'keyword': {
        const test = form.test(literals, call.caseInsensitive, invalid);
        return anyValue(field.read, (v) => test(keywordOf(v)));
      }
      case 'ip':
        return this.addresses(field, form.test(literals, call.caseInsensitive, invalid));
    }
  }

  /** True when some value of the field is an IP address that passes `test`. */
  private addresses(field: BoundField, test: (addr: IpBytes) => boolean): Predicate {
    return anyValue(field.read, (v) => {
      const addr = typeof v === 'string' ? parseIp(v) : null;
      return addr !== null && test(addr);
    });
  }

  /** `field == "10.0.0.0/8"` on an ip field: any value in the block. */
  private cidr(field: BoundField, blocks: readonly CidrBlock[]): Predicate {
    return this.addresses(field, (addr) => blocks.some((b) => inCidr(addr, b)));
  }
}
