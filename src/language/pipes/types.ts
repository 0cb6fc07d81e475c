/**
 * What a pipe is, for every stage that handles one: the parser checks its
 * arguments, the compiler plans it, and the engine, the rules and the command
 * line run it, all through these shapes.
 */
import type * as A from '../../parser/ast.js';

/**
 * Which results a request's `size` keeps when no pipe says otherwise: the
 * first (`head`) or the most recent (`tail`, Elasticsearch's default). It is
 * Elasticsearch's `result_position`.
 */
export type ResultPosition = 'head' | 'tail';

/** Reports a mistake in a pipe while parsing: throws an `EqlSyntaxError` pointing at `at`. */
export type PipeCheckFailure = (reason: string, at: A.Location) => never;

/**
 * One pass of a streaming pipe over one run's results, in order. Results a
 * stage refuses do not reach the pipes after it.
 */
export interface PipeStream<T> {
  /** Takes the next result; true when it passes on. */
  accept(item: T): boolean;
  /** True once no later result can pass: whoever feeds the pipe may stop reading. */
  readonly done: boolean;
  /**
   * What this pass holds so far, as JSON data (numbers, strings, arrays,
   * plain objects), for a matcher's state snapshot: `stream(saved)` of the
   * same pipe resumes the pass from it.
   */
  save(): unknown;
}

/**
 * Where a pipe that needs the end of the results holds them for one run,
 * keeping only what it can still give: `end` gives what `apply` gives over
 * every result accepted, in order.
 */
export interface PipeHold<T> {
  accept(item: T): void;
  /** What it holds now, in order, without ending the run (for a snapshot): accepting these again into a fresh holder gives the same holder. */
  held(): T[];
  end(): T[];
}

/**
 * A pipe as compiled: one stage of the pipeline that a query's results go
 * through, left to right. The plan holds these (`plan.pipes`).
 */
export interface PipeInstance {
  /** The pipe's name, as the registry knows it. */
  readonly name: string;
  /** The pipe as written in canonical EQL (`head 5`), for messages. */
  readonly text: string;
  /**
   * The pipe over a whole ordered result list. It must not change `items`;
   * it may return it as it is.
   */
  apply<T>(items: T[]): T[];
  /**
   * For a pipe that can pass results on as they come (`head`): a fresh state
   * for one run, which gives what `apply` gives. Absent for a pipe that needs
   * the end of the results (`tail`): results are held from it on. Given
   * `saved`, what {@link PipeStream.save} gave in a pass of this same pipe,
   * it resumes that pass; it throws a RangeError when `saved` is not such a
   * value.
   */
  readonly stream?: <T>(saved?: unknown) => PipeStream<T>;
  /**
   * For a pipe that needs the end but keeps a bounded part of the results
   * (`tail`): a fresh holder for one run, so that results are not all held
   * until the end. Without it, every result from this pipe on is held.
   */
  readonly hold?: <T>() => PipeHold<T>;
  /**
   * For a limit (`head`, `tail`): the limit that a request `size` becomes.
   * Elasticsearch puts the size before the first limit among the pipes, as a
   * limit of the same kind (see `withRequestSize`).
   */
  readonly sizeLimit?: (size: number) => PipeInstance;
}

/** A pipe of the language: all that the stages need to know of it. */
export interface PipeDefinition {
  /** The name after `|`, lower-case. */
  readonly name: string;
  /** One line for the docs: what it keeps. */
  readonly summary: string;
  /** Whether its instances stream (have `stream`): results pass as they come instead of at the end. */
  readonly streams: boolean;
  /**
   * The checks Elasticsearch's parser makes of the pipe's arguments (arity,
   * types, ranges), run on the AST after parsing. `fail` throws.
   */
  check(pipe: A.Pipe, fail: PipeCheckFailure): void;
  /**
   * The pipe's part of the plan. Arguments are as `check` left them, except
   * for ASTs built by hand and given to `compile`, which are not checked: a
   * pipe plans them as best it can.
   */
  plan(pipe: A.Pipe): PipeInstance;
}
