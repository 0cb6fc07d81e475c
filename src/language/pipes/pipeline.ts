/**
 * Running a query's pipes over its results, the one way every consumer does:
 * `search` over a whole batch, and the streaming consumers (the command
 * line's `query`, `stream()`, a RuleSet's rules) a result at a time.
 */
import { headOf } from './head.js';
import { tailOf } from './tail.js';
import type { PipeHold, PipeInstance, PipeStream, ResultPosition } from './types.js';

/**
 * The pipes with a request `size` added as Elasticsearch plans it: a limit of
 * the same kind placed right before the first limit among the pipes (so
 * `size 3` and `| tail 4 | head 2` make `tail 3 | tail 4 | head 2`); with no
 * limit among them, a limit of the `position` kind at the end. An unlimited
 * size adds nothing.
 */
export function withRequestSize(pipes: readonly PipeInstance[], size: number, position: ResultPosition): readonly PipeInstance[] {
  if (size === Infinity) return pipes;
  const first = pipes.findIndex((p) => p.sizeLimit !== undefined);
  if (first < 0) return [...pipes, position === 'head' ? headOf(size) : tailOf(size)];
  return [...pipes.slice(0, first), pipes[first]!.sizeLimit!(size), ...pipes.slice(first)];
}

/** The pipes over a whole ordered result list, left to right. A new list; `items` is not changed. */
export function applyPipes<T>(items: readonly T[], pipes: readonly PipeInstance[]): T[] {
  let out = items.slice();
  for (const p of pipes) out = p.apply(out);
  return out;
}

/** One run of the pipes over results that come one at a time. */
export interface PipelineRun<T> {
  /** Whether some pipe needs the end: results from it on are held until `end()`. */
  readonly holds: boolean;
  /** Takes the next result; true when it goes out now. */
  accept(item: T): boolean;
  /** True once no later result can change the output: the feeder may stop reading (and then call `end()`). */
  readonly done: boolean;
  /** The end of the results: what the held results give, in order (none when nothing is held). */
  end(): T[];
  /**
   * Where the run stands, as JSON data for a matcher's state snapshot: each
   * streaming pipe's pass, and the held results, each given by `encode`.
   * {@link runPipeline} resumes from it.
   */
  save<S>(encode: (item: T) => S): PipelineState<S>;
}

/** A run of the pipes as {@link PipelineRun.save} gives it. */
export interface PipelineState<S> {
  /** What each pipe before the first that needs the end saved of its pass. */
  readonly stages: readonly unknown[];
  /** The results held for the pipes from that one on, in order. */
  readonly held: readonly S[];
}

/**
 * A run of the pipes for a stream of results. The pipes up to the first one
 * that needs the end pass results on as they come; from that one on, results
 * are held and the rest of the pipes apply at `end()`: in that pipe's own
 * holder when it has one (a tail keeps its last N), so that memory does not
 * grow with the results. Fed every result, it gives what {@link applyPipes}
 * gives. With `resume`, what `save` gave in a run of the same pipes, it goes
 * on from there (`decode` turning each held result back); a RangeError when
 * the state is not one of these pipes'.
 */
export function runPipeline<T>(pipes: readonly PipeInstance[], resume?: { readonly state: PipelineState<unknown>; readonly decode: (saved: unknown) => T }): PipelineRun<T> {
  const cut = pipes.findIndex((p) => p.stream === undefined);
  const streaming = cut < 0 ? pipes : pipes.slice(0, cut);
  const rest = cut < 0 ? [] : pipes.slice(cut);
  if (resume && (!Array.isArray(resume.state.stages) || resume.state.stages.length !== streaming.length || !Array.isArray(resume.state.held) || (rest.length === 0 && resume.state.held.length > 0))) {
    throw new RangeError(`not a saved run of the pipes ${pipes.map((p) => `| ${p.text}`).join(' ')}`);
  }
  const stages: PipeStream<T>[] = streaming.map((p, i) => p.stream!<T>(resume?.state.stages[i]));
  const holder: PipeHold<T> | undefined = rest[0]?.hold?.<T>();
  const after = holder ? rest.slice(1) : rest;
  let held: T[] = [];
  // What a run held comes back into the same place: a holder takes the results again, in order.
  for (const saved of resume ? resume.state.held : []) {
    const item = resume!.decode(saved);
    if (holder) holder.accept(item);
    else held.push(item);
  }
  return {
    holds: rest.length > 0,
    accept(item: T): boolean {
      for (let i = 0; i < stages.length; i++) if (!stages[i]!.accept(item)) return false;
      if (rest.length === 0) return true;
      if (holder) holder.accept(item);
      else held.push(item);
      return false;
    },
    get done(): boolean {
      for (let i = 0; i < stages.length; i++) if (stages[i]!.done) return true;
      return false;
    },
    end(): T[] {
      if (rest.length === 0) return [];
      const out = applyPipes(holder ? holder.end() : held, after);
      held = [];
      return out;
    },
    save<S>(encode: (item: T) => S): PipelineState<S> {
      return { stages: stages.map((s) => s.save()), held: (holder ? holder.held() : held).map(encode) };
    },
  };
}
