/** AST comparison helpers for tests. */

/** A deep copy without `location` fields, for comparing ASTs of different texts. */
export function withoutLocations<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutLocations) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'location') out[k] = withoutLocations(v);
    return out as T;
  }
  return value;
}
