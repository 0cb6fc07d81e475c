/**
 * Where the bench finds things. Paths start from the repository's root, found
 * by its package.json, so that they hold both for the sources and for the
 * bundle that `npm run bench` builds and runs (bench/.build/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eqlkit') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find the eqlkit repository above this file');
    dir = parent;
  }
}

export const repoRoot = findRepoRoot();
/** The read-only ../shared folder beside the checkout (corpus, conformance suite). */
export const sharedDir = join(repoRoot, '..', 'shared');
export const resultsDir = join(repoRoot, 'bench', 'results');
