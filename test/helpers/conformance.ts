/**
 * Loads the Elasticsearch EQL QA suite's TOML files (../shared/conformance/elasticsearch-eql).
 *
 * The files are read as Elasticsearch's own loader reads them, which is more
 * lenient than TOML 1.0: `test_extra.toml` has a bare `null` inside arrays.
 */
import { readFileSync } from 'node:fs';
import { parseToml } from '../../src/rules/toml.js';

export interface ConformanceCase {
  readonly name: string;
  readonly query: string;
  /** A flat list of ids, or several acceptable lists. */
  readonly expected_event_ids: number[] | number[][];
  readonly join_keys?: unknown[];
  readonly size?: number;
  readonly max_samples_per_key?: number;
  readonly allow_partial_search_results?: boolean;
  readonly allow_partial_sequence_results?: boolean;
  readonly expect_shard_failures?: boolean;
}

/** Replaces a bare `null` array member with the string "null" (how ES compares join keys). */
function quoteBareNulls(text: string): string {
  return text.replace(/^(\s*join_keys\s*=\s*\[)(.*)$/gm, (_m, head: string, rest: string) => head + rest.replace(/(^|,)\s*null\s*(?=,|\])/g, '$1"null"'));
}

export function loadConformanceFile(path: string): ConformanceCase[] {
  const doc = parseToml(quoteBareNulls(readFileSync(path, 'utf8'))) as { queries?: ConformanceCase[] };
  return (doc.queries ?? []).map((c) => ({ ...c, query: c.query.trim() }));
}

/**
 * The queries of the commented-out `#[[queries]]` blocks: Endgame-only cases
 * that Elasticsearch keeps for reference. Returns each block's name and query.
 */
export function loadCommentedOutQueries(path: string): Array<{ name: string; query: string }> {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const out: Array<{ name: string; query: string }> = [];
  let i = 0;
  while (i < lines.length) {
    if (!/^#\s*\[\[queries\]\]/.test(lines[i]!)) {
      i++;
      continue;
    }
    // Collect the commented block up to the next blank or uncommented line.
    const block: string[] = [];
    i++;
    while (i < lines.length && lines[i]!.startsWith('#') && !/^#\s*\[\[queries\]\]/.test(lines[i]!)) {
      block.push(lines[i]!.replace(/^#/, ''));
      i++;
    }
    try {
      const doc = parseToml(`[[queries]]\n${block.join('\n')}`) as { queries: Array<{ name?: string; query?: string }> };
      const q = doc.queries[0];
      if (q?.query) out.push({ name: q.name ?? '?', query: q.query.trim() });
    } catch {
      // A block that is not TOML once uncommented is prose, not a case.
    }
  }
  return out;
}
