import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EqlSyntaxError, format, parse } from '../../src/index.js';
import { withoutLocations } from '../helpers/ast.js';
import { loadCommentedOutQueries, loadConformanceFile } from '../helpers/conformance.js';
import { sharedPath } from '../helpers/shared.js';

const suiteDir = sharedPath('the conformance parse tests', 'conformance', 'elasticsearch-eql');

/** The suite's active files; test_queries_unsupported.toml is the 2020 catalogue of what ES never adopted. */
const ACTIVE_FILES = [
  'test_queries.toml',
  'test_queries_date.toml',
  'test_queries_date_nanos.toml',
  'test_extra.toml',
  'test_missing_events.toml',
  'test_sample.toml',
  'test_sample_multi.toml',
  'test_failing_shards.toml',
  'test_between_queries.toml',
  'test_sampling.toml',
];

/** Endgame features that Elasticsearch's parser rejects, as our errors name them. */
const UNSUPPORTED_FEATURES = [/process relationships/, /array indexes/, /'by' keys must be fields/, /unexpected 'fork'/];

describe.skipIf(!suiteDir)('queries of the Elasticsearch QA suite', () => {
  it('includes every active file', () => {
    const present = readdirSync(suiteDir!).filter((f) => f.endsWith('.toml'));
    expect(present.filter((f) => f !== 'test_queries_unsupported.toml').sort()).toEqual([...ACTIVE_FILES].sort());
  });

  it.each(ACTIVE_FILES)('%s: every query parses and round-trips', (file) => {
    const cases = loadConformanceFile(join(suiteDir!, file));
    expect(cases.length).toBeGreaterThan(0);
    const failed: string[] = [];
    for (const c of cases) {
      try {
        const ast = parse(c.query);
        if (JSON.stringify(withoutLocations(parse(format(ast)))) !== JSON.stringify(withoutLocations(ast))) failed.push(`${c.name}: round trip`);
      } catch (e) {
        failed.push(`${c.name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('parses the commented-out Endgame cases of test_queries.toml unless they use syntax ES rejects', () => {
    const cases = loadCommentedOutQueries(join(suiteDir!, 'test_queries.toml'));
    expect(cases).toHaveLength(112);
    const parsed: string[] = [];
    const rejected: string[] = [];
    const problems: string[] = [];
    for (const c of cases) {
      try {
        parse(c.query);
        parsed.push(c.name);
      } catch (e) {
        const reason = e instanceof EqlSyntaxError ? e.reason : String(e);
        if (UNSUPPORTED_FEATURES.some((r) => r.test(reason))) rejected.push(c.name);
        else problems.push(`${c.name}: ${reason}`);
      }
    }
    expect(problems).toEqual([]);
    expect({ parsed: parsed.length, rejected: rejected.length }).toEqual({ parsed: 86, rejected: 26 });
  });
});
