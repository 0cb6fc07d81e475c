/** The bundled rule's query, read from rules/ (the rule loader comes later; this reads the TOML directly). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseToml } from '../src/rules/toml.js';

export function bundledRuleQuery(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'windows', 'lateral_movement_incoming_wmi.toml');
  const doc = parseToml(readFileSync(file, 'utf8')) as { rule: { query: string } };
  return doc.rule.query;
}
