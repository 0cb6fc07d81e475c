import { describe, expect, it } from 'vitest';
import { format, parse } from '../../src/index.js';
import { withoutLocations } from '../helpers/ast.js';
import { corpusHuntingQueries, corpusRuleQueries } from '../helpers/corpus.js';
import { listFiles, sharedPath } from '../helpers/shared.js';

const rulesDir = sharedPath('the corpus parse tests', 'corpus', 'detection-rules');
const huntingDir = sharedPath('the hunting-query parse tests', 'corpus', 'detection-rules-hunting');

function failures(queries: Array<{ id: string; query: string }>): string[] {
  const failed: string[] = [];
  for (const { id, query } of queries) {
    try {
      const ast = parse(query);
      const again = parse(format(ast));
      if (JSON.stringify(withoutLocations(again)) !== JSON.stringify(withoutLocations(ast))) failed.push(`${id}: round trip changed the AST`);
    } catch (e) {
      failed.push(`${id}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return failed;
}

describe.skipIf(!rulesDir)('the detection-rules corpus', () => {
  const queries = rulesDir ? corpusRuleQueries(rulesDir) : [];

  it('holds 1,081 EQL rules, production and deprecated', () => {
    expect(queries).toHaveLength(1081);
    expect(queries.filter((q) => q.id.includes('_deprecated'))).toHaveLength(57);
  });

  it('parses every rule query and round-trips it through format()', () => {
    expect(failures(queries)).toEqual([]);
  });
});

describe.skipIf(!huntingDir)('the hunting queries', () => {
  const queries = huntingDir ? corpusHuntingQueries(huntingDir) : [];

  it('come from 13 files', () => {
    expect(huntingDir && listFiles(huntingDir, '.toml')).toHaveLength(13);
    expect(new Set(queries.map((q) => q.id.split('#')[0])).size).toBe(13);
  });

  it('all parse and round-trip', () => {
    expect(failures(queries)).toEqual([]);
  });
});
