/** The bundled rule's query, as the rule loader reads it. */
import { join } from 'node:path';
import { bundledRulesDir, loadRule } from '../src/index.js';

export function bundledRuleQuery(): string {
  return loadRule(join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.toml')).query!;
}
