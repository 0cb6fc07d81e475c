/**
 * Field types: what a query may assume about a field's values. A schema is
 * optional; without one every field is "dynamic" and values are taken as their
 * JSON types. With one, unknown fields are errors (as in Elasticsearch) and
 * values are read as the mapping says (an `ip` compares as an address, a
 * `long` written as "5" is 5, and so on).
 */
import { EqlInvalidArgumentError, EqlSemanticError } from '../errors.js';

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
   * False when the field has no exact form: a `text` field without a keyword
   * multi-field (or with several), or a `keyword` with a `normalizer`.
   * Elasticsearch refuses every comparison on it. Default true.
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

/**
 * A field that the searched indices map in ways no one reading can serve:
 * types of different families (`keyword` in one index, `long` in another), as
 * Elasticsearch's field caps report a conflict, or different places. As in
 * Elasticsearch, a query that names it does not compile (code
 * `EQL_FIELD_CONFLICT`).
 */
export interface ConflictSpec {
  readonly type: 'conflict';
  /** Which types or places, in which indices: `mapped as [2] incompatible types: [keyword] in [a], [long] in [b]`. */
  readonly reason: string;
}

/**
 * A field that Elasticsearch's EQL refuses to use: a `nested` field and
 * everything below it, or a type it does not support (`geo_point`, the
 * ranges, …). A query that names it does not compile (code `EQL_TYPE`).
 */
export interface UnusableSpec {
  readonly type: 'unusable';
  /** Why, after the field's name: `with unsupported type [geo_point]`. */
  readonly reason: string;
}

/** Field name (dotted) → type. */
export type Schema = Readonly<Record<string, FieldSpec | AliasSpec | ConflictSpec | UnusableSpec | FieldType>>;

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
  if (Object.hasOwn(NUMERIC_TYPES, esType)) return NUMERIC_TYPES[esType]!;
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
  normalizer?: unknown;
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
  // A normalized keyword indexes its values changed (lower-cased, say): Elasticsearch refuses exact matches on it.
  if (type === 'keyword' && prop.normalizer !== undefined) spec.exact = false;
  if (type === 'text') {
    // A text field matches exactly through its one keyword multi-field, and only then.
    const exact = keywordSubfields(prop);
    spec.exact = exact.length === 1;
    const limit = exact[0]?.[1].ignore_above;
    if (exact.length === 1 && typeof limit === 'number') spec.ignoreAbove = limit;
  }
  return spec;
}

type Entry = FieldSpec | AliasSpec | UnusableSpec;

/** A mapping type as Elasticsearch's verifier names it in messages. */
const typeNameInMessages = (esType: string): string => (esType === 'date' ? 'datetime' : esType);

interface Mapping {
  properties?: Record<string, EsProperty>;
  runtime?: Record<string, EsProperty>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one name field caps gives each family of mapping types: a search over
 * several indices sees a conflict only between families.
 */
function familyOf(esType: string): string {
  switch (esType) {
    case 'constant_keyword':
    case 'wildcard':
    case '[runtime_random_keyword_type]':
      return 'keyword';
    case 'match_only_text':
      return 'text';
    default:
      return esType;
  }
}

/** One index's fields: our entries, and the family of every field it maps, usable by EQL or not. */
interface IndexFields {
  readonly index: string;
  readonly schema: Record<string, Entry>;
  readonly families: Map<string, string>;
}

function readMapping(top: Mapping, index: string): IndexFields {
  const schema: Record<string, Entry> = {};
  const families = new Map<string, string>();
  const aliases: string[] = [];
  // Elasticsearch's EQL refuses a nested field and every field below it, naming the nested one.
  const underNested = (esType: string, nested: string): UnusableSpec => ({
    type: 'unusable',
    reason: `type [${typeNameInMessages(esType)}] with unsupported nested type in hierarchy (field [${nested}])`,
  });
  const visit = (props: Record<string, EsProperty>, prefix: string, nested: string | null): void => {
    for (const [name, prop] of Object.entries(props)) {
      const path = prefix + name;
      if (prop.type === 'alias' && typeof prop.path === 'string') {
        schema[path] = { type: 'alias', path: prop.path };
        aliases.push(path);
        continue;
      }
      if (prop.type === 'nested' && nested === null) {
        schema[path] = { type: 'unusable', reason: 'type [nested] due to nested fields not being supported yet' };
        families.set(path, 'nested');
        visit(prop.properties ?? {}, `${path}.`, path);
        continue;
      }
      if (prop.properties) {
        schema[path] = nested === null ? { type: 'object' } : underNested(prop.type ?? 'object', nested);
        families.set(path, prop.type ?? 'object');
        visit(prop.properties, `${path}.`, nested);
        continue;
      }
      families.set(path, familyOf(prop.type ?? 'object'));
      const type = fieldTypeOf(prop.type ?? 'object');
      if (type === null) {
        schema[path] = nested === null ? { type: 'unusable', reason: `with unsupported type [${prop.type}]` } : underNested(prop.type ?? 'object', nested);
        continue;
      }
      schema[path] = nested === null ? specOf(prop, type) : underNested(prop.type ?? 'object', nested);
      // Multi-fields are fields of their own that read this field's values.
      for (const [subName, sub] of Object.entries(prop.fields ?? {})) {
        families.set(`${path}.${subName}`, familyOf(sub.type ?? 'object'));
        const subType = fieldTypeOf(sub.type ?? 'object');
        if (subType === null || subType === 'object') continue;
        schema[`${path}.${subName}`] = nested === null ? { ...specOf(sub, subType), sourcePath: path } : underNested(sub.type ?? 'object', nested);
      }
    }
  };
  if (isObject(top.properties)) visit(top.properties, '', null);
  // Runtime fields are computed by Elasticsearch; here they read like stored fields.
  if (isObject(top.runtime)) visit(top.runtime as Record<string, EsProperty>, '', null);
  // Field caps reports an alias with the type of the field it names.
  for (const path of aliases) {
    const entry = schema[path];
    if (entry?.type === 'alias') families.set(path, families.get(entry.path) ?? 'alias');
  }
  return { index, schema, families };
}

/** Elasticsearch 6 kept a mapping under its document type: `{ "_doc": { "properties": … } }`. */
function untyped(mapping: Record<string, unknown>): Mapping {
  const keys = Object.keys(mapping);
  const only = keys.length === 1 && !isObject(mapping.properties) ? mapping[keys[0]!] : undefined;
  return (isObject(only) && isObject(only.properties) ? only : mapping) as Mapping;
}

/** The mappings in what was given, with their index names (null for a bare mapping); null when it holds none. */
function mappingsIn(root: unknown): Array<[string | null, Mapping]> | null {
  if (!isObject(root)) return null;
  // A bare mapping first: `{ "properties": { "mappings": { "properties": … } } }` could also be
  // the response for an index named "properties", but it is far more likely a field named so.
  if (isObject(root.properties)) return [[null, root as Mapping]];
  if (isObject(root.mappings) && isObject(root.mappings.properties)) return [[null, root.mappings as Mapping]];
  // GET <index>/_mapping, or GET <index>: { "<index>": { "mappings": { … } }, … }
  const indices = Object.entries(root);
  if (indices.length > 0 && indices.every(([, v]) => isObject(v) && isObject(v.mappings))) {
    return indices.map(([name, v]) => [name, untyped((v as { mappings: Record<string, unknown> }).mappings)]);
  }
  // The mapping of an index that has no fields yet.
  if (isObject(root.mappings)) return [[null, untyped(root.mappings)]];
  return null;
}

/** What an Elasticsearch date field of each type reads when its mapping names no format. */
const DEFAULT_DATE_FORMAT: Partial<Record<FieldType, string>> = {
  date: 'strict_date_optional_time||epoch_millis',
  date_nanos: 'strict_date_optional_time_nanos||epoch_millis',
};

const sameValue = (a: unknown, b: unknown): boolean => Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);

/**
 * One field that several indices map in the same family. A search runs on
 * each index with its own mapping, and an event does not say which index it
 * is from, so a detail the indices disagree on is dropped (the event's own
 * value is read), except a date's formats, which are all tried.
 */
function mergeSpecs(specs: readonly FieldSpec[]): FieldSpec {
  const type = specs[0]!.type;
  const merged: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = { type };
  for (const key of ['nullValue', 'ignoreAbove', 'constantValue', 'exact', 'sourcePath'] as const) {
    const value = specs[0]![key];
    if (value !== undefined && specs.every((s) => sameValue(s[key], value))) (merged as Record<string, unknown>)[key] = value;
  }
  const formats = [...new Set(specs.map((s) => s.format ?? DEFAULT_DATE_FORMAT[type]))];
  if (formats.length === 1 && specs[0]!.format !== undefined && specs.every((s) => s.format === specs[0]!.format)) merged.format = specs[0]!.format;
  else if (formats.length > 1 && DEFAULT_DATE_FORMAT[type] !== undefined) merged.format = formats.join('||');
  return merged;
}

/** `[keyword] in [a, b], [long] in [c]`: values and the indices that have each. */
function byIndex(groups: ReadonlyMap<string, readonly string[]>): string {
  return [...groups].map(([value, indices]) => `[${value}] in [${indices.join(', ')}]`).join(', ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string, index: (item: T) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(index(item));
    else groups.set(k, [index(item)]);
  }
  return groups;
}

/**
 * The fields of a search over several indices, as Elasticsearch's EQL
 * resolves them from field caps (IndexResolver.mergedMappings): every field
 * any index maps; a field that indices map in different type families is
 * unusable (a {@link ConflictSpec}), and so is one they store at different
 * places (an alias in one, a field in another), since an event does not say
 * which index it is from.
 */
function mergeIndices(indices: readonly IndexFields[]): Schema {
  const out: Record<string, FieldSpec | AliasSpec | ConflictSpec | UnusableSpec> = {};
  const paths = new Set<string>();
  for (const i of indices) for (const path of i.families.keys()) paths.add(path);
  for (const path of paths) {
    const mapped = indices.filter((i) => i.families.has(path));
    const families = groupBy(
      mapped,
      (i) => i.families.get(path)!,
      (i) => i.index,
    );
    if (families.size > 1) {
      out[path] = { type: 'conflict', reason: `mapped as [${families.size}] incompatible types: ${byIndex(families)}` };
      continue;
    }
    const usable = mapped.filter((i) => i.schema[path] !== undefined);
    // A type EQL cannot use, wherever it is mapped.
    if (usable.length === 0) continue;
    const refused = usable.map((i) => i.schema[path]!).find((e) => e.type === 'unusable');
    if (refused) {
      out[path] = refused;
      continue;
    }
    const readFrom = (i: IndexFields): string => {
      const e = i.schema[path]!;
      return e.type === 'alias' ? e.path : e.type === 'unusable' ? path : (e.sourcePath ?? path);
    };
    const places = groupBy(usable, readFrom, (i) => i.index);
    if (places.size > 1) {
      out[path] = { type: 'conflict', reason: `stored at [${places.size}] different places (aliases or multi-fields): ${byIndex(places)}; an event does not say which index it is from` };
      continue;
    }
    const specs = usable.map((i) => i.schema[path]!).filter((e): e is FieldSpec => e.type !== 'alias' && e.type !== 'unusable');
    out[path] = specs.length > 0 ? mergeSpecs(specs) : usable[0]!.schema[path]!;
  }
  // A text field matches exactly through its one keyword multi-field, counted over every index.
  const keywords = new Map<string, FieldSpec[]>();
  for (const e of Object.values(out)) {
    if (e.type === 'keyword' && e.sourcePath !== undefined) {
      const list = keywords.get(e.sourcePath);
      if (list) list.push(e);
      else keywords.set(e.sourcePath, [e]);
    }
  }
  for (const [path, e] of Object.entries(out)) {
    if (e.type !== 'text') continue;
    const exact = keywords.get(path) ?? [];
    const { ignoreAbove: _, ...rest } = e;
    const limit = exact.length === 1 ? exact[0]!.ignoreAbove : undefined;
    out[path] = { ...rest, exact: exact.length === 1, ...(limit !== undefined ? { ignoreAbove: limit } : {}) };
  }
  return out;
}

/**
 * Turns Elasticsearch mappings into a schema. Accepts a mapping
 * (`{ properties: … }`), `{ mappings: { properties } }`, what
 * `GET <index>/_mapping` returns (`{ "<index>": { mappings: … }, … }`, of one
 * index or several, some perhaps with no fields yet), or the JSON text of any
 * of them (lines starting with `#` are dropped, as in the suite's `.mapping`
 * files). Several indices are merged as a search over all of them sees them:
 * see {@link ConflictSpec}.
 *
 * @throws EqlInvalidArgumentError when it is none of these
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
  const mappings = mappingsIn(root);
  if (!mappings) {
    throw new EqlInvalidArgumentError('schemaFromMapping', 'mapping', 'an Elasticsearch mapping: { "properties": … }, { "mappings": { "properties": … } }, or what GET <index>/_mapping returns', root);
  }
  const indices = mappings.map(([index, m]) => readMapping(m, index ?? '<mapping>'));
  return indices.length === 1 ? indices[0]!.schema : mergeIndices(indices);
}

/**
 * Merges schemas, as when several indices are searched: later ones win for
 * the same field, except that a date field keeps every index's format, since
 * each index reads its own documents with its own format.
 */
export function mergeSchemas(...schemas: Schema[]): Schema {
  const out: Record<string, FieldSpec | AliasSpec | ConflictSpec | UnusableSpec | FieldType> = {};
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
  const out: Record<string, FieldSpec | AliasSpec | ConflictSpec | UnusableSpec | FieldType> = { ...schema };
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
    } else if (typeof value === 'number') out[path] = { type: Number.isInteger(value) ? 'long' : 'double' };
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

/**
 * Looks a field up, following aliases. Returns undefined when a schema exists and does not know it.
 *
 * @throws EqlSemanticError (`EQL_FIELD_CONFLICT`) for a field the schema's indices map incompatibly
 */
export function resolveField(schema: Schema | undefined, name: string): ResolvedField | undefined {
  if (!schema) return { path: name, spec: null };
  let current = name;
  for (let hops = 0; hops < 16; hops++) {
    if (!Object.hasOwn(schema, current)) return undefined;
    const entry = schema[current]!;
    const spec: FieldSpec | AliasSpec | ConflictSpec | UnusableSpec = typeof entry === 'string' ? { type: entry } : entry;
    if (spec.type === 'alias') {
      current = (spec as AliasSpec).path;
      continue;
    }
    if (spec.type === 'conflict') {
      const via = current === name ? '' : ` (the field that [${name}] names)`;
      throw new EqlSemanticError('EQL_FIELD_CONFLICT', `cannot use field [${current}]${via}: the indices disagree on it, ${spec.reason}`);
    }
    if (spec.type === 'unusable') {
      const via = current === name ? '' : ` (the field that [${name}] names)`;
      throw new EqlSemanticError('EQL_TYPE', `cannot use field [${current}]${via} ${spec.reason}`);
    }
    return { path: (spec as FieldSpec).sourcePath ?? current, spec: spec as FieldSpec };
  }
  return undefined;
}
