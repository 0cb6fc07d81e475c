/** `head` and `tail`, and the request `size`, applied to an ordered result list. */
import type { PipePlan } from '../compile/plan.js';

/**
 * Applies pipes left to right (`| head 4 | tail 2` gives items 3 and 4), then
 * the size limit. When the last pipe is `tail`, the size keeps the last items,
 * as Elasticsearch does.
 */
export function applyPipes<T>(items: readonly T[], pipes: readonly PipePlan[], size: number): T[] {
  let out = items.slice();
  for (const p of pipes) out = p.name === 'head' ? out.slice(0, p.count) : p.count === 0 ? [] : out.slice(-p.count);
  if (out.length > size) out = pipes[pipes.length - 1]?.name === 'tail' ? out.slice(out.length - size) : out.slice(0, size);
  return out;
}
