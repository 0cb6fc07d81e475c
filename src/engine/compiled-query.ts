/**
 * A compiled query: the plan plus the ways to run it over events.
 */
import type { Query } from '../parser/ast.js';
import { type EqlEventError, EqlInvalidArgumentError, EqlSemanticError } from '../errors.js';
import { buildPlan, type CompileOptions, type QueryPlan } from '../compile/plan.js';
import { LinePrefilter } from '../compile/line-prefilter.js';
import { EventContext, type Event } from '../semantics/fields.js';
import type { OrderedEvent } from './order.js';
import { applyPipes, runPipeline, withRequestSize, type ResultPosition } from '../language/pipes/index.js';
import type { Match } from './match.js';
import { createRunner } from './runner.js';
import { createStreamMatcher, orderBatch, orderSourceOf, type StreamMatcher, type StreamOptions } from './stream.js';

export type { Match };

export interface SearchOptions {
  /** The most results to return. Default: no limit. */
  readonly size?: number;
  /** For samples: how many samples each key combination may give. Default 1. */
  readonly maxSamplesPerKey?: number;
  /**
   * Which results `size` keeps when there are more and no pipe says otherwise:
   * the most recent (`tail`, Elasticsearch's default) or the earliest (`head`).
   */
  readonly resultPosition?: ResultPosition;
  /**
   * Receives each event that cannot be used (no readable timestamp, not an
   * object). Without it, the first one is reported as a process warning
   * (`EQLKIT_UNHANDLED_EVENT_ERROR`) and all are counted in `lastStats`.
   */
  readonly onError?: (error: EqlEventError) => void;
}

export interface SearchStats {
  readonly read: number;
  readonly skipped: number;
}

/**
 * Which results a request size keeps when no pipe says: for a sample the
 * first, in key order, whatever is asked; otherwise the asked position, by
 * default the most recent (Elasticsearch's default).
 */
export function sizePosition(plan: QueryPlan, asked?: ResultPosition): ResultPosition {
  return plan.kind === 'sample' ? 'head' : (asked ?? 'tail');
}

export class CompiledQuery {
  /** What was skipped by the last `search`, when no `onError` was given. */
  lastStats: SearchStats = { read: 0, skipped: 0 };

  /** The per-event state of `matches` (each call a span of its own); searches and matchers have their own. */
  private readonly context = new EventContext();

  /**
   * The plan the engine runs: internal, left out of the published types.
   * @internal
   */
  readonly plan: QueryPlan;

  /**
   * Made by {@link compile}.
   * @internal
   */
  constructor(plan: QueryPlan) {
    this.plan = plan;
  }

  /** The parsed query. */
  get query(): Query {
    return this.plan.query;
  }

  /**
   * A test on raw NDJSON lines that rules out, before parsing, lines whose
   * event no stage of this query could match; null when the query could
   * match any line (a regex, a range or `true` in some stage).
   */
  linePrefilter(): LinePrefilter | null {
    return LinePrefilter.forPlans([this.plan]);
  }

  /** `event`, `sequence` or `sample`. */
  get kind(): 'event' | 'sequence' | 'sample' {
    return this.plan.kind;
  }

  /**
   * Whether one event matches an event query (its category and condition).
   * For sequences and samples, use `search` or a stream.
   */
  matches(event: Event): boolean {
    if (this.plan.kind !== 'event') {
      throw new EqlSemanticError('EQL_UNSUPPORTED', `matches() decides single events; a ${this.plan.kind} needs search(), stream() or matcher()`);
    }
    const outer = this.context.begin();
    try {
      return event !== null && typeof event === 'object' && this.plan.filter.matches(event);
    } finally {
      this.context.end(outer);
    }
  }

  /**
   * Runs the query over a batch of events, as Elasticsearch would over an
   * index holding them: events are ordered by (timestamp, tiebreaker, input
   * order), then the pipes and the size apply.
   */
  search(events: Iterable<Event>, options: SearchOptions = {}): Match[] {
    const size = options.size ?? Infinity;
    const plan = this.plan;
    // Ordered first, outside any span of work: reading the events may run the caller's code (a generator).
    const items = this.order(events, options.onError);
    // Then one span of this search's work: only the engine runs until it ends.
    const context = new EventContext();
    const outer = context.begin();
    try {
      if (plan.kind === 'sample') {
        // Samples ignore time: events need no timestamp and keep their input order.
        const runner = createRunner(plan, { maxSamplesPerKey: options.maxSamplesPerKey ?? 1 });
        for (const item of items) runner.process(item);
        return applyPipes(runner.flush(), withRequestSize(plan.pipes, size, sizePosition(plan, options.resultPosition)));
      }
      // Events, sequences: sorted first, then through the same runner that streams use.
      const runner = createRunner(plan);
      const out: Match[] = [];
      // No spreading: a batch's results may outnumber the arguments a call can take.
      for (const item of items) for (const m of runner.process(item)) out.push(m);
      for (const m of runner.flush()) out.push(m);
      return applyPipes(out, withRequestSize(plan.pipes, size, sizePosition(plan, options.resultPosition)));
    } finally {
      context.end(outer);
    }
  }

  /**
   * A push-based matcher for embedding: `push(event)` returns the matches that
   * became final, `flush()` ends the stream. It gives every match: the query's
   * pipes (`head`, `tail`) do not apply here (they do in `search` and `stream`).
   */
  matcher(options: StreamOptions = {}): StreamMatcher {
    return createStreamMatcher(this.plan, options);
  }

  /**
   * Runs the query over a stream of events (a sync or async iterable) and
   * yields each match as soon as it is final. Memory stays bounded by the live
   * sequence state. The query's pipes apply as they would to the whole stream
   * in `search`: `| head N` passes the first N and then stops reading the
   * source; from a `| tail N` on, matches are held until the source ends.
   */
  async *stream(source: Iterable<Event> | AsyncIterable<Event>, options: StreamOptions = {}): AsyncGenerator<Match> {
    const m = this.matcher(options);
    const pipes = runPipeline<Match>(this.plan.pipes);
    if (!pipes.done) {
      let stopped = false;
      for await (const event of source) {
        for (const match of m.push(event)) if (pipes.accept(match)) yield match;
        if (pipes.done) {
          stopped = true;
          break;
        }
      }
      if (!stopped) for (const match of m.flush()) if (pipes.accept(match)) yield match;
    }
    yield* pipes.end();
  }

  /** Sorts a batch the way Elasticsearch orders an index; samples keep input order. */
  private order(events: Iterable<Event>, onError?: (e: EqlEventError) => void): OrderedEvent<Event>[] {
    const { items, read, skipped } = orderBatch(events, orderSourceOf(this.plan), onError);
    this.lastStats = { read, skipped };
    return items;
  }
}

const QUERY_SHAPES: Readonly<Record<string, readonly string[]>> = {
  EventQuery: [],
  SequenceQuery: ['by', 'stages'],
  SampleQuery: ['by', 'stages'],
  JoinQuery: ['by', 'stages'],
};

/** Whether a value has the root of a query AST; deeper nodes are trusted, as `parse` builds them. */
function isQueryRoot(value: unknown): value is Query {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Record<string, unknown>;
  const lists = typeof node.type === 'string' && Object.hasOwn(QUERY_SHAPES, node.type) ? QUERY_SHAPES[node.type]! : null;
  if (!lists || !Array.isArray(node.pipes) || !lists.every((key) => Array.isArray(node[key]))) return false;
  return node.type !== 'EventQuery' || (typeof node.filter === 'object' && node.filter !== null);
}

/**
 * Compiles a query once, for running over many events.
 *
 * @throws EqlInvalidArgumentError when `query` is neither text nor a query AST
 * @throws EqlSyntaxError when the text does not parse
 * @throws EqlSemanticError when it parses but cannot run (unknown field or function, wrong types)
 */
export function compile(query: string | Query, options?: CompileOptions): CompiledQuery {
  if (typeof query !== 'string' && !isQueryRoot(query)) {
    throw new EqlInvalidArgumentError('compile', 'query', 'the query text (a string) or a query AST (from parse())', query);
  }
  return new CompiledQuery(buildPlan(query, options));
}
