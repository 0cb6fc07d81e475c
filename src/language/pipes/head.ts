/** `| head N`: the first N results. It streams: once N have passed, reading may stop. */
import { checkCountArgument, countArgument } from './count-argument.js';
import type { PipeDefinition, PipeInstance, PipeStream } from './types.js';

/** The first `count` results, as a pipeline stage. */
export function headOf(count: number): PipeInstance {
  return {
    name: 'head',
    text: `head ${count}`,
    apply: <T>(items: T[]): T[] => (count >= items.length ? items : items.slice(0, count)),
    stream: <T>(saved?: unknown): PipeStream<T> => {
      if (saved !== undefined && !(Number.isInteger(saved) && (saved as number) >= 0 && (saved as number) <= count)) {
        throw new RangeError(`a saved pass of head ${count} is the number of results still to pass (0 to ${count}), not ${JSON.stringify(saved)}`);
      }
      // Results still to pass.
      let left = saved === undefined ? count : (saved as number);
      return {
        accept: () => {
          if (left === 0) return false;
          left--;
          return true;
        },
        get done() {
          return left === 0;
        },
        save: () => left,
      };
    },
    sizeLimit: headOf,
  };
}

export const head: PipeDefinition = {
  name: 'head',
  summary: 'keeps the first N results; streams, and reading stops once N have passed',
  streams: true,
  check: checkCountArgument,
  plan: (pipe) => headOf(countArgument(pipe)),
};
