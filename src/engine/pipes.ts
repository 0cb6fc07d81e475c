/** `head` and `tail`, and the request `size`, applied to an ordered result list. */
import type { PipePlan } from '../compile/plan.js';

export type ResultPosition = 'head' | 'tail';

function limit<T>(items: T[], name: 'head' | 'tail', count: number): T[] {
  if (count >= items.length) return items;
  return name === 'head' ? items.slice(0, count) : count === 0 ? [] : items.slice(items.length - count);
}

/**
 * As Elasticsearch plans it: the request `size` becomes a limit placed before
 * the first pipe, of the same kind (`head` or `tail`); without pipes it is a
 * limit of the `resultPosition` kind (Elasticsearch's default is `tail`: the
 * most recent results). Then the pipes apply left to right, so
 * `| head 4 | tail 2` gives items 3 and 4. Results stay in ascending order.
 */
export function applyPipes<T>(items: readonly T[], pipes: readonly PipePlan[], size: number, resultPosition: ResultPosition = 'tail'): T[] {
  let out = limit(items.slice(), pipes[0]?.name ?? resultPosition, size);
  for (const p of pipes) out = limit(out, p.name, p.count);
  return out;
}
