/**
 * Events as nested JSON objects: setting and removing a field by its dotted
 * name, and reading one, as the engine reads them (semantics/fields.ts).
 */
import { compileFieldReader, type Event } from '../semantics/fields.js';
import type { Value } from './values.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Sets a field, creating the objects on its path. Where a value already
 * stands on the path (`a.b` set before `a.b.c`), the rest of the name goes
 * in as one dotted key, which the engine reads the same.
 */
export function setField(event: Event, name: string, value: Value): void {
  const segments = name.split('.');
  let obj: Record<string, unknown> = event;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const next = obj[segment];
    if (isObject(next)) {
      obj = next;
      continue;
    }
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      obj[segment] = created;
      obj = created;
      continue;
    }
    obj[segments.slice(i).join('.')] = value;
    return;
  }
  obj[segments[segments.length - 1]!] = value;
}

/** Removes a field wherever the engine would find it: nested, under dotted keys, inside arrays of objects. */
export function removeField(event: Event, name: string): void {
  const remove = (node: unknown, segments: readonly string[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) remove(item, segments);
      return;
    }
    if (!isObject(node)) return;
    for (let k = 1; k <= segments.length; k++) {
      const key = segments.slice(0, k).join('.');
      if (!Object.hasOwn(node, key)) continue;
      if (k === segments.length) delete node[key];
      else remove(node[key], segments.slice(k));
    }
  };
  remove(event, name.split('.'));
}

/** A field's value in an event as stored (an array when it holds several), or undefined when absent. */
export function readField(event: Event, name: string): Value | undefined {
  const raw = compileFieldReader(name)(event);
  return raw === undefined ? undefined : (raw as Value);
}

/** An event holding just these fields (undefined: left out), deeper names after shorter ones. */
export function eventOf(fields: Iterable<readonly [string, Value | undefined]>): Event {
  const event: Event = {};
  const entries = [...fields].filter((f): f is readonly [string, Value] => f[1] !== undefined).sort((a, b) => depth(a[0]) - depth(b[0]));
  for (const [name, value] of entries) setField(event, name, value);
  return event;
}

const depth = (name: string): number => name.split('.').length;

/**
 * The base event with these fields set or removed (undefined), the base left
 * as it is: every field the query does not name is kept.
 */
export function withFields(base: Event | undefined, fields: Iterable<readonly [string, Value | undefined]>): Event {
  const event: Event = base ? (structuredClone(base) as Event) : {};
  const entries = [...fields].sort((a, b) => depth(a[0]) - depth(b[0]));
  for (const [name, value] of entries) {
    if (base) removeField(event, name);
    if (value !== undefined) setField(event, name, value);
  }
  return event;
}
