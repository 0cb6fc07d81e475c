/**
 * The Elasticsearch EQL QA suite as runners (README §2.1 of the suite): which
 * TOML files run against which data, with which mapping transforms,
 * tiebreaker and id field. Data is loaded and transformed as Elasticsearch's
 * DataLoader does it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Event, type Match, type Schema, compile, mergeSchemas, schemaFromMapping, withDynamicFields } from '../../src/index.js';
import { type ConformanceCase, loadConformanceFile } from './conformance.js';

export interface Runner {
  readonly name: string;
  readonly files: readonly string[];
  readonly tiebreaker: string | null;
  readonly idField: string;
  readonly events: Event[];
  readonly schema: Schema;
  /** Index of each event (for the failing-shards simulation). */
  readonly indexOf: ReadonlyMap<Event, string>;
}

const FILETIME_EPOCH_OFFSET_MS = 11644473600000n;

/** Big integers in the data (Windows FILETIME) must keep every digit, so they are read as text first. */
function readEndgameDocs(path: string): Array<Record<string, unknown> & { timestamp: bigint }> {
  const text = readFileSync(path, 'utf8').replace(/("timestamp"\s*:\s*)(\d{16,})/g, '$1"$2"');
  return (JSON.parse(text) as Array<Record<string, unknown>>).map((d) => ({ ...d, timestamp: BigInt(d.timestamp as string) }));
}

/** endgame-140: `@timestamp` from the FILETIME, as epoch milliseconds. */
function endgameMillis(path: string): Event[] {
  return readEndgameDocs(path).map((d) => ({
    ...d,
    timestamp: Number(d.timestamp),
    '@timestamp': Number(d.timestamp / 10000n - FILETIME_EPOCH_OFFSET_MS),
  }));
}

/** endgame-140-nanos: the 18-digit FILETIME read as epoch nanoseconds, written as millis with a fraction. */
function endgameNanos(path: string): Event[] {
  return readEndgameDocs(path).map((d) => {
    const digits = d.timestamp.toString();
    const head = digits.slice(0, 12);
    const tail = digits.slice(12);
    return { ...d, timestamp: Number(d.timestamp / 1_000_000n), '@timestamp': /^0+$/.test(tail) ? head : `${head}.${tail}` };
  });
}

/** `.data` files are JSON arrays; missing-events.data also has `//` comment lines. */
function readData(path: string): Event[] {
  const text = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(text) as Event[];
}

function readMapping(path: string): Schema {
  return schemaFromMapping(readFileSync(path, 'utf8'));
}

interface IndexData {
  name: string;
  events: Event[];
  mapping: Schema;
}

function runner(name: string, files: string[], tiebreaker: string | null, idField: string, indices: IndexData[]): Runner {
  const events = indices.flatMap((i) => i.events);
  const indexOf = new Map<Event, string>();
  for (const i of indices) for (const e of i.events) indexOf.set(e, i.name);
  // Dynamic mapping adds the fields that the explicit mappings leave out.
  const schema = withDynamicFields(mergeSchemas(...indices.map((i) => i.mapping)), events);
  return { name, files, tiebreaker, idField, events, schema, indexOf };
}

export function loadRunners(suiteDir: string): Runner[] {
  const data = (f: string) => join(suiteDir, 'data', f);
  const endgame: IndexData = { name: 'endgame-140', events: endgameMillis(join(suiteDir, 'test_data.json')), mapping: readMapping(data('endgame-140.mapping')) };
  const endgameNanosIndex: IndexData = { name: 'endgame-140-nanos', events: endgameNanos(join(suiteDir, 'test_data.json')), mapping: readMapping(data('endgame-140-nanos.mapping')) };
  const simple = (name: string): IndexData => ({ name, events: readData(data(`${name}.data`)), mapping: readMapping(data(`${name}.mapping`)) });
  const shardFailures: IndexData = {
    name: 'endgame-shard-failures',
    events: endgameMillis(data('endgame-shard-failures.data')),
    mapping: readMapping(data('endgame-shard-failures.mapping')),
  };
  return [
    runner('EqlSpecTestCase', ['test_queries.toml', 'test_queries_date.toml'], 'serial_event_id', 'serial_event_id', [endgame]),
    runner('EqlDateNanosSpecTestCase', ['test_queries_date_nanos.toml', 'test_queries.toml'], 'serial_event_id', 'serial_event_id', [endgameNanosIndex]),
    runner('EqlExtraSpecTestCase', ['test_extra.toml'], 'sequence', 'sequence', [simple('extra')]),
    runner('EqlMissingEventsSpecTestCase', ['test_missing_events.toml'], 'sequence', 'sequence', [simple('missing-events')]),
    runner('EqlSampleTestCase', ['test_sample.toml'], null, 'id', [simple('sample1'), simple('sample2'), simple('sample3')]),
    runner('EqlSampleMultipleEntriesTestCase', ['test_sample_multi.toml'], null, 'id', [simple('sample-multi')]),
    runner('EqlSpecFailingShardsTestCase', ['test_failing_shards.toml'], 'serial_event_id', 'serial_event_id', [endgame, shardFailures]),
  ];
}

export interface CaseOutcome {
  readonly passed: boolean;
  readonly actual: unknown;
  readonly expected: unknown;
}

/** Flattens results into ids as the suite compares them; a missing-event placeholder is -1. */
function idsOf(matches: readonly Match[], idField: string): number[] {
  return matches.flatMap((m) => m.events.map((e) => (e === null ? -1 : Number(e[idField]))));
}

/**
 * Corrections that upstream made after the copy in ../shared was taken. The
 * copied test_queries.toml predates Elasticsearch PR #76953 ("EQL: Sequences
 * will now support nano-timestamps"), which changed this case's maxspan from
 * 500ms to 50ms so that it expects no result on the nanosecond data too; the
 * nanosecond runner that loads this file comes from after that change.
 */
export const UPSTREAM_ERRATA: Readonly<Record<string, { readonly from: string; readonly to: string; readonly reason: string }>> = {
  sequencesOnDifferentEventTypes7: {
    from: 'maxspan=500ms',
    to: 'maxspan=50ms',
    reason: 'Elasticsearch PR #76953 changed maxspan=500ms to 50ms when the nanosecond runner started to run test_queries.toml',
  },
};

/** The case as upstream runs it today. */
export function withErrata(c: ConformanceCase): ConformanceCase {
  const fix = UPSTREAM_ERRATA[c.name];
  if (!fix || !c.query.includes(fix.from)) return c;
  return { ...c, query: c.query.replace(fix.from, fix.to) };
}

/**
 * Runs one case. The failing-shards runner simulates a shard that fails on
 * any query touching the runtime field `broken`: that index's events drop out.
 */
export function runCase(r: Runner, original: ConformanceCase): CaseOutcome {
  const c = withErrata(original);
  let events = r.events;
  let sequencesFail = false;
  if (r.name === 'EqlSpecFailingShardsTestCase' && /\bbroken\b/.test(c.query)) {
    events = events.filter((e) => r.indexOf.get(e) !== 'endgame-shard-failures');
    // A failed shard makes Elasticsearch drop sequence results unless partial sequences are allowed.
    sequencesFail = c.allow_partial_sequence_results !== true;
  }
  const q = compile(c.query, {
    schema: r.schema,
    timestampField: '@timestamp',
    eventCategoryField: 'event.category',
    ...(r.tiebreaker ? { tiebreakerField: r.tiebreaker } : {}),
  });
  const found = q.search(events, { size: c.size ?? 50, maxSamplesPerKey: c.max_samples_per_key ?? 1 });
  const matches = sequencesFail && q.kind === 'sequence' ? [] : found;
  const actual = idsOf(matches, r.idField);
  const expected = c.expected_event_ids;
  const alternatives = expected.length > 0 && Array.isArray(expected[0]) ? (expected as number[][]) : [expected as number[]];
  const passed = alternatives.some((alt) => alt.length === actual.length && alt.every((id, i) => id === actual[i]));
  return { passed, actual, expected };
}

export function casesOf(suiteDir: string, r: Runner): Array<{ file: string; case: ConformanceCase }> {
  return r.files.flatMap((file) => loadConformanceFile(join(suiteDir, file)).map((c) => ({ file, case: c })));
}
