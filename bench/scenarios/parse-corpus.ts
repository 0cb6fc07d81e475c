/** Scenario 1: parse every corpus query; report ms per query and the total. */
import { parse } from '../../src/index.js';
import { corpusQueries } from '../corpus.js';
import type { Scenario } from '../types.js';

export const parseCorpus: Scenario = {
  name: 'parse-corpus',
  title: 'Parse every corpus query',
  run({ quick }) {
    const queries = corpusQueries();
    if (!queries) return { skipped: '../shared/corpus is missing' };
    // A first pass warms the JIT; the figure is the best of the timed passes.
    for (const q of queries) parse(q);
    const passes = quick ? 3 : 10;
    let best = Infinity;
    for (let i = 0; i < passes; i++) {
      const t0 = process.hrtime.bigint();
      for (const q of queries) parse(q);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return {
      figures: {
        queries: queries.length,
        totalMs: round(best),
        msPerQuery: round(best / queries.length, 4),
        targetTotalMs: 1000,
        withinTarget: best < 1000,
      },
    };
  },
};

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
