/**
 * Reading a rule test file (`<rule>.test.toml`): which rule it tests, and
 * its cases, each with events (inline, as JSON text, or from a file), the
 * names of those events, their times, and the alerts it expects. Every
 * problem is a {@link RuleTestError} with the file, line and column it
 * concerns. docs/testing-rules.md is the format's reference.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type EqlError, RuleTestError, type RuleTestErrorCode } from '../errors.js';
import { closeNames } from '../language/did-you-mean.js';
import type { Event } from '../semantics/fields.js';
import { parseToml, TomlSyntaxError } from '../rules/toml.js';
import { type CaseLayout, type Spot, TestFileLayout } from './layout.js';
import { looksLikeOffset, OFFSET_UNITS, parseOffset, readTime, timeText } from './time.js';

/** The suffix that makes a file a rule test file. */
export const TEST_FILE_SUFFIX = '.test.toml';

/** The base time of a case whose file and case name none. */
export const DEFAULT_BASE_TIME = '2026-01-01T00:00:00.000Z';

/** How far an event written without a time follows the one before it. */
const STEP_NS = 1_000_000_000n;

/** Files of events larger than this are refused rather than read. */
const MAX_EVENTS_FILE_BYTES = 64 * 1024 * 1024;

/** The key that labels an event in a test, taken out of the event before it runs. */
export const LABEL_KEY = '_id';

const TOP_KEYS = ['rule', 'base_time', 'id_field', 'case'] as const;
const CASE_KEYS = ['name', 'events', 'events_file', 'alerts', 'base_time', 'id_field'] as const;

/** One event of a case, ready to run. */
export interface TestEvent {
  /** Its place among the case's events, from 0. */
  readonly index: number;
  /** What the test calls it: its label (`_id`, or the value of `id_field`), or `#<index>`. */
  readonly name: string;
  /** The event as the rule sees it: no `_id`, its time written out. */
  readonly event: Event;
}

/** One case, ready to run. */
export interface TestCase {
  readonly name: string;
  /** The line of its `[[case]]` header, when known. */
  readonly line: number | null;
  readonly events: readonly TestEvent[];
  /** The alerts it expects, each as the names of its events in order (a missing-event stage has none). */
  readonly alerts: readonly (readonly string[])[];
}

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  return `a ${typeof v} (${typeof v === 'bigint' ? String(v) : JSON.stringify(v)})`;
}

/**
 * A rule test file, parsed. The rule's timestamp field decides which field
 * of an event holds its time, so the cases are built once the rule is known
 * ({@link RuleTestDocument.cases}).
 */
export class RuleTestDocument {
  private readonly doc: Table;
  private readonly layout: TestFileLayout;
  private readonly caseTables: readonly Table[];

  /** @throws RuleTestError */
  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.layout = new TestFileLayout(body);
    try {
      this.doc = parseToml(body);
    } catch (e) {
      if (e instanceof TomlSyntaxError) throw this.error('RULE_TEST_TOML', `invalid TOML: ${e.message}`, e.line === null ? null : { line: e.line, column: e.column ?? 1 }, null);
      throw e;
    }
    this.checkKeys(this.doc, TOP_KEYS, 'the file', (key) => this.layout.top.get(key) ?? null, null);
    const cases = this.doc.case;
    if (cases === undefined) throw this.error('RULE_TEST_SCHEMA', 'the file has no case: add one with [[case]]', null, 'case');
    if (!Array.isArray(cases) || !cases.every(isTable))
      throw this.error('RULE_TEST_SCHEMA', `case must be an array of tables ([[case]]), not ${describe(cases)}`, this.layout.top.get('case') ?? null, 'case');
    if (cases.length === 0) throw this.error('RULE_TEST_SCHEMA', 'the file has no case: add one with [[case]]', this.layout.top.get('case') ?? null, 'case');
    this.caseTables = cases;
    this.topString('rule');
    this.topString('id_field');
  }

  /**
   * The rule file the cases run against: `rule`, relative to `rulesDir` when
   * given and to the test file's folder otherwise; without `rule`, the
   * `.toml` file of the same base name beside the test file.
   */
  rulePath(rulesDir?: string): string {
    const named = this.topString('rule');
    if (named !== null) return resolve(rulesDir ?? dirname(this.file), named);
    const name = basename(this.file);
    const base = name.endsWith(TEST_FILE_SUFFIX) ? name.slice(0, -TEST_FILE_SUFFIX.length) : name.replace(/\.toml$/, '');
    return resolve(dirname(this.file), `${base}.toml`);
  }

  /** Where the `rule` key is written, for errors about the rule. */
  get ruleSpot(): Spot | null {
    return this.layout.top.get('rule') ?? null;
  }

  /** A {@link RuleTestError} about this file. */
  error(code: RuleTestErrorCode, reason: string, at: Spot | null, key: string | null, cause?: EqlError): RuleTestError {
    return new RuleTestError(code, reason, { file: this.file, line: at?.line ?? null, column: at?.column ?? null, key, source: this.layout.text, cause });
  }

  /**
   * The cases, with each event's time written into `timestampField` (the
   * rule's). @throws RuleTestError
   */
  cases(timestampField: string): TestCase[] {
    const names = new Map<string, number>();
    return this.caseTables.map((table, c) => {
      const reader = new CaseReader(this, table, c, this.caseLayout(c), timestampField);
      const built = reader.build();
      const before = names.get(built.name);
      if (before !== undefined)
        throw reader.fail('RULE_TEST_SCHEMA', `two cases are named ${JSON.stringify(built.name)} (cases ${before} and ${c}): give each its own name`, reader.spotOf('name'), 'name');
      names.set(built.name, c);
      return built;
    });
  }

  /** The file's value of a key every case inherits unless it has its own, and where it is written. */
  inherited(key: 'base_time' | 'id_field'): { value: unknown; spot: Spot | null } {
    return { value: this.doc[key], spot: this.layout.top.get(key) ?? null };
  }

  private topString(key: 'rule' | 'id_field'): string | null {
    const v = this.doc[key];
    if (v === undefined) return null;
    if (typeof v !== 'string' || v === '') throw this.error('RULE_TEST_SCHEMA', `${key} must be a non-empty string, not ${describe(v)}`, this.layout.top.get(key) ?? null, key);
    return v;
  }

  /** Positions of case `c`, when the scanner found as many `[[case]]` headers as the parser found cases. */
  private caseLayout(c: number): CaseLayout | null {
    return this.layout.cases.length === this.caseTables.length ? this.layout.cases[c]! : null;
  }

  /** @internal Text positions, for the cases' readers. */
  get positions(): TestFileLayout {
    return this.layout;
  }

  /** Refuses keys the format does not know, naming the near misses. */
  checkKeys(table: Table, known: readonly string[], where: string, spotOf: (key: string) => Spot | null, keyPrefix: string | null): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const near = closeNames(known, key);
      const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : `the keys are ${known.join(', ')}`;
      throw this.error('RULE_TEST_SCHEMA', `unknown key ${JSON.stringify(key)} in ${where}: ${hint}`, spotOf(key), keyPrefix === null ? key : `${keyPrefix}.${key}`);
    }
  }
}

/** Builds one case, failing with the position of what is wrong. */
class CaseReader {
  private readonly key: string;

  constructor(
    private readonly document: RuleTestDocument,
    private readonly table: Table,
    index: number,
    private readonly layout: CaseLayout | null,
    private readonly timestampField: string,
  ) {
    this.key = `case[${index}]`;
  }

  fail(code: RuleTestErrorCode, reason: string, at: Spot | null, key: string | null): RuleTestError {
    return this.document.error(code, reason, at ?? this.header(), key === null ? this.key : `${this.key}.${key}`);
  }

  private header(): Spot | null {
    return this.layout ? { line: this.layout.line, column: 1 } : null;
  }

  spotOf(key: string): Spot | null {
    return this.layout?.keys.get(key) ?? this.header();
  }

  /** Where a string is written in this case, after `from` (or the case's start). */
  private spotOfString(value: string, from: Spot | null): Spot | null {
    if (!this.layout) return null;
    return this.document.positions.findString(value, from ?? { line: this.layout.line, column: 1 }, this.layout.end);
  }

  build(): TestCase {
    this.document.checkKeys(this.table, CASE_KEYS, '[[case]]', (k) => this.spotOf(k), this.key);
    const name = this.table.name;
    if (name === undefined) throw this.fail('RULE_TEST_SCHEMA', 'the case has no name: add name = "what it shows"', null, 'name');
    if (typeof name !== 'string' || name.trim() === '') throw this.fail('RULE_TEST_SCHEMA', `name must be a non-empty string, not ${describe(name)}`, this.spotOf('name'), 'name');
    const base = this.baseTime();
    const idField = this.idField();
    const raw = this.rawEvents();
    const events = this.labelled(raw, idField);
    this.writeTimes(events, raw, base);
    const alerts = this.expected(events);
    return { name, line: this.layout?.line ?? null, events: events.map(({ index, name, event }) => ({ index, name, event })), alerts };
  }

  private baseTime(): bigint {
    const own = this.table.base_time;
    const inherited = this.document.inherited('base_time');
    const [value, spot, key] = own !== undefined ? [own, this.spotOf('base_time'), `${this.key}.base_time`] : [inherited.value, inherited.spot, 'base_time'];
    if (value === undefined) return readTime(DEFAULT_BASE_TIME)!;
    const ns = readTime(value);
    if (ns === null) throw this.document.error('RULE_TEST_SCHEMA', `base_time must be an ISO-8601 time such as "2026-01-15T10:00:00Z", not ${describe(value)}`, spot, key);
    return ns;
  }

  private idField(): string | null {
    const own = this.table.id_field;
    if (own === undefined) return (this.document.inherited('id_field').value as string | undefined) ?? null;
    if (typeof own !== 'string' || own === '') throw this.fail('RULE_TEST_SCHEMA', `id_field must be a non-empty string, not ${describe(own)}`, this.spotOf('id_field'), 'id_field');
    return own;
  }

  /** The events as written, each a fresh plain object, and where each came from. */
  private rawEvents(): { events: Table[]; source: 'tables' | 'text' | 'file' } {
    const inline = this.table.events;
    const file = this.table.events_file;
    if (inline !== undefined && file !== undefined) throw this.fail('RULE_TEST_SCHEMA', 'give events or events_file, not both', this.spotOf('events_file'), 'events_file');
    if (inline === undefined && file === undefined)
      throw this.fail('RULE_TEST_SCHEMA', 'the case has no events: add [[case.events]] tables, events = [...], or events_file = "file.ndjson"', null, 'events');
    if (file !== undefined) {
      if (typeof file !== 'string' || file === '') throw this.fail('RULE_TEST_SCHEMA', `events_file must be a path, not ${describe(file)}`, this.spotOf('events_file'), 'events_file');
      return { events: this.eventsFromFile(file), source: 'file' };
    }
    if (typeof inline === 'string') return { events: parseEventText(inline, (line, reason) => this.textError(line, reason)), source: 'text' };
    if (!Array.isArray(inline)) throw this.fail('RULE_TEST_SCHEMA', `events must be tables or JSON text, not ${describe(inline)}`, this.spotOf('events'), 'events');
    return {
      events: inline.map((e, k) => {
        if (!isTable(e)) throw this.fail('RULE_TEST_SCHEMA', `events[${k}] must be a table, not ${describe(e)}`, this.eventSpot(k, null), `events[${k}]`);
        return this.plain(e, k, '') as Table;
      }),
      source: 'tables',
    };
  }

  /** An error in JSON text given as `events`, at its line in the test file. */
  private textError(line: number, reason: string): RuleTestError {
    const at = this.spotOf('events');
    // A ''' or """ string that opens at the end of its key's line starts on the next line.
    const opensAlone = at !== null && /=\s*('''|""")\s*$/.test(this.document.positions.lines[at.line - 1] ?? '');
    const spot = at === null ? null : { line: at.line + line - (opensAlone ? 0 : 1), column: 1 };
    return this.fail('RULE_TEST_EVENTS', `events, line ${line}: ${reason}`, spot, 'events');
  }

  private eventsFromFile(path: string): Table[] {
    const full = resolve(dirname(this.document.file), path);
    let text: string;
    try {
      const size = statSync(full).size;
      if (size > MAX_EVENTS_FILE_BYTES) throw new Error(`the file is ${size} bytes; events files over ${MAX_EVENTS_FILE_BYTES} bytes are refused`);
      text = readFileSync(full, 'utf8');
    } catch (e) {
      throw this.fail('RULE_TEST_EVENTS', `cannot read the events file ${full}: ${(e as Error).message}`, this.spotOf('events_file'), 'events_file');
    }
    return parseEventText(text, (line, reason) => new RuleTestError('RULE_TEST_EVENTS', reason, { file: full, line, column: 1, source: text, key: null }));
  }

  /**
   * Where event `k` is written: in its `[[case.events]]` table or its inline
   * table, `value` after `key` (or the key, or where the table opens); for
   * events from text or a file, the key that gives them.
   */
  private eventSpot(k: number, key: string | null, value?: string): Spot | null {
    const layout = this.layout;
    if (layout === null) return null;
    const inline = layout.keys.has('events');
    const tables = layout.eventTables;
    const items = layout.inlineEvents;
    let start: Spot;
    let end: number;
    if (!inline && tables.length > k) {
      start = (key !== null ? tables[k]!.keys.get(key) : undefined) ?? { line: tables[k]!.line, column: 1 };
      end = tables[k + 1]?.line ?? layout.end;
    } else if (inline && Array.isArray(this.table.events) && items.length === this.table.events.length) {
      start = items[k]!;
      end = (items[k + 1]?.line ?? layout.end - 1) + 1;
    } else {
      return this.spotOf(this.table.events_file !== undefined ? 'events_file' : 'events');
    }
    if (value === undefined) return start;
    const found = this.document.positions.findString(value, start, end);
    // On the next item's line, a later match belongs to that item.
    const next = inline ? items[k + 1] : undefined;
    return found && !(next && found.line === next.line && found.column >= next.column) ? found : start;
  }

  /** A TOML value as JSON would give it: dates as ISO-8601 text, integers as numbers. */
  private plain(value: unknown, k: number, path: string): unknown {
    const where = () => `events[${k}]${path}`;
    const key = () => /^\.([^.[]+)/.exec(path)?.[1] ?? null;
    if (value instanceof Date) {
      const local = value as Date & { isFloating?: boolean; isDate?: boolean; isTime?: boolean };
      if (local.isFloating || local.isDate || local.isTime) {
        throw this.fail(
          'RULE_TEST_SCHEMA',
          `${where()} is a local date or time, which names no instant: add a time zone (2026-01-15T10:00:00Z) or write it as a string`,
          this.eventSpot(k, key()),
          where(),
        );
      }
      return value.toISOString();
    }
    if (typeof value === 'bigint') {
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw this.fail('RULE_TEST_SCHEMA', `${where()} is an integer beyond 2^53, which JSON events cannot hold exactly: write it as a string`, this.eventSpot(k, key()), where());
      }
      return Number(value);
    }
    if (Array.isArray(value)) return value.map((v, i) => this.plain(v, k, `${path}[${i}]`));
    if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, this.plain(v, k, `${path}.${name}`)]));
    return value;
  }

  /** Names each event: `_id` (taken out), else the `id_field` value, else its place. */
  private labelled({ events }: { events: Table[] }, idField: string | null): Array<{ index: number; name: string; event: Table }> {
    const seen = new Map<string, number>();
    return events.map((event, index) => {
      let label: string | null = null;
      if (Object.hasOwn(event, LABEL_KEY)) {
        const v = event[LABEL_KEY];
        if (typeof v !== 'string' && typeof v !== 'number') {
          throw this.fail('RULE_TEST_SCHEMA', `events[${index}].${LABEL_KEY} must be a string or a number, not ${describe(v)}`, this.eventSpot(index, LABEL_KEY), `events[${index}].${LABEL_KEY}`);
        }
        label = String(v);
        delete event[LABEL_KEY];
      } else if (idField !== null) {
        const v = locateField(event, idField)?.value;
        if (typeof v === 'string' || typeof v === 'number') label = String(v);
      }
      if (label !== null) {
        if (label === '' || label.startsWith('#')) {
          throw this.fail(
            'RULE_TEST_SCHEMA',
            `events[${index}] is labelled ${JSON.stringify(label)}: a label is not empty and does not start with #, which names events by place`,
            this.eventSpot(index, LABEL_KEY, label),
            `events[${index}]`,
          );
        }
        const before = seen.get(label);
        if (before !== undefined) {
          throw this.fail(
            'RULE_TEST_SCHEMA',
            `events ${before} and ${index} are both labelled ${JSON.stringify(label)}: labels name one event each`,
            this.eventSpot(index, LABEL_KEY, label),
            `events[${index}]`,
          );
        }
        seen.set(label, index);
      }
      return { index, name: label ?? `#${index}`, event };
    });
  }

  /**
   * Writes each event's time into the timestamp field: an offset (`+1.5s`)
   * from the base time, as ISO-8601 text; for an event without one, a second
   * after the event written before it (the first: the base time). Other
   * values stay as written, for the rule to read or refuse.
   */
  private writeTimes(events: Array<{ index: number; event: Table }>, raw: { source: 'tables' | 'text' | 'file' }, base: bigint): void {
    let previous: bigint | null = null;
    const field = this.timestampField;
    for (const { index, event } of events) {
      const at = locateField(event, field);
      let time: bigint | null;
      if (at === null) {
        time = previous === null ? base : previous + STEP_NS;
        setField(event, field, this.timeText(time, index));
      } else if (typeof at.value === 'string' && looksLikeOffset(at.value)) {
        const offset = parseOffset(at.value);
        const spot = () => (raw.source === 'file' ? this.spotOf('events_file') : this.eventSpot(index, field.split('.')[0]!, at.value as string));
        if (offset === null) {
          throw this.fail(
            'RULE_TEST_SCHEMA',
            `events[${index}].${field} is ${JSON.stringify(at.value)}, not a time offset: write +1.5s, +200ms, -2m or +1m30s (units ${OFFSET_UNITS})`,
            spot(),
            `events[${index}].${field}`,
          );
        }
        time = base + offset;
        at.holder[at.key] = this.timeText(time, index);
      } else {
        time = readTime(at.value);
      }
      if (time !== null) previous = time;
    }
  }

  private timeText(ns: bigint, index: number): string {
    const text = timeText(ns);
    if (text === null) throw this.fail('RULE_TEST_SCHEMA', `events[${index}]: its time is beyond the dates JavaScript can hold`, this.eventSpot(index, null), `events[${index}]`);
    return text;
  }

  /** The expected alerts, as event names. */
  private expected(events: ReadonlyArray<{ index: number; name: string }>): string[][] {
    const alerts = this.table.alerts;
    const spot = this.spotOf('alerts');
    if (alerts === undefined)
      throw this.fail('RULE_TEST_SCHEMA', 'the case has no alerts: list the alerts it expects, each by its events (alerts = [["a", "b"]]), or alerts = [] for none', null, 'alerts');
    const shape = 'alerts must be a list of alerts, each a list of event labels or places: alerts = [["a", "b"]], or alerts = [] for none';
    if (!Array.isArray(alerts)) throw this.fail('RULE_TEST_SCHEMA', `${shape}; not ${describe(alerts)}`, spot, 'alerts');
    const byLabel = new Map(events.map((e) => [e.name, e.name]));
    return alerts.map((alert, a) => {
      if (!Array.isArray(alert)) throw this.fail('RULE_TEST_SCHEMA', `${shape}; alerts[${a}] is ${describe(alert)}`, spot, `alerts[${a}]`);
      if (alert.length === 0) throw this.fail('RULE_TEST_SCHEMA', `alerts[${a}] is empty: an alert holds at least one event (for no alert, write alerts = [])`, spot, `alerts[${a}]`);
      return alert.map((ref: unknown) => {
        if (typeof ref === 'string') {
          const name = byLabel.get(ref);
          if (name === undefined) {
            const labels = events.map((e) => e.name).filter((n) => !n.startsWith('#'));
            const near = closeNames(labels, ref);
            const hint =
              near.length > 0 ? `did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : labels.length > 0 ? `the labels are ${labels.join(', ')}` : 'no event has a label (_id)';
            throw this.fail('RULE_TEST_SCHEMA', `alerts[${a}] names the event ${JSON.stringify(ref)}, which the case does not have: ${hint}`, this.spotOfString(ref, spot) ?? spot, `alerts[${a}]`);
          }
          return name;
        }
        const k = typeof ref === 'bigint' ? Number(ref) : ref;
        if (typeof k === 'number' && Number.isInteger(k)) {
          if (k < 0 || k >= events.length) {
            throw this.fail(
              'RULE_TEST_SCHEMA',
              `alerts[${a}] names the event at place ${k}, but the case has ${events.length} event${events.length === 1 ? '' : 's'} (places 0 to ${events.length - 1})`,
              spot,
              `alerts[${a}]`,
            );
          }
          return events[k]!.name;
        }
        throw this.fail('RULE_TEST_SCHEMA', `alerts[${a}] holds ${describe(ref)}: name an event by its label (a string) or its place (an integer from 0)`, spot, `alerts[${a}]`);
      });
    });
  }
}

/**
 * Events from JSON text: one JSON array, or NDJSON (one object a line, blank
 * lines skipped). `fail` builds the error for a 1-based line of the text.
 */
export function parseEventText(text: string, fail: (line: number, reason: string) => RuleTestError): Table[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw fail(1 + (body.slice(0, body.length - body.trimStart().length).match(/\n/g)?.length ?? 0), `not a JSON array of events: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw fail(1, 'not a JSON array of events');
    return parsed.map((e, k) => {
      if (!isTable(e)) throw fail(1, `item ${k} of the array is ${describe(e)}, not an event (a JSON object)`);
      return e;
    });
  }
  const out: Table[] = [];
  const lines = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      throw fail(i + 1, `not JSON: ${(e as Error).message}`);
    }
    if (!isTable(parsed)) throw fail(i + 1, `${describe(parsed)}, not an event (a JSON object)`);
    out.push(parsed);
  }
  return out;
}

/**
 * Where a field is in an event: a key that holds the whole dotted name, or
 * nested objects, or keys with dots part of the way (`{"process.parent": {"name": …}}`).
 */
export function locateField(event: Table, field: string): { holder: Table; key: string; value: unknown } | null {
  const segments = field.split('.');
  const walk = (object: Table, from: number): { holder: Table; key: string; value: unknown } | null => {
    for (let to = segments.length; to > from; to--) {
      const key = segments.slice(from, to).join('.');
      if (!Object.hasOwn(object, key)) continue;
      const value = object[key];
      if (to === segments.length) return { holder: object, key, value };
      if (isTable(value)) {
        const found = walk(value, to);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(event, 0);
}

/** Sets a field, making the objects on its way as needed (an object's own keys are not replaced). */
function setField(event: Table, field: string, value: unknown): void {
  const segments = field.split('.');
  let object = event;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = object[segments[i]!];
    if (isTable(next)) {
      object = next;
      continue;
    }
    if (next !== undefined) {
      // Something else is there: write the rest as one dotted key, which the engine reads too.
      object[segments.slice(i).join('.')] = value;
      return;
    }
    const made: Table = {};
    object[segments[i]!] = made;
    object = made;
  }
  object[segments[segments.length - 1]!] = value;
}
