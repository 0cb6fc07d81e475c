/** `| tail N`: the last N results, still in ascending order. It needs the end of the results. */
import { checkCountArgument, countArgument } from './count-argument.js';
import type { PipeDefinition, PipeHold, PipeInstance } from './types.js';

/** The last `count` results, as a pipeline stage. */
export function tailOf(count: number): PipeInstance {
  return {
    name: 'tail',
    text: `tail ${count}`,
    apply: <T>(items: T[]): T[] => (count >= items.length ? items : count === 0 ? [] : items.slice(items.length - count)),
    hold: <T>() => lastOf<T>(count),
    sizeLimit: tailOf,
  };
}

export const tail: PipeDefinition = {
  name: 'tail',
  summary: 'keeps the last N results (still in ascending order); needs the end of the results',
  streams: false,
  check: checkCountArgument,
  plan: (pipe) => tailOf(countArgument(pipe)),
};

/**
 * The last `count` results of a run, in a ring: memory holds `count` results
 * at most, however many go through (`| tail 1` over millions of matches).
 */
function lastOf<T>(count: number): PipeHold<T> {
  const ring: T[] = [];
  // Where the oldest result sits once the ring is full.
  let oldest = 0;
  return {
    accept(item: T): void {
      if (count === 0) return;
      if (ring.length < count) {
        ring.push(item);
        return;
      }
      ring[oldest] = item;
      oldest = oldest + 1 === count ? 0 : oldest + 1;
    },
    held(): T[] {
      return oldest === 0 ? ring.slice() : [...ring.slice(oldest), ...ring.slice(0, oldest)];
    },
    end(): T[] {
      const out = oldest === 0 ? ring.slice() : [...ring.slice(oldest), ...ring.slice(0, oldest)];
      ring.length = 0;
      oldest = 0;
      return out;
    },
  };
}
