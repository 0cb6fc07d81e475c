/** Reads the EQL queries of the detection-rules corpus in ../shared/corpus. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseToml } from '../../src/rules/toml.js';
import { listFiles } from './shared.js';

export interface CorpusQuery {
  /** The file, relative to the corpus folder, with an index when a file holds several queries. */
  readonly id: string;
  readonly query: string;
}

/** The `rule.query` of every EQL rule below `dir` (rules whose language is eql). */
export function corpusRuleQueries(dir: string): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const file of listFiles(dir, '.toml')) {
    const doc = parseToml(readFileSync(file, 'utf8')) as { rule?: { language?: string; query?: string } };
    if (doc.rule?.language === 'eql' && typeof doc.rule.query === 'string') out.push({ id: relative(dir, file), query: doc.rule.query });
  }
  return out;
}

/** The queries of the hunting files, whose `hunt.query` is a list and whose language is a list naming EQL. */
export function corpusHuntingQueries(dir: string): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  for (const file of listFiles(dir, '.toml')) {
    const doc = parseToml(readFileSync(file, 'utf8')) as { hunt?: { language?: string[]; query?: string[] } };
    const hunt = doc.hunt;
    if (!hunt?.language?.some((l) => l.toLowerCase() === 'eql') || !Array.isArray(hunt.query)) continue;
    hunt.query.forEach((query, i) => {
      out.push({ id: `${relative(dir, file)}#${i}`, query });
    });
  }
  return out;
}
