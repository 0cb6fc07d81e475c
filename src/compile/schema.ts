/**
 * Field types: what a query may assume about a field's values. A schema is
 * optional; without one every field is "dynamic" and values are taken as their
 * JSON types. With one, unknown fields are errors (as in Elasticsearch) and
 * values are read as the mapping says (an `ip` compares as an address, a
 * `long` written as "5" is 5, and so on).
 */

/** The value types a field may have. `text` fields match exactly through their keyword form. */
export type FieldType = 'keyword' | 'text' | 'long' | 'double' | 'boolean' | 'date' | 'date_nanos' | 'ip' | 'version' | 'object';

export interface FieldSpec {
  readonly type: FieldType;
  /** The value that an explicit JSON `null` stands for (Elasticsearch's `null_value`). */
  readonly nullValue?: unknown;
  /** For `date` fields with a custom `format`; informational. */
  readonly format?: string;
  /** Keyword text longer than this is not indexed: the field has no such value (`ignore_above`). */
  readonly ignoreAbove?: number;
  /** A `constant_keyword` with its `value`: every document holds it, whatever it says. */
  readonly constantValue?: string;
  /**
   * For `text`: false when the field has no keyword form to match exactly
   * (no keyword multi-field, or several), so Elasticsearch refuses every
   * comparison on it. Default true.
   */
  readonly exact?: boolean;
  /** A multi-field (`message.keyword`): its values are those of this field, the one it belongs to. */
  readonly sourcePath?: string;
}

/** An alias stands for another field, named by its full path. */
export interface AliasSpec {
  readonly type: 'alias';
  readonly path: string;
}

/** Field name (dotted) → type. */
export type Schema = Readonly<Record<string, FieldSpec | AliasSpec | FieldType>>;

const NUMERIC_TYPES: Record<string, FieldType> = {
  long: 'long',
  integer: 'long',
  short: 'long',
  byte: 'long',
  unsigned_long: 'long',
  double: 'double',
  float: 'double',
  half_float: 'double',
  scaled_float: 'double',
};

/** Maps an Elasticsearch mapping type name to ours, or null for types EQL cannot use. */
function fieldTypeOf(esType: string): FieldType | null {
  if (esType in NUMERIC_TYPES) return NUMERIC_TYPES[esType]!;
  switch (esType) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    // The QA suite's loader picks keyword or wildcard at random for this placeholder.
    case '[runtime_random_keyword_type]':
      return 'keyword';
    case 'text':
    case 'match_only_text':
      return 'text';
    case 'boolean':
    case 'date':
    case 'date_nanos':
    case 'ip':
    case 'version':
      return esType;
    case 'object':
    case 'nested':
    case 'flattened':
      return 'object';
    default:
      return null;
  }
}

interface EsProperty {
  type?: string;
  path?: string;
  null_value?: unknown;
  format?: string;
  ignore_above?: unknown;
  value?: unknown;
  properties?: Record<string, EsProperty>;
  fields?: Record<string, EsProperty>;
}

/** The keyword-like multi-fields of a field (Elasticsearch's exact candidates for a `text` field). */
function keywordSubfields(prop: EsProperty): Array<[string, EsProperty]> {
  return Object.entries(prop.fields ?? {}).filter(([, sub]) => fieldTypeOf(sub.type ?? 'object') === 'keyword');
}

/** Our spec of one mapped field (not an alias, not an object). */
function specOf(prop: EsProperty, type: FieldType): FieldSpec {
  const spec: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = { type };
  if (prop.null_value !== undefined) spec.nullValue = prop.null_value;
  if (prop.format !== undefined) spec.format = prop.format;
  if (type === 'keyword' && typeof prop.ignore_above === 'number') spec.ignoreAbove = prop.ignore_above;
  if (prop.type === 'constant_keyword' && typeof prop.value === 'string') spec.constantValue = prop.value;
  if (type === 'text') {
    // A text field matches exactly through its one keyword multi-field, and only then.
    const exact = keywordSubfields(prop);
    spec.exact = exact.length === 1;
    const limit = exact[0]?.[1].ignore_above;
    if (exact.length === 1 && typeof limit === 'number') spec.ignoreAbove = limit;
  }
  return spec;
}

/**
 * Turns an Elasticsearch index mapping into a schema. Accepts the mapping
 * object itself (`{ properties: … }`), `{ mappings: { properties } }`, or the
 * JSON text of a suite `.mapping` file (lines starting with `#` are dropped).
 */
export function schemaFromMapping(mapping: unknown): Schema {
  let root = mapping;
  if (typeof root === 'string') {
    root = JSON.parse(
      root
        .split(/\r?\n/)
        .filter((line) => !line.trimStart().startsWith('#'))
        .join('\n'),
    );
  }
  type Mapping = { properties?: Record<string, EsProperty>; runtime?: Record<string, EsProperty> };
  const obj = root as Mapping & { mappings?: Mapping };
  const top: Mapping | undefined = obj?.mappings ?? obj;
  const properties = top?.properties;
  if (!properties || typeof properties !== 'object') throw new TypeError('schemaFromMapping: expected an Elasticsearch mapping with "properties"');
  const schema: Record<string, FieldSpec | AliasSpec> = {};
  const visit = (props: Record<string, EsProperty>, prefix: string): void => {
    for (const [name, prop] of Object.entries(props)) {
      const path = prefix + name;
      if (prop.type === 'alias' && typeof prop.path === 'string') {
        schema[path] = { type: 'alias', path: prop.path };
        continue;
      }
      if (prop.properties) {
        schema[path] = { type: 'object' };
        visit(prop.properties, `${path}.`);
        continue;
      }
      const type = fieldTypeOf(prop.type ?? 'object');
      if (type === null) continue;
      schema[path] = specOf(prop, type);
      // Multi-fields are fields of their own that read this field's values.
      for (const [subName, sub] of Object.entries(prop.fields ?? {})) {
        const subType = fieldTypeOf(sub.type ?? 'object');
        if (subType !== null && subType !== 'object') schema[`${path}.${subName}`] = { ...specOf(sub, subType), sourcePath: path };
      }
    }
  };
  visit(properties, '');
  // Runtime fields are computed by Elasticsearch; here they read like stored fields.
  if (top?.runtime && typeof top.runtime === 'object') visit(top.runtime, '');
  return schema;
}

/**
 * Merges schemas, as when several indices are searched: later ones win for
 * the same field, except that a date field keeps every index's format, since
 * each index reads its own documents with its own format.
 */
export function mergeSchemas(...schemas: Schema[]): Schema {
  const out: Record<string, FieldSpec | AliasSpec | FieldType> = {};
  for (const schema of schemas) {
    for (const [name, entry] of Object.entries(schema)) {
      const prev = out[name];
      if (typeof entry === 'object' && typeof prev === 'object' && entry.type === prev.type && (entry.type === 'date' || entry.type === 'date_nanos')) {
        const a = (prev as FieldSpec).format;
        const b = (entry as FieldSpec).format;
        if (a && b && a !== b) {
          out[name] = { ...entry, format: `${a}||${b}` };
          continue;
        }
      }
      out[name] = entry;
    }
  }
  return out;
}

/** What dynamic mapping takes for a date (`strict_date_optional_time`: the time only after a `T`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Extends a schema the way Elasticsearch's dynamic mapping would when these
 * events are indexed: fields the schema does not name get a type from their
 * first JSON value (string → text with a keyword form, or date when it looks
 * like one; integer → long; other numbers → double; boolean → boolean).
 */
export function withDynamicFields(schema: Schema, events: Iterable<unknown>): Schema {
  const out: Record<string, FieldSpec | AliasSpec | FieldType> = { ...schema };
  const visit = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, path);
      return;
    }
    if (typeof value === 'object') {
      if (path !== '' && !(path in out)) out[path] = { type: 'object' };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, path === '' ? k : `${path}.${k}`);
      return;
    }
    if (path in out) return;
    if (typeof value === 'string') {
      if (ISO_DATE.test(value)) out[path] = { type: 'date' };
      else {
        // Dynamic mapping: text with a keyword multi-field that keeps values up to 256 characters.
        out[path] = { type: 'text', exact: true, ignoreAbove: 256 };
        if (!(`${path}.keyword` in out)) out[`${path}.keyword`] = { type: 'keyword', ignoreAbove: 256, sourcePath: path };
      }
    }
    else if (typeof value === 'number') out[path] = { type: Number.isInteger(value) ? 'long' : 'double' };
    else if (typeof value === 'boolean') out[path] = { type: 'boolean' };
  };
  for (const event of events) visit(event, '');
  return out;
}

/** A field as the compiler sees it once aliases are followed. */
export interface ResolvedField {
  /** The dotted path to read from events. */
  readonly path: string;
  /** null when there is no schema: values keep their JSON types. */
  readonly spec: FieldSpec | null;
}

/** Looks a field up, following aliases. Returns undefined when a schema exists and does not know it. */
export function resolveField(schema: Schema | undefined, name: string): ResolvedField | undefined {
  if (!schema) return { path: name, spec: null };
  let current = name;
  for (let hops = 0; hops < 16; hops++) {
    if (!Object.prototype.hasOwnProperty.call(schema, current)) return undefined;
    const entry = schema[current]!;
    const spec: FieldSpec | AliasSpec = typeof entry === 'string' ? { type: entry } : entry;
    if (spec.type === 'alias') {
      current = (spec as AliasSpec).path;
      continue;
    }
    return { path: (spec as FieldSpec).sourcePath ?? current, spec: spec as FieldSpec };
  }
  return undefined;
}
