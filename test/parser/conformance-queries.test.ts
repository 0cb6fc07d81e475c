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

/** Endgame syntax outside the dialect we accept, with the error each must give. */
const UNSUPPORTED_SYNTAX: Array<[RegExp, RegExp]> = [
  [/\b(child|descendant|event) of\b/, /process relationships/],
  [/\w\[\d+\]/, /array indexes/],
  [/\bfork\b/, /unexpected 'fork'/],
];

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

  it('parses the commented-out Endgame cases of test_queries.toml that use only supported syntax', () => {
    const cases = loadCommentedOutQueries(join(suiteDir!, 'test_queries.toml'));
    expect(cases).toHaveLength(112);
    const parsed: string[] = [];
    const problems: string[] = [];
    for (const c of cases) {
      const unsupported = UNSUPPORTED_SYNTAX.find(([syntax]) => syntax.test(c.query));
      try {
        parse(c.query);
        if (unsupported) problems.push(`${c.name}: parsed although it uses ${unsupported[0]}`);
        else parsed.push(c.name);
      } catch (e) {
        if (!unsupported) problems.push(`${c.name}: ${(e as Error).message.split('\n')[0]}`);
        else if (!(e instanceof EqlSyntaxError) || !unsupported[1].test(e.reason)) problems.push(`${c.name}: wrong error ${(e as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(parsed).toHaveLength(90);
  });
});
