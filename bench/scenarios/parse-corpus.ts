/** Scenario 1: parse every corpus query; report ms per query and the total. */
import { parse } from '../../src/index.js';
import { corpusQueries } from '../corpus.js';
import type { Scenario } from '../types.js';
import { bestOf, round } from '../timing.js';

export const parseCorpus: Scenario = {
  name: 'parse-corpus',
  title: 'Parse every corpus query',
  run({ quick }) {
    const queries = corpusQueries();
    if (!queries) return { skipped: '../shared/corpus is missing' };
    const ms = bestOf(quick ? 3 : 10, () => {
      for (const q of queries) parse(q);
    });
    return { figures: { queries: queries.length, totalMs: round(ms), msPerQuery: round(ms / queries.length, 4), targetTotalMs: 1000, withinTarget: ms < 1000 } };
  },
};
