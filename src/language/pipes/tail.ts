/** `| tail N`: the last N results, still in ascending order. It needs the end of the results. */
import { checkCountArgument, countArgument } from './count-argument.js';
import type { PipeDefinition, PipeInstance } from './types.js';

/** The last `count` results, as a pipeline stage. */
export function tailOf(count: number): PipeInstance {
  return {
    name: 'tail',
    text: `tail ${count}`,
    apply: <T>(items: T[]): T[] => (count >= items.length ? items : count === 0 ? [] : items.slice(items.length - count)),
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
