/**
 * The engine's side of the playground: it holds the events and the compiled
 * query or rule, and answers the page's requests (see protocol.ts). All of
 * it runs off the page's thread, so that reading and searching 50,000
 * events never freezes the editor.
 */
import {
  type Alert,
  type CompiledQuery,
  compile,
  EqlSemanticError,
  EqlSyntaxError,
  type Event,
  type EqlEventError,
  type ExplainOptions,
  explain,
  format,
  type Match,
  parseRule,
  type Rule,
  RuleLoadError,
  synthesize,
} from '../src/browser.js';
import { type Diagnostic, type EventProblems, type EventsInput, MAX_ROWS, type Request, type Response, type ResultRow, type SourceSummary } from './protocol.js';

/** Problems named one by one; the rest are counted. */
const MAX_PROBLEMS_NAMED = 20;
/** Events or keys explained when the user names none. */
const EXPLAIN_ALL_LIMIT = 25;

type Source = { readonly mode: 'query'; readonly query: CompiledQuery } | { readonly mode: 'rule'; readonly rule: Rule };

let events: Event[] = [];
/** Each event's position, for naming the events of results. */
let positions = new Map<unknown, number>();
let source: Source | null = null;

class Problems {
  count = 0;
  readonly first: string[] = [];
  add(text: string): void {
    this.count++;
    if (this.first.length < MAX_PROBLEMS_NAMED) this.first.push(text);
  }
  get value(): EventProblems {
    return { count: this.count, first: this.first };
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function textOf(input: EventsInput): Promise<{ text: string; bytes: number }> {
  if (input.kind === 'text') return { text: input.text, bytes: input.text.length };
  const head = new Uint8Array(await input.file.slice(0, 2).arrayBuffer());
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    const text = await new Response(input.file.stream().pipeThrough(new DecompressionStream('gzip'))).text();
    return { text, bytes: input.file.size };
  }
  return { text: await input.file.text(), bytes: input.file.size };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Events from NDJSON (one per line, blank lines ignored) or from JSON: an
 * array of events, or one event written over several lines.
 */
function readEvents(text: string, problems: Problems): Event[] {
  const start = text.search(/\S/);
  if (start < 0) return [];
  if (text[start] === '[') {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value)) return value as Event[];
    } catch (e) {
      problems.add(`not a JSON array: ${errorText(e)}`);
      return [];
    }
  }
  const out: Event[] = [];
  let line = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    line++;
    const row = text.slice(at, end);
    at = end + 1;
    if (!/\S/.test(row)) continue;
    try {
      out.push(JSON.parse(row) as Event);
    } catch (e) {
      if (out.length === 0 && problems.count === 0) {
        // Perhaps one event spread over several lines.
        try {
          const whole: unknown = JSON.parse(text);
          return Array.isArray(whole) ? (whole as Event[]) : [whole as Event];
        } catch {
          // Not that either: report the line.
        }
      }
      problems.add(`line ${line}: ${errorText(e)}`);
    }
  }
  return out;
}

/** The caret's width in a code frame: what the command line underlines. */
function caretWidth(frame: string | null): number {
  const carets = frame?.match(/\^+/);
  return carets ? carets[0].length : 1;
}

function diagnosticOf(e: unknown): Diagnostic | null {
  if (e instanceof EqlSyntaxError) {
    return { name: e.name, code: e.code, message: e.message, reason: e.reason, line: e.line, column: e.column, length: e.length, frame: e.frame };
  }
  if (e instanceof EqlSemanticError) {
    const length = e.location ? Math.max(1, e.location.end.offset - e.location.start.offset) : 1;
    return { name: e.name, code: e.code, message: e.message, reason: e.reason, line: e.line, column: e.column, length, frame: e.frame };
  }
  if (e instanceof RuleLoadError) {
    return { name: e.name, code: e.code, message: e.message, reason: e.reason, line: e.line, column: e.column, length: caretWidth(e.frame), frame: e.frame };
  }
  return null;
}

function compileSource(mode: 'query' | 'rule', text: string): { source: Source; summary: SourceSummary } | { diagnostic: Diagnostic } {
  try {
    if (mode === 'query') {
      const query = compile(text);
      return { source: { mode, query }, summary: { kind: query.kind, canonical: formatQuery(query), rule: null, query: text, queryOffset: 0 } };
    }
    const rule = parseRule(text);
    // Throws for a rule that is not EQL, or has a part the engine does not apply, as running it would.
    const query = rule.compiled;
    const offset = rule.query === null ? -1 : text.indexOf(rule.query);
    return {
      source: { mode, rule },
      summary: {
        kind: query.kind,
        canonical: formatQuery(query),
        rule: { ruleId: rule.ruleId, name: rule.name, severity: rule.severity },
        query: rule.query ?? '',
        queryOffset: offset < 0 ? null : offset,
      },
    };
  } catch (e) {
    const diagnostic = diagnosticOf(e);
    if (diagnostic === null) throw e;
    return { diagnostic };
  }
}

const formatQuery = (query: CompiledQuery): string => format(query.query);

function timeOf(event: Event | null | undefined): string | null {
  if (event === null || event === undefined) return null;
  const t = (event as Record<string, unknown>)['@timestamp'];
  return t === undefined || t === null ? null : String(t);
}

function previewOf(event: Event | null | undefined): string {
  if (event === null || event === undefined) return '';
  const text = JSON.stringify(event) ?? '';
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

const positionOf = (event: Event | null): number | null => (event === null ? null : (positions.get(event) ?? null));

function rowOfMatch(m: Match): ResultRow {
  const present = m.events.filter((e): e is Event => e !== null);
  return {
    kind: m.kind,
    id: null,
    severity: null,
    joinKeys: m.joinKeys,
    events: m.events.map(positionOf),
    firstTime: timeOf(present[0]),
    lastTime: timeOf(present[present.length - 1]),
    preview: previewOf(present[0]),
  };
}

function rowOfAlert(a: Alert): ResultRow {
  return {
    kind: a.kind,
    id: a.id,
    severity: a.rule.severity,
    joinKeys: a.join_keys,
    events: a.events.map(positionOf),
    firstTime: a.first_event_time,
    lastTime: a.last_event_time,
    preview: previewOf(a.events.find((e) => e !== null)),
  };
}

function run(current: Source): NonNullable<Response['results']> {
  const unusable = new Problems();
  const onError = (e: EqlEventError): void => unusable.add(e.message);
  const started = performance.now();
  const rows: ResultRow[] = [];
  let total: number;
  if (current.mode === 'query') {
    const matches = current.query.search(events, { onError });
    total = matches.length;
    for (const m of matches.slice(0, MAX_ROWS)) rows.push(rowOfMatch(m));
  } else {
    const alerts = current.rule.run(events, { onError });
    total = alerts.length;
    for (const a of alerts.slice(0, MAX_ROWS)) rows.push(rowOfAlert(a));
  }
  return { total, rows, unusable: unusable.value, runMs: performance.now() - started, eventCount: events.length };
}

async function handle(request: Request): Promise<Response> {
  const response: { -readonly [K in keyof Response]: Response[K] } = { id: request.id };
  if (request.events) {
    const started = performance.now();
    const problems = new Problems();
    let bytes = 0;
    try {
      const read = await textOf(request.events);
      bytes = read.bytes;
      events = readEvents(read.text, problems);
    } catch (e) {
      problems.add(`cannot read the file: ${errorText(e)}`);
      events = [];
    }
    positions = new Map();
    events.forEach((e, i) => {
      if (e !== null && typeof e === 'object') positions.set(e, i);
    });
    response.events = { count: events.length, bytes, unreadable: problems.value, readMs: performance.now() - started };
  }
  if (request.source) {
    const compiled = compileSource(request.source.mode, request.source.text);
    if ('diagnostic' in compiled) {
      source = null;
      response.source = { ok: false, diagnostic: compiled.diagnostic };
    } else {
      source = compiled.source;
      response.source = { ok: true, summary: compiled.summary };
    }
  }
  if (request.events || request.source) response.results = source ? run(source) : null;
  if (request.explain && source) {
    const target = source.mode === 'query' ? source.query : source.rule;
    const options: ExplainOptions = request.explain.kind === 'event' ? { event: request.explain.index } : request.explain.kind === 'key' ? { key: request.explain.key } : { limit: EXPLAIN_ALL_LIMIT };
    try {
      response.explanation = { ok: true, explanation: explain(target, events, options) };
    } catch (e) {
      response.explanation = { ok: false, message: errorText(e) };
    }
  }
  if (request.synthesize && source) {
    try {
      const made = synthesize(source.mode === 'query' ? source.query.query : source.rule, { count: 3 });
      const all = made.witnesses.flat();
      response.synthesized = { ok: true, ndjson: `${all.map((e) => JSON.stringify(e)).join('\n')}\n`, count: all.length };
    } catch (e) {
      response.synthesized = { ok: false, message: errorText(e) };
    }
  }
  return response;
}

interface WorkerScope {
  onmessage: ((message: MessageEvent<Request>) => void) | null;
  postMessage(response: Response): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (message) => {
  const request = message.data;
  handle(request).then(
    (response) => scope.postMessage(response),
    (e: unknown) => scope.postMessage({ id: request.id, failure: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
};
