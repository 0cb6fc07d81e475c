/** The rules shipped in the package's `rules/` folder. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadOptions, Rule } from './rule.js';
import { loadRules } from './load.js';

/** The package's root: the nearest folder above this module whose package.json is eqlkit's. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eqlkit') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('eqlkit: cannot find the package folder that holds rules/');
    dir = parent;
  }
}

/** The folder of bundled rules. */
export function bundledRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/**
 * The rules shipped with eqlkit (Elastic's, under the Elastic License v2),
 * loaded and compiled. The first is "WMI Incoming Lateral Movement".
 */
export function bundledRules(options: LoadOptions = {}): Rule[] {
  const { rules, errors } = loadRules(bundledRulesDir(), options);
  if (errors.length > 0) throw errors[0];
  return rules;
}
