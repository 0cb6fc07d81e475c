/** `| head N`: the first N results. It streams: once N have passed, reading may stop. */
import { checkCountArgument, countArgument } from './count-argument.js';
import type { PipeDefinition, PipeInstance, PipeStream } from './types.js';

/** The first `count` results, as a pipeline stage. */
export function headOf(count: number): PipeInstance {
  return {
    name: 'head',
    text: `head ${count}`,
    apply: <T>(items: T[]): T[] => (count >= items.length ? items : items.slice(0, count)),
    stream: <T>(): PipeStream<T> => {
      let left = count;
      return {
        accept: () => {
          if (left === 0) return false;
          left--;
          return true;
        },
        get done() {
          return left === 0;
        },
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
