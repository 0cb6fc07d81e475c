/**
 * Everything the compiler knows while it compiles one query: the options, the
 * schema, the query text for error frames, and how each field resolves.
 */
import type { Field, Location, Node, Query } from '../parser/ast.js';
import { childNodes, fieldName, isLiteral } from '../parser/ast.js';
import { EqlSemanticError } from '../errors.js';
import { type FieldSpec, type ResolvedField, type Schema, resolveField } from './schema.js';
import { type FieldReader, compileFieldReader, type RawField } from '../semantics/fields.js';
import type { ValueKind } from '../semantics/null-logic.js';
import { eventStamp, fieldValues } from '../semantics/fields.js';

/** Stable codes of {@link EqlSemanticError}s raised by the compiler. */
export type SemanticErrorCode =
  | 'EQL_UNKNOWN_FIELD'
  | 'EQL_UNKNOWN_FUNCTION'
  | 'EQL_ARITY'
  | 'EQL_TYPE'
  | 'EQL_FIELD_COMPARISON'
  | 'EQL_NOT_BOOLEAN'
  | 'EQL_UNSUPPORTED'
  | 'EQL_INVALID_REGEX'
  | 'EQL_INVALID_VALUE';

/** A field as compiled: where to read it and how its values are typed. */
export interface BoundField {
  readonly name: string;
  readonly path: string;
  readonly spec: FieldSpec | null;
  readonly read: FieldReader;
  /** The kind of its values inside scripts. */
  readonly kind: ValueKind;
  /** Whether values should be read as dates even without a schema (the timestamp field). */
  readonly isTimestamp: boolean;
}

export interface ScopeOptions {
  readonly schema?: Schema;
  readonly source: string | null;
  readonly timestampField: string;
}

function kindOfSpec(spec: FieldSpec | null): ValueKind {
  if (!spec) return 'unknown';
  switch (spec.type) {
    case 'long':
      return 'integer';
    case 'double':
      return 'float';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

/** Decimal text as Java reads a number: no hex, binary or octal forms, no `Infinity`. */
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number from JSON or from text that spells one (surrounding spaces allowed). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (!DECIMAL_TEXT.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What Elasticsearch indexes for a value of a typed field, or undefined for
 * a value it cannot read: integers are truncated (`coerce`, the default), and
 * a malformed number or boolean is left out, as with `ignore_malformed` (the
 * default of `logs-*` data streams; without it Elasticsearch refuses the
 * whole document). A malformed `ip` is kept: checking it would parse every
 * address twice, and it never equals one anyway.
 */
const INDEXED_FORM: Partial<Record<FieldSpec['type'], (v: unknown) => unknown>> = {
  long: (v) => {
    const n = numeric(v);
    return n === undefined ? undefined : Math.trunc(n);
  },
  double: numeric,
  boolean: (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' || v === '' ? false : undefined),
};

/**
 * The form a mapping gives each value of a field, or null when it keeps
 * values as they are: its type's indexed form, and `ignore_above`, which
 * drops longer text (UTF-16 units, as Java counts). Undefined drops a value.
 */
function indexedFormOf(spec: FieldSpec): ((v: unknown) => unknown) | null {
  const limit = spec.ignoreAbove;
  // ignore_above belongs to keyword text, the typed forms to numbers and booleans: a field has one or neither.
  if (limit !== undefined) return (v) => (typeof v === 'string' && v.length > limit ? undefined : v);
  return INDEXED_FORM[spec.type] ?? null;
}

/**
 * Reads the values Elasticsearch indexes, each in `form`; a field left
 * with none is missing. Several conditions read one field of one event, so
 * the answer is kept for the rest of a runner's span of work on it (an array
 * an event holds may be changed in place before the next push; see
 * EventContext).
 */
function withIndexedValues(read: FieldReader, form: (v: unknown) => unknown): FieldReader {
  let lastRaw: RawField;
  let lastOut: RawField;
  // Never 0: outside a runner's work nothing is remembered (see EventContext).
  let lastStamp = -1;
  const map = (raw: RawField): RawField => {
    if (!Array.isArray(raw)) return form(raw);
    const kept: unknown[] = [];
    for (const v of fieldValues(raw)) {
      const x = form(v);
      if (x !== undefined) kept.push(x);
    }
    return kept.length === 0 ? undefined : kept;
  };
  return (event) => {
    const raw = read(event);
    if (raw === undefined || raw === null) return raw;
    const stamp = eventStamp();
    if (raw === lastRaw && stamp === lastStamp) return lastOut;
    const out = map(raw);
    if (stamp !== 0) {
      lastRaw = raw;
      lastStamp = stamp;
      lastOut = out;
    }
    return out;
  };
}

/** Applies a mapping's `null_value` to an explicit null (and to nulls inside arrays, at any depth). */
function withNullValue(read: FieldReader, nullValue: unknown): FieldReader {
  return (event) => {
    const raw = read(event);
    if (raw === null) return nullValue;
    if (!Array.isArray(raw)) return raw;
    // Flattened in order, with each null replaced; arrays are walked without recursion.
    const out: unknown[] = [];
    const stack: Array<[unknown[], number]> = [[raw, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top[1] >= top[0].length) {
        stack.pop();
        continue;
      }
      const item = top[0][top[1]++];
      if (Array.isArray(item)) stack.push([item, 0]);
      else out.push(item === null ? nullValue : item);
    }
    return out;
  };
}

export class Scope {
  private readonly bound = new Map<string, BoundField | null>();
  /** Names written with `?` anywhere in the query: one `?` makes the field optional everywhere. */
  private readonly optionalNames = new Set<string>();

  constructor(readonly options: ScopeOptions) {}

  /** Remembers which fields the query marks optional. */
  collectOptionalFields(query: Query): void {
    // A `?` field of a parsed query is written with one: most texts have none to look for.
    if (this.options.source !== null && !this.options.source.includes('?')) return;
    const stack: Node[] = [query];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'Field') {
        if (n.optional) this.optionalNames.add(fieldName(n));
      } else for (const c of childNodes(n)) if (!isLiteral(c)) stack.push(c);
    }
  }

  /** Whether the query writes any field with `?`. */
  hasOptionalFields(): boolean {
    return this.optionalNames.size > 0;
  }

  /** Whether a field reference may be null: written with `?` here or anywhere in the query. */
  isOptional(field: Field): boolean {
    return field.optional || this.optionalNames.has(fieldName(field));
  }

  error(code: SemanticErrorCode, reason: string, location: Location | null): EqlSemanticError {
    return new EqlSemanticError(code, reason, location, this.options.source);
  }

  /** The text of a node as written, for messages. */
  textOf(location: Location): string {
    return this.options.source?.slice(location.start.offset, location.end.offset) ?? '';
  }

  /**
   * Binds a field reference. Returns null for an optional field that the schema
   * does not know: every use of it is the null literal.
   *
   * @throws EqlSemanticError for a field the schema does not know
   */
  bindField(field: Field): BoundField | null {
    return this.bindName(fieldName(field), this.isOptional(field), field.location);
  }

  bindName(name: string, optional: boolean, location: Location | null): BoundField | null {
    const cached = this.bound.get(name);
    if (cached !== undefined) return cached;
    let resolved: ResolvedField | undefined;
    try {
      resolved = resolveField(this.options.schema, name);
    } catch (e) {
      // The schema says why a field cannot be used; the query says where it is named.
      if (e instanceof EqlSemanticError && e.location === null) throw new EqlSemanticError(e.code, e.reason, location, this.options.source);
      throw e;
    }
    if (!resolved) {
      if (optional) {
        this.bound.set(name, null);
        return null;
      }
      throw this.error('EQL_UNKNOWN_FIELD', `unknown field [${name}]${this.suggest(name)}`, location);
    }
    const spec = resolved.spec;
    if (spec?.type === 'object') {
      throw this.error('EQL_TYPE', `cannot use field [${name}] of type [object]; name one of its sub-fields`, location);
    }
    if (spec?.type === 'text' && spec.exact === false) {
      throw this.error('EQL_TYPE', `no keyword multi-field defined for exact matches on [${name}], a text field: map one (one only) to compare it`, location);
    }
    if (spec?.type === 'keyword' && spec.exact === false) {
      throw this.error('EQL_TYPE', `cannot use field [${name}] of data type [keyword] for exact matches: a normalized keyword field cannot be used for exact match operations`, location);
    }
    let read: FieldReader;
    if (spec?.constantValue !== undefined) {
      // Every document of the index holds the constant, whatever the event says.
      const value = spec.constantValue;
      read = () => value;
    } else {
      read = compileFieldReader(resolved.path);
      if (spec?.nullValue !== undefined) read = withNullValue(read, spec.nullValue);
      const form = spec ? indexedFormOf(spec) : null;
      if (form) read = withIndexedValues(read, form);
    }
    const bound: BoundField = {
      name,
      path: resolved.path,
      spec: resolved.spec,
      read,
      kind: kindOfSpec(resolved.spec),
      isTimestamp: resolved.path === this.options.timestampField || name === this.options.timestampField,
    };
    this.bound.set(name, bound);
    return bound;
  }

  private suggest(name: string): string {
    const schema = this.options.schema;
    if (!schema) return '';
    const close = Object.keys(schema).filter((k) => similar(k, name));
    if (close.length === 0) return '';
    return close.length === 1 ? `, did you mean [${close[0]}]?` : `, did you mean any of [${close.slice(0, 5).join(', ')}]?`;
  }
}

function similar(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]! <= 2;
}
