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

/**
 * The most nodes any walk over one value visits: events from JSON cannot
 * come near it, but an object built in code may be huge or refer to itself,
 * and no event may hold the engine up. Walks that reach it stop there.
 */
export const MAX_WALK_STEPS = 1_000_000;

/**
 * Per-event state, owned by whoever runs events: a matcher, a RuleSet
 * matcher, a search. Memos of what an event holds (the shared readers below,
 * whether an event has a dotted key, a mapping's indexed values) are kept
 * under a *stamp*: a number that names one span of a runner's work during
 * which no event it reads changes (a push, a flush, the evaluation pass of a
 * search). Each {@link EventContext.begin} takes a stamp no other span has had
 * (a process-wide count), so a memo made in one runner's work never answers
 * in another's, however their work interleaves on the thread; and an event
 * object reused with new contents is read afresh at its next push. Outside
 * any runner's work the stamp is 0 and nothing is remembered: a read there is
 * always fresh.
 */
export class EventContext {
  /** The stamp of this context's latest span of work; 0 before its first. */
  stamp = 0;

  /**
   * Starts a span of work under a fresh stamp. Returns the stamp of the span
   * it interrupts (0 when none), for {@link end}: always pair them in one
   * frame (`try … finally`), never across a `yield` or `await`.
   */
  begin(): number {
    const outer = current;
    current = this.stamp = ++stamps;
    return outer;
  }

  /** Ends the span that {@link begin} started: `outer`, what it returned, is current again. */
  end(outer: number): void {
    current = outer;
  }
}

/** Stamps handed out so far: a count, never reset, so that no two spans share one. */
let stamps = 0;
/**
 * The stamp of the span under way (the innermost, when one runner's callback
 * runs another), 0 when none: a register that the contexts set and the memos
 * read, as a number so that a read compares it at the cost of one load.
 */
let current = 0;

/** The stamp of the span of work under way, 0 when none: memos of event contents hold only while it stays the same, and are not made under 0. */
export function eventStamp(): number {
  return current;
}

/**
 * Readers shared by field name, so that the rules of a set read one field of
 * one event once. Bounded: a service that compiles user queries names ever
 * new fields, and the oldest entries then leave the table (queries that hold
 * them keep them; new queries get fresh ones).
 */
const shared = new Map<string, FieldReader>();
const MAX_SHARED_READERS = 8192;

/**
 * The reader for a dotted field name, shared by every query: it remembers the
 * last event it read under the current stamp (see {@link EventContext}), so
 * many rules reading one field of one event read it once.
 */
export function compileFieldReader(name: string): FieldReader {
  let reader = shared.get(name);
  if (!reader) {
    // Built at the first read: generating the reader's code cost about a sixth
    // of compiling the corpus, and rules that are only loaded (`eqlkit check`)
    // never read a field.
    let read: FieldReader = (event) => (read = buildFieldReader(name))(event);
    let lastEvent: Event | undefined;
    // Never 0, so that a read outside any runner's work finds nothing remembered.
    let lastStamp = -1;
    let lastValue: RawField;
    reader = (event) => {
      const stamp = current;
      if (event === lastEvent && stamp === lastStamp) return lastValue;
      const value = read(event);
      if (stamp !== 0) {
        lastEvent = event;
        lastStamp = stamp;
        lastValue = value;
      }
      return value;
    };
    if (shared.size >= MAX_SHARED_READERS) shared.delete(shared.keys().next().value!);
    shared.set(name, reader);
  }
  return reader;
}

/** The last event {@link hasTopLevelDottedKey} looked at, the stamp it did so under, and its answer. */
let dottedEvent: Event | undefined;
let dottedStamp = -1;
let dottedAnswer = false;

/** Whether the event itself (not its objects) has an own key with a dot in it; computed once per event in a span of work. */
function hasTopLevelDottedKey(event: Event): boolean {
  if (event === dottedEvent && current === dottedStamp) return dottedAnswer;
  let found = false;
  for (const key in event) {
    if (key.includes('.') && hasOwn.call(event, key)) {
      found = true;
      break;
    }
  }
  if (current !== 0) {
    dottedEvent = event;
    dottedStamp = current;
    dottedAnswer = found;
  }
  return found;
}

/**
 * Whether a field whose name starts with `segment` could have a value in the
 * event: only when the event has the key `segment` itself or a dotted key
 * (which might start with it). Lets callers skip whole families of fields
 * (`kubernetes.*`, `okta.*`) that an event does not have.
 */
export function mayHaveFieldsUnder(event: Event, segment: string): boolean {
  return hasOwn.call(event, segment) || hasTopLevelDottedKey(event);
}

/** Builds the reader for a dotted field name. */
function buildFieldReader(name: string, generate = true): FieldReader {
  const segments = name.split('.');
  const n = segments.length;
  // keys[i][j] is segments i..j-1 joined with dots: the literal key that would
  // cover those segments in one property.
  const keys: string[][] = [];
  for (let i = 0; i < n; i++) {
    keys[i] = [];
    for (let j = i + 1; j <= n; j++) keys[i]![j] = segments.slice(i, j).join('.');
  }

  const collect = (start: unknown, out: unknown[]): void => {
    // Explicit stack: arrays of objects may nest to any depth.
    const stack: Array<[unknown, number]> = [[start, 0]];
    for (let steps = 0; stack.length > 0 && steps < MAX_WALK_STEPS; steps++) {
      const [node, from] = stack.pop()!;
      if (node === null || typeof node !== 'object') continue;
      if (Array.isArray(node)) {
        for (let k = node.length - 1; k >= 0; k--) stack.push([node[k], from]);
        continue;
      }
      const obj = node as Record<string, unknown>;
      const row = keys[from]!;
      const found: Array<[unknown, number]> = [];
      for (let to = from + 1; to <= n; to++) {
        const key = row[to]!;
        if (!hasOwn.call(obj, key)) continue;
        const value = obj[key];
        if (to === n) out.push(value);
        else found.push([value, to]);
      }
      for (let k = found.length - 1; k >= 0; k--) stack.push(found[k]!);
    }
  };

  // Dotted keys that could stand for two or more segments from each level on.
  const dotted: string[][] = segments.map((_, i) => {
    const row: string[] = [];
    for (let j = i + 2; j <= n; j++) row.push(keys[i]![j]!);
    return row;
  });
  const mayHoldDottedKey = (obj: object, level: number): boolean => {
    for (const k of dotted[level]!) if (hasOwn.call(obj, k)) return true;
    return false;
  };

  /**
   * Whether any object along the plain path (levels 0..upTo) holds a dotted
   * key for the rest of the path. Only levels that leave two segments or more
   * can; at the top, whether the event has any dotted key is known once per
   * event, and below it each level costs a lookup per candidate key (one for
   * the usual three-segment name). Only these objects can spell the field
   * another way, so nothing else of the event is looked at.
   */
  const dottedAlongPath = (event: object, upTo: number): boolean => {
    const last = Math.min(upTo, n - 2);
    if (last < 0) return false;
    if (hasTopLevelDottedKey(event as Event) && mayHoldDottedKey(event, 0)) return true;
    let node: unknown = event;
    for (let j = 1; j <= last; j++) {
      const seg = segments[j - 1]!;
      if (!hasOwn.call(node, seg)) return false;
      node = (node as Record<string, unknown>)[seg];
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
      if (mayHoldDottedKey(node, j)) return true;
    }
    return false;
  };

  const slow = (event: object): RawField => {
    const out: unknown[] = [];
    collect(event, out);
    if (out.length === 0) return undefined;
    return out.length === 1 ? out[0] : out;
  };

  /** The answer once the plain path ends at level `level`: only a dotted key elsewhere can still give a value. */
  const missing = (event: object, level: number): RawField => (dottedAlongPath(event, level) ? slow(event) : undefined);
  return (generate ? plainPathReader(segments, dotted, slow) : null) ?? closurePlainPath(segments, missing, slow);
}

/** Whether an array holds no value at all (only objects, nulls, empty arrays); cheap when it starts with one. */
function holdsNoValue(array: readonly unknown[]): boolean {
  const t = typeof array[0];
  return t !== 'string' && t !== 'number' && t !== 'boolean' && !hasValue(array);
}

type Missing = (event: object, level: number) => RawField;

/**
 * The fast path, as a closure: plain nested objects. A value found this way
 * is the answer (a document that also spells the field as a dotted key is not
 * merged); when the plain path is missing, dotted keys and arrays are looked at.
 */
function closurePlainPath(segments: readonly string[], missing: Missing, slow: (event: object) => RawField): FieldReader {
  const n = segments.length;
  return (event) => {
    if (event === null || typeof event !== 'object') return undefined;
    let node: unknown = event;
    for (let i = 0; i < n; i++) {
      if (node === null || typeof node !== 'object') return missing(event, i - 1);
      if (Array.isArray(node)) return slow(event);
      const seg = segments[i]!;
      if (!hasOwn.call(node, seg)) return missing(event, i);
      node = (node as Record<string, unknown>)[seg];
    }
    // An object at the end holds no value itself, nor does an array of objects;
    // a dotted key elsewhere may.
    if (node !== null && typeof node === 'object' && (!Array.isArray(node) || holdsNoValue(node))) return missing(event, n - 1);
    return node;
  };
}

/** Whether the process allows code generation: found at the first refusal, the same for every caller (not per-event state). */
let codeGeneration = true;

/**
 * The same fast path as {@link closurePlainPath}, generated for one field so
 * that each property read is a named load with its own inline cache: reads
 * through one shared loop with variable keys cost several times more. Names
 * enter the code only as JSON string literals. Object.prototype is never
 * read: names it has (`constructor`, `__proto__`, …) are looked up as own
 * properties, and any other value is taken only when it is not the one
 * Object.prototype holds under that name (which catches a polluted
 * prototype). When the plain path ends early, the objects it went through
 * are still in hand, each in a variable of its own, and the dotted keys that
 * could spell the rest of the name are looked up in them by literal: a few
 * lookups, where the walk of the whole event that used to rule dotted keys
 * out cost about 1.3 µs per event (docs/performance.md, stop 17). Returns
 * null where code generation is disallowed.
 */
function plainPathReader(segments: readonly string[], dotted: readonly (readonly string[])[], slow: (event: object) => RawField): FieldReader | null {
  if (!codeGeneration) return null;
  const n = segments.length;
  // Whether an object along the path, v0 (the event) to v{level}, holds a
  // dotted key that spells the rest of the name: then the general walk reads
  // the field; otherwise it is absent. Whether the event has a dotted key of
  // its own at all is known once per event.
  const absentAt = (level: number): string => {
    const tests: string[] = [];
    for (let j = 0; j <= Math.min(level, n - 2); j++) {
      const keys = dotted[j]!.map((k) => `hasOwn.call(v${j}, ${JSON.stringify(k)})`);
      tests.push(j === 0 ? `(topDotted(e) && (${keys.join(' || ')}))` : keys.join(' || '));
    }
    return tests.length === 0 ? 'return undefined;' : `return ${tests.join(' || ')} ? slow(e) : undefined;`;
  };
  let body = 'let x;\nconst v0 = e;\nif (v0 === null || typeof v0 !== "object") return undefined;\n';
  for (let i = 0; i < n; i++) {
    const key = JSON.stringify(segments[i]);
    const v = `v${i}`;
    if (i > 0) body += `const ${v} = x;\nif (${v} === null || typeof ${v} !== "object") ${absentAt(i - 1)}\n`;
    body += `if (isArray(${v})) return slow(e);\n`;
    body +=
      segments[i]! in Object.prototype
        ? `if (!hasOwn.call(${v}, ${key})) ${absentAt(i)}\nx = ${v}[${key}];\n`
        : `x = ${v}[${key}];\nif (x === undefined || (x === proto[${key}] && !hasOwn.call(${v}, ${key}))) ${absentAt(i)}\n`;
  }
  body += `if (x !== null && typeof x === "object" && (!isArray(x) || holdsNoValue(x))) ${absentAt(n - 1)}\nreturn x;`;
  try {
    const make = new Function('hasOwn', 'proto', 'isArray', 'holdsNoValue', 'topDotted', 'slow', `return function readPlainPath(e) {\n${body}\n};`) as (...args: unknown[]) => FieldReader;
    return make(hasOwn, Object.prototype, Array.isArray, holdsNoValue, hasTopLevelDottedKey, slow);
  } catch {
    // `--disallow-code-generation-from-strings` and the like: the closure does the same, slower.
    codeGeneration = false;
    return null;
  }
}

/** For tests: read fields through the closure fast path instead of generated code. */
export function buildClosureFieldReader(name: string): FieldReader {
  return buildFieldReader(name, false);
}

/**
 * Any-value semantics, the one place they are defined: true when some value of
 * the field satisfies `test`. Arrays are flattened; nulls, objects and an
 * absent field contribute no value.
 */
export function someValue(raw: RawField, test: (value: string | number | boolean) => boolean): boolean {
  if (raw === undefined || raw === null) return false;
  if (!Array.isArray(raw)) {
    const t = typeof raw;
    return (t === 'string' || t === 'number' || t === 'boolean') && test(raw as string | number | boolean);
  }
  // Most arrays are flat: test them in place, without allocating a stack.
  let firstNested = -1;
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    const t = typeof item;
    if (t === 'string' || t === 'number' || t === 'boolean') {
      if (test(item as string | number | boolean)) return true;
    } else if (Array.isArray(item)) {
      firstNested = i;
      break;
    }
  }
  if (firstNested < 0) return false;
  // Arrays may nest to any depth: walk them with an explicit stack, in order,
  // from the first nested array on (everything before it was tested above).
  const arrays: unknown[][] = [raw];
  const positions: number[] = [firstNested];
  for (let steps = 0; arrays.length > 0 && steps < MAX_WALK_STEPS; steps++) {
    const top = arrays.length - 1;
    const array = arrays[top]!;
    const i = positions[top]!;
    if (i >= array.length) {
      arrays.pop();
      positions.pop();
      continue;
    }
    positions[top] = i + 1;
    const item = array[i];
    if (Array.isArray(item)) {
      arrays.push(item);
      positions.push(0);
      continue;
    }
    const t = typeof item;
    if ((t === 'string' || t === 'number' || t === 'boolean') && test(item as string | number | boolean)) return true;
  }
  return false;
}

/**
 * A predicate over events from a test over values, built once at compile
 * time: true when some value of the field passes (see {@link someValue}).
 */
export function anyValue(read: FieldReader, test: (value: string | number | boolean) => boolean): (event: Event) => boolean {
  return (event) => {
    const raw = read(event);
    // Most fields hold one primitive: test it without the general walk.
    const t = typeof raw;
    if (t === 'string' || t === 'number' || t === 'boolean') return test(raw as string | number | boolean);
    return someValue(raw, test);
  };
}

/**
 * Whether some value of the field is exactly `value` (see {@link someValue}).
 * A category is nearly always one text in an array: that shape is decided
 * here without a call per value.
 */
export function someValueIs(raw: RawField, value: string | number | boolean): boolean {
  if (raw === value) return true;
  if (Array.isArray(raw) && raw.length === 1) {
    const only: unknown = raw[0];
    const t = typeof only;
    if (t === 'string' || t === 'number' || t === 'boolean') return only === value;
  }
  if (!Array.isArray(raw)) return false;
  wantedValue = value;
  return someValue(raw, isWantedValue);
}

/**
 * The value {@link someValueIs} looks for, so that no test closure is made
 * per call: a scratch register, set right before the walk and read only
 * within it (the walk calls nothing else), so nothing carries from one call
 * to the next (not per-event state).
 */
let wantedValue: string | number | boolean = '';
const isWantedValue = (v: string | number | boolean): boolean => v === wantedValue;

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
