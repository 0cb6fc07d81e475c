/**
 * Scenario 1: time one step over every corpus query (parse, or parse and
 * compile); report ms per query and the total, against the 1 s target.
 */
import { compile, parse } from '../../src/index.js';
import { corpusQueries } from '../corpus.js';
import type { Scenario } from '../types.js';
import { bestOf, round } from '../timing.js';

function corpusScenario(name: string, title: string, step: (query: string) => unknown): Scenario {
  return {
    name,
    title,
    run({ quick }) {
      const queries = corpusQueries();
      if (!queries) return { skipped: '../shared/corpus is missing' };
      const ms = bestOf(quick ? 2 : 10, () => {
        for (const q of queries) step(q);
      });
      return { figures: { queries: queries.length, totalMs: round(ms), msPerQuery: round(ms / queries.length, 4), targetTotalMs: 1000, withinTarget: ms < 1000 } };
    },
  };
}

export const parseCorpus = corpusScenario('parse-corpus', 'Parse every corpus query', parse);
export const compileCorpus = corpusScenario('compile-corpus', 'Parse and compile every corpus query', (q) => compile(q));
