/**
 * The Rule model: what an Elastic detection-rule TOML file says, typed, and
 * how to run it. Unknown keys are kept as they are in `extra`.
 */
import { codeFrame, type EqlError, EqlSemanticError, EqlSyntaxError, RuleLoadError } from '../errors.js';
import { compile, type CompiledQuery } from '../engine/compiled-query.js';
import type { Schema } from '../analyze/schema.js';
import type { StreamOptions } from '../engine/stream.js';
import { parseToml, TomlSyntaxError } from './toml.js';
import { locateKey, positionInFile } from './toml-positions.js';
import { type Alert, toAlert } from './alert.js';
import { durationToNanos } from '../engine/duration.js';
import { compileFieldReader, type Event, EventContext } from '../semantics/fields.js';
import { type EventTime, readEventTime } from '../engine/order.js';

export interface ThreatItem {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

export interface ThreatTechnique extends ThreatItem {
  readonly subtechniques: readonly ThreatItem[];
}

/** One MITRE ATT&CK mapping of a rule. */
export interface Threat {
  readonly framework: string;
  readonly tactic: ThreatItem;
  readonly techniques: readonly ThreatTechnique[];
}

export interface RuleMetadata {
  readonly creationDate: string | null;
  readonly updatedDate: string | null;
  readonly maturity: string | null;
  readonly integration: readonly string[];
  readonly minStackVersion: string | null;
  readonly minStackComments: string | null;
  readonly deprecationDate: string | null;
  /** Every other `[metadata]` key, as written. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface LoadOptions {
  /** Field types for compiling the query (see `schemaFromMapping`). */
  readonly schema?: Schema;
}

export interface RunOptions {
  /** Report events that cannot be used. */
  readonly onError?: StreamOptions['onError'];
  /** The most alerts to return (Kibana's `max_signals` plays this role per run). Default: no limit. */
  readonly size?: number;
  /**
   * Apply the rule's look-back (`from`, e.g. `now-9m`) as Kibana does, relative
   * to this time: only events whose `timestamp_override` field (or, without
   * it, `@timestamp`) lies in the window take part. A Date, epoch
   * milliseconds, or ISO-8601 text.
   */
  readonly now?: Date | number | string;
}

const KNOWN_RULE_KEYS = new Set([
  'rule_id',
  'name',
  'description',
  'type',
  'language',
  'query',
  'index',
  'from',
  'interval',
  'severity',
  'risk_score',
  'tags',
  'threat',
  'timestamp_override',
  'event_category_override',
  'tiebreaker_field',
  'timestamp_field',
  'required_fields',
  'related_integrations',
  'setup',
  'note',
  'references',
  'max_signals',
  'building_block_type',
  'alert_suppression',
  'filters',
  'author',
  'license',
  'false_positives',
]);

const KNOWN_METADATA_KEYS = new Set(['creation_date', 'updated_date', 'maturity', 'integration', 'min_stack_version', 'min_stack_comments', 'deprecation_date']);

type Table = Record<string, unknown>;

/** Reads typed values out of a TOML table, with errors that name the key and its line. */
class TableReader {
  constructor(
    private readonly table: Table,
    private readonly tableName: string,
    private readonly text: string,
    private readonly file: string | null,
  ) {}

  fail(key: string, reason: string): never {
    const at = locateKey(this.text, this.tableName, key);
    throw new RuleLoadError('RULE_SCHEMA', reason, { file: this.file, line: at?.line ?? null, column: at?.column ?? null, key: `${this.tableName}.${key}` });
  }

  string(key: string, required: true): string;
  string(key: string, required?: false): string | null;
  string(key: string, required = false): string | null {
    const v = this.table[key];
    if (v === undefined) {
      if (required) this.fail(key, `the rule has no ${key}`);
      return null;
    }
    if (typeof v !== 'string') this.fail(key, `${key} must be a string, not ${describe(v)}`);
    return v;
  }

  number(key: string): number | null {
    const v = this.table[key];
    if (v === undefined) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, `${key} must be a number, not ${describe(v)}`);
    return v;
  }

  strings(key: string, allowSingle = false): string[] {
    const v = this.table[key];
    if (v === undefined) return [];
    if (allowSingle && typeof v === 'string') return [v];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.fail(key, `${key} must be a list of strings`);
    return v as string[];
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (v instanceof Date) return 'a date';
  return typeof v === 'object' ? 'a table' : `a ${typeof v} (${JSON.stringify(v)})`;
}

function threatOf(raw: unknown, reader: TableReader): Threat[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) reader.fail('threat', 'threat must be an array of tables ([[rule.threat]])');
  const item = (x: unknown): ThreatItem => {
    const t = (x ?? {}) as Table;
    return { id: String(t.id ?? ''), name: String(t.name ?? ''), reference: String(t.reference ?? '') };
  };
  return raw.map((t: Table) => ({
    framework: String(t.framework ?? ''),
    tactic: item(t.tactic),
    techniques: (Array.isArray(t.technique) ? t.technique : []).map((tech: Table) => ({
      ...item(tech),
      subtechniques: (Array.isArray(tech.subtechnique) ? tech.subtechnique : []).map(item),
    })),
  }));
}

/** Kibana's look-back for a rule without `from`. */
export const DEFAULT_FROM = 'now-6m';

/** Kibana's `max_signals` for a rule without one. */
const DEFAULT_MAX_SIGNALS = 100;

/** Parses `now-9m` style look-backs (units ms, s, m, h, d, w) into nanoseconds, or null. */
export function lookbackNanos(from: string | null): number | null {
  const m = from ? /^now-(\d+)(ms|s|m|h|d|w)$/.exec(from.trim()) : null;
  if (!m) return null;
  return m[2] === 'w' ? durationToNanos(`${Number(m[1]) * 7}d`, 'from') : durationToNanos(`${m[1]}${m[2]}`, 'from');
}

/** The query DSL filters Kibana would apply: those not switched off with `meta.disabled`. */
function activeFilters(filters: readonly unknown[]): unknown[] {
  return filters.filter((f) => !(f !== null && typeof f === 'object' && (f as { meta?: { disabled?: unknown } }).meta?.disabled === true));
}

/** A detection rule from a TOML file. */
export class Rule {
  readonly file: string | null;
  readonly ruleId: string;
  readonly name: string;
  readonly description: string | null;
  readonly type: string;
  readonly language: string | null;
  readonly query: string | null;
  readonly index: readonly string[];
  readonly from: string | null;
  readonly interval: string | null;
  readonly severity: string | null;
  readonly riskScore: number | null;
  readonly tags: readonly string[];
  readonly threat: readonly Threat[];
  /** Kibana uses it for the look-back filter only; events stay ordered by `timestampField`. */
  readonly timestampOverride: string | null;
  readonly eventCategoryOverride: string | null;
  readonly tiebreakerField: string | null;
  readonly timestampField: string | null;
  readonly requiredFields: readonly unknown[];
  readonly relatedIntegrations: readonly unknown[];
  readonly setup: string | null;
  readonly note: string | null;
  readonly references: readonly string[];
  /** `max_signals`, or Kibana's default of 100 when the file has none. */
  readonly maxSignals: number;
  readonly buildingBlockType: string | null;
  readonly alertSuppression: unknown;
  readonly filters: readonly unknown[];
  readonly author: readonly string[];
  readonly license: string | null;
  readonly falsePositives: readonly string[];
  readonly metadata: RuleMetadata;
  /** Every other `[rule]` key, as written. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Other top-level tables (such as `[transform]`), as written. */
  readonly tables: Readonly<Record<string, unknown>>;
  /** Whether this rule is EQL, compiled, and runs as Kibana would run it; otherwise `notExecutableReason` says why. */
  readonly executable: boolean;
  readonly notExecutableReason: string | null;
  /**
   * Why it cannot run: `RULE_NOT_EQL` for a rule Kibana would not run as EQL,
   * `RULE_NOT_SUPPORTED` for an EQL rule with a part this engine does not apply.
   */
  readonly notExecutableCode: 'RULE_NOT_EQL' | 'RULE_NOT_SUPPORTED' | null;
  private readonly compiledQuery: CompiledQuery | null;

  /** @internal Use `loadRule`, `parseRule` or `loadRules`. */
  constructor(text: string, file: string | null, options: LoadOptions = {}) {
    let doc: Table;
    try {
      doc = parseToml(text);
    } catch (e) {
      if (e instanceof TomlSyntaxError) throw new RuleLoadError('RULE_TOML', `invalid TOML: ${e.message}`, { file, line: e.line, column: e.column });
      throw e;
    }
    const ruleTable = doc.rule;
    if (ruleTable === null || typeof ruleTable !== 'object' || Array.isArray(ruleTable)) {
      throw new RuleLoadError('RULE_SCHEMA', 'not a detection rule: the file has no [rule] table', { file, key: 'rule' });
    }
    const r = new TableReader(ruleTable as Table, 'rule', text, file);
    const metaTable = (doc.metadata && typeof doc.metadata === 'object' ? doc.metadata : {}) as Table;
    const m = new TableReader(metaTable, 'metadata', text, file);

    this.file = file;
    this.ruleId = r.string('rule_id', true);
    this.name = r.string('name', true);
    this.type = r.string('type', true);
    this.description = r.string('description');
    this.language = r.string('language');
    this.index = r.strings('index');
    this.from = r.string('from');
    this.interval = r.string('interval');
    this.severity = r.string('severity');
    this.riskScore = r.number('risk_score');
    this.tags = r.strings('tags');
    this.threat = threatOf((ruleTable as Table).threat, r);
    this.timestampOverride = r.string('timestamp_override');
    this.eventCategoryOverride = r.string('event_category_override');
    this.tiebreakerField = r.string('tiebreaker_field');
    this.timestampField = r.string('timestamp_field');
    this.requiredFields = ((ruleTable as Table).required_fields as unknown[]) ?? [];
    this.relatedIntegrations = ((ruleTable as Table).related_integrations as unknown[]) ?? [];
    this.setup = r.string('setup');
    this.note = r.string('note');
    this.references = r.strings('references');
    this.maxSignals = r.number('max_signals') ?? DEFAULT_MAX_SIGNALS;
    this.buildingBlockType = r.string('building_block_type');
    this.alertSuppression = (ruleTable as Table).alert_suppression ?? null;
    this.filters = ((ruleTable as Table).filters as unknown[]) ?? [];
    this.author = r.strings('author');
    this.license = r.string('license');
    this.falsePositives = r.strings('false_positives');
    this.extra = Object.fromEntries(Object.entries(ruleTable as Table).filter(([k]) => !KNOWN_RULE_KEYS.has(k)));
    this.metadata = {
      creationDate: m.string('creation_date'),
      updatedDate: m.string('updated_date'),
      maturity: m.string('maturity'),
      integration: m.strings('integration', true),
      minStackVersion: m.string('min_stack_version'),
      minStackComments: m.string('min_stack_comments'),
      deprecationDate: m.string('deprecation_date'),
      extra: Object.fromEntries(Object.entries(metaTable).filter(([k]) => !KNOWN_METADATA_KEYS.has(k))),
    };
    this.tables = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'rule' && k !== 'metadata'));

    // The query: a string for EQL rules (a list only in hunting files, which are not rules).
    const rawQuery = (ruleTable as Table).query;
    if (rawQuery !== undefined && typeof rawQuery !== 'string') r.fail('query', `query must be a string, not ${describe(rawQuery)}`);
    this.query = (rawQuery as string | undefined) ?? null;

    // Kibana runs a rule as EQL only when both say so; a threshold rule in eql, say, it refuses.
    if (this.type !== 'eql' || this.language !== 'eql') {
      this.executable = false;
      this.notExecutableCode = 'RULE_NOT_EQL';
      this.notExecutableReason =
        this.type === 'eql'
          ? `not EQL: an eql rule needs language = "eql", not ${this.language === null ? 'none' : JSON.stringify(this.language)}`
          : this.language === null
            ? `not EQL: a ${this.type} rule has no EQL query`
            : this.language === 'eql'
              ? `not EQL: a ${this.type} rule (only rules of type eql run as EQL)`
              : `not EQL: a ${this.type} rule in ${this.language}`;
      this.compiledQuery = null;
      return;
    }
    if (this.query === null) r.fail('query', 'an EQL rule needs a query');
    this.compiledQuery = this.compileQuery(text, options);
    // Kibana adds a rule's query DSL filters to its search; running without them would alert on events it filters out.
    const filters = activeFilters(this.filters);
    this.executable = filters.length === 0;
    this.notExecutableCode = this.executable ? null : 'RULE_NOT_SUPPORTED';
    this.notExecutableReason = this.executable
      ? null
      : `not supported: ${filters.length} query DSL filter${filters.length === 1 ? '' : 's'} ([[rule.filters]]), which Kibana adds to the search and eqlkit does not apply`;
  }

  private compileQuery(text: string, options: LoadOptions): CompiledQuery {
    try {
      return compile(this.query!, {
        eventCategoryField: this.eventCategoryOverride ?? undefined,
        tiebreakerField: this.tiebreakerField ?? undefined,
        timestampField: this.timestampField ?? undefined,
        schema: options.schema,
      });
    } catch (e) {
      if (e instanceof EqlSyntaxError || e instanceof EqlSemanticError) {
        // Point into the TOML file, not only into the query.
        const at = locateKey(text, 'rule', 'query');
        const span = e instanceof EqlSyntaxError ? { offset: e.offset, length: e.length } : e.location && { offset: e.location.start.offset, length: e.location.end.offset - e.location.start.offset };
        const pos = at && span ? positionInFile(text, at, this.query!, span.offset) : null;
        const end = at && span ? positionInFile(text, at, this.query!, span.offset + span.length) : null;
        // Escapes inside the span make it longer in the file than in the query.
        const width = pos && end && end.line === pos.line ? end.column - pos.column : (span?.length ?? 1);
        throw new RuleLoadError('RULE_QUERY', `the query does not compile: ${e.reason}`, {
          file: this.file,
          line: pos?.line ?? at?.line ?? null,
          column: pos?.column ?? at?.column ?? null,
          key: 'rule.query',
          cause: e as EqlError,
          // Framed in the file, at the same place as the line and column above.
          frame: pos ? codeFrame(text, pos.line, pos.column, Math.max(1, width)) : e.frame,
        });
      }
      throw e;
    }
  }

  /** The compiled query. @throws RuleLoadError when the rule is not EQL. */
  get compiled(): CompiledQuery {
    if (!this.executable || !this.compiledQuery) {
      throw new RuleLoadError(this.notExecutableCode ?? 'RULE_NOT_EQL', `cannot run rule "${this.name}": ${this.notExecutableReason}`, { file: this.file });
    }
    return this.compiledQuery;
  }

  /** The look-back of `from` (e.g. `now-9m`; Kibana's `now-6m` when absent) in nanoseconds, or null when it cannot be read. */
  get lookbackNs(): number | null {
    return lookbackNanos(this.from ?? DEFAULT_FROM);
  }

  /** Runs the rule over a batch of events and returns its alerts (the query's pipes and `size` applied, as Elasticsearch applies them to Kibana's search). */
  run(events: Iterable<Event>, options: RunOptions = {}): Alert[] {
    const q = this.compiled;
    const input = options.now === undefined ? events : this.withinLookback(events, options.now);
    return q.search(input, { size: options.size, onError: options.onError }).map((m) => toAlert(this, q, m));
  }

  /**
   * Runs the rule over a stream of events and yields each alert as soon as it
   * is final. The query's pipes apply over the whole stream, as
   * `CompiledQuery.stream` applies them.
   */
  async *stream(source: Iterable<Event> | AsyncIterable<Event>, options: StreamOptions = {}): AsyncGenerator<Alert> {
    const q = this.compiled;
    const window = options.window ?? (this.lookbackNs !== null ? this.lookbackNs / 1e6 : undefined);
    for await (const m of q.stream(source, { ...options, window })) yield toAlert(this, q, m);
  }

  /** Events whose look-back timestamp (timestamp_override, else @timestamp) lies within `from` of `now`. */
  private withinLookback(events: Iterable<Event>, now: Date | number | string): Iterable<Event> {
    const end = typeof now === 'number' ? now : typeof now === 'string' ? Date.parse(now) : now instanceof Date ? now.getTime() : Number.NaN;
    if (!Number.isFinite(end)) throw new TypeError(`run(): now must be a Date, epoch milliseconds or an ISO-8601 date, not ${typeof now === 'string' ? JSON.stringify(now) : String(now)}`);
    const span = this.lookbackNs;
    const start = span === null ? -Infinity : end - span / 1e6;
    const primary = compileFieldReader(this.timestampOverride ?? '@timestamp');
    const fallback = compileFieldReader('@timestamp');
    // Each event's reads a span of work of their own: the caller's iterable may give one object again with new contents.
    const context = new EventContext();
    const timeOf = (e: Event): EventTime | null => {
      const outer = context.begin();
      try {
        return readEventTime(primary(e)) ?? readEventTime(fallback(e));
      } finally {
        context.end(outer);
      }
    };
    // A generator of its own, so that a bad `now` throws at the call, not at the first event.
    return (function* () {
      for (const e of events) {
        const t = e !== null && typeof e === 'object' ? timeOf(e) : null;
        // Events without a readable time go on, so that the engine reports them.
        if (!t || (t.ms >= start && t.ms <= end)) yield e;
      }
    })();
  }
}
