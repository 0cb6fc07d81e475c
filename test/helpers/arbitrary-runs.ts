/**
 * fast-check arbitraries for running random queries: queries of every shape
 * the parser makes (from arbitrary-ast.ts) that compile, and events made of
 * the fields, categories and literals of the query they are for, so that
 * stages match, keys join and sequences build state.
 */
import fc from 'fast-check';
import { childNodes, compile, type Event, type Query } from '../../src/index.js';
import type * as A from '../../src/parser/ast.js';
import { queryArbitrary } from './arbitrary-ast.js';

const loc: A.Location = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

const compiles = (q: Query): boolean => {
  try {
    compile(q);
    return true;
  } catch {
    return false;
  }
};

/** `v != n`: the condition a stage gets when its random one does not compile; most events pass it. */
const fallback = (n: number): A.Expression => ({
  type: 'Comparison',
  operator: '!=',
  left: { type: 'Field', path: ['v'], optional: false, location: loc },
  right: { type: 'Number', value: n, integer: true, text: String(n), location: loc },
  location: loc,
});

/** The query with each condition that does not compile on its own replaced by {@link fallback}. */
function repaired(q: Query): Query {
  let n = 0;
  const fix = (f: A.EventFilter): A.EventFilter => (compiles({ type: 'EventQuery', filter: f, pipes: [], location: loc }) ? f : { ...f, condition: fallback(n++ % 3) });
  switch (q.type) {
    case 'EventQuery':
      return { ...q, filter: fix(q.filter) };
    case 'SampleQuery':
      return { ...q, stages: q.stages.map((s) => ({ ...s, filter: fix(s.filter) })) };
    case 'SequenceQuery':
      return { ...q, stages: q.stages.map((s) => ({ ...s, filter: fix(s.filter) })), until: q.until ? { ...q.until, filter: fix(q.until.filter) } : null };
    default:
      return q;
  }
}

/** Random queries that compile: every shape, random conditions where they compile. */
export const runnableQuery: fc.Arbitrary<Query> = queryArbitrary.map(repaired).filter(compiles);

/** The field paths, categories and literal values a query names. */
function vocabulary(q: Query): { paths: (readonly string[])[]; categories: string[]; literals: unknown[] } {
  const paths: (readonly string[])[] = [['v']];
  const categories = new Set<string>();
  const literals: unknown[] = [0, 1, 2, 'x'];
  const visit = (node: A.Node): void => {
    if (node.type === 'Field') paths.push(node.path);
    else if (node.type === 'String' || node.type === 'Number' || node.type === 'Boolean') literals.push(node.value);
    else if (node.type === 'EventFilter' && node.category !== null) categories.add(node.category);
    for (const c of childNodes(node)) visit(c);
  };
  visit(q);
  return { paths, categories: categories.size > 0 ? [...categories] : ['any'], literals };
}

/** Sets a value at a path, through objects made on the way; a path blocked by a value is left alone. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = Object.hasOwn(o, path[i]!) ? o[path[i]!] : undefined;
    if (next === undefined) {
      const made: Record<string, unknown> = {};
      Object.defineProperty(o, path[i]!, { value: made, enumerable: true, writable: true, configurable: true });
      o = made;
    } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      o = next as Record<string, unknown>;
    } else {
      return;
    }
  }
  Object.defineProperty(o, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Events for a query, in time order (`@timestamp` 0 to 60 ms, `seq` their
 * place): each with one of its categories and, for each field it names,
 * maybe one of its literals (or a pair of them).
 */
export function eventsFor(q: Query, maxLength = 40): fc.Arbitrary<Event[]> {
  const { paths, categories, literals } = vocabulary(q);
  const value = fc.oneof(fc.constantFrom(...literals), fc.constant(null), fc.tuple(fc.constantFrom(...literals), fc.constantFrom(...literals)));
  const event = fc.record({
    step: fc.nat(4),
    category: fc.constantFrom(...categories),
    fields: fc.array(fc.tuple(fc.constantFrom(...paths), value), { maxLength: 6 }),
  });
  return fc.array(event, { maxLength }).map((raw) => {
    let ts = 0;
    return raw.map((r, i) => {
      ts += r.step;
      const e: Record<string, unknown> = {};
      for (const [path, v] of r.fields) setPath(e, path, v);
      // Time, order and category last, so that no random path overwrites them.
      e['@timestamp'] = ts;
      e.seq = i;
      e.event = { category: r.category };
      return e;
    });
  });
}
