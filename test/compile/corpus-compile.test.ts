import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { corpusHuntingQueries, corpusRuleQueries } from '../helpers/corpus.js';
import { sharedPath } from '../helpers/shared.js';

const rulesDir = sharedPath('the corpus compile test', 'corpus', 'detection-rules');
const huntingDir = sharedPath('the hunting compile test', 'corpus', 'detection-rules-hunting');

describe.skipIf(!rulesDir || !huntingDir)('compiling the corpus', () => {
  it('compiles every EQL rule and hunting query', () => {
    const queries = [...corpusRuleQueries(rulesDir!), ...corpusHuntingQueries(huntingDir!)];
    expect(queries).toHaveLength(1081 + 13);
    const failed: string[] = [];
    for (const { id, query } of queries) {
      try {
        compile(query);
      } catch (e) {
        failed.push(`${id}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failed).toEqual([]);
  });
});
