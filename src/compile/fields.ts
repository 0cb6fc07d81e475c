/**
 * Reading a field from an event, and the one definition of "any value"
 * semantics over multi-valued fields.
 *
 * A dotted name is resolved as Elasticsearch flattens documents: through
 * nested objects, through literal dotted keys (`{"process.pid": 1}`), and
 * through arrays of objects. Only own properties are read, so `__proto__`,
 * `constructor` or `toString` are ordinary (usually missing) fields.
 */

/** An event: any JSON object. */
export type Event = Record<string, unknown>;

/**
 * What a field read returns: `undefined` when the field is absent, one value,
 * or an array of values (possibly nested, possibly holding nulls). Use
 * {@link someValue} or {@link fieldValues} rather than inspecting it.
 */
export type RawField = unknown;

export type FieldReader = (event: Event) => RawField;

const hasOwn = Object.prototype.hasOwnProperty;

/** Compiles a reader for a dotted field name. */
export function compileFieldReader(name: string): FieldReader {
  const segments = name.split('.');
  const n = segments.length;
  if (n === 1) {
    return (event) => (event !== null && typeof event === 'object' && hasOwn.call(event, name) ? event[name] : undefined);
  }
  // keys[i][j] is segments i..j-1 joined with dots: the literal key that would
  // cover those segments in one property.
  const keys: string[][] = [];
  for (let i = 0; i < n; i++) {
    keys[i] = [];
    for (let j = i + 1; j <= n; j++) keys[i]![j] = segments.slice(i, j).join('.');
  }

  const collect = (node: unknown, from: number, out: unknown[]): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) collect(item, from, out);
      return;
    }
    const obj = node as Record<string, unknown>;
    const row = keys[from]!;
    for (let to = from + 1; to <= n; to++) {
      const key = row[to]!;
      if (!hasOwn.call(obj, key)) continue;
      const value = obj[key];
      if (to === n) out.push(value);
      else collect(value, to, out);
    }
  };

  const first = segments[0]!;
  return (event) => {
    if (event === null || typeof event !== 'object') return undefined;
    // Fast path: plain nested objects without arrays or dotted keys.
    let node: unknown = hasOwn.call(event, first) ? event[first] : undefined;
    let i = 1;
    while (i < n && node !== null && typeof node === 'object' && !Array.isArray(node) && hasOwn.call(node, segments[i]!)) {
      node = (node as Record<string, unknown>)[segments[i]!];
      i++;
    }
    // A document that spells the same field both nested and with a dotted key
    // is not merged here; Elasticsearch would index both values.
    if (i === n && node !== undefined) return node;
    const out: unknown[] = [];
    collect(event, 0, out);
    if (out.length === 0) return undefined;
    return out.length === 1 ? out[0] : out;
  };
}

/**
 * Any-value semantics, the one place they are defined: true when some value of
 * the field satisfies `test`. Arrays are flattened; nulls, objects and an
 * absent field contribute no value.
 */
export function someValue(raw: RawField, test: (value: string | number | boolean) => boolean): boolean {
  if (raw === undefined || raw === null) return false;
  if (Array.isArray(raw)) {
    for (const item of raw) if (someValue(item, test)) return true;
    return false;
  }
  const t = typeof raw;
  if (t === 'string' || t === 'number' || t === 'boolean') return test(raw as string | number | boolean);
  return false;
}

/** The values of a field as a flat list, without nulls or objects. */
export function fieldValues(raw: RawField): Array<string | number | boolean> {
  const out: Array<string | number | boolean> = [];
  someValue(raw, (v) => {
    out.push(v);
    return false;
  });
  return out;
}

/** Whether the field has at least one value (Elasticsearch's `exists`). */
export function hasValue(raw: RawField): boolean {
  return someValue(raw, () => true);
}

/**
 * Whether the raw field holds an explicit JSON null (as opposed to being
 * absent), for mappings with a `null_value`.
 */
export function hasExplicitNull(raw: RawField): boolean {
  if (raw === null) return true;
  if (Array.isArray(raw)) return raw.some(hasExplicitNull);
  return false;
}
