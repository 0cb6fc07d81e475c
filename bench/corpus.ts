/** The corpus queries for benchmarks, read from ../shared when it is there. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../src/rules/toml.js';
import { sharedDir as SHARED } from './paths.js';

function tomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tomlFiles(p));
    else if (name.endsWith('.toml')) out.push(p);
  }
  return out;
}

/** Every EQL query of the detection-rules corpus and the hunting queries, or null without ../shared. */
export function corpusQueries(): string[] | null {
  const rules = join(SHARED, 'corpus', 'detection-rules');
  const hunting = join(SHARED, 'corpus', 'detection-rules-hunting');
  if (!existsSync(rules)) return null;
  const out: string[] = [];
  for (const f of tomlFiles(rules)) {
    const doc = parseToml(readFileSync(f, 'utf8')) as { rule?: { language?: string; query?: string } };
    if (doc.rule?.language === 'eql' && typeof doc.rule.query === 'string') out.push(doc.rule.query);
  }
  if (existsSync(hunting)) {
    for (const f of tomlFiles(hunting)) {
      const doc = parseToml(readFileSync(f, 'utf8')) as { hunt?: { query?: unknown } };
      if (Array.isArray(doc.hunt?.query)) out.push(...(doc.hunt.query as string[]));
    }
  }
  return out;
}
