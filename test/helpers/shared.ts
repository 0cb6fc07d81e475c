/**
 * The one way tests find `../shared/` (reference data beside the checkout).
 *
 * When it is missing, tests that need it are skipped with a printed reason,
 * except under CI=true, where a missing `../shared/` is a failure. Nothing
 * here writes to it: it is read-only in CI.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_ROOT = resolve(REPO_ROOT, '../shared');

/**
 * The absolute path of `../shared/<parts…>`, or null when it is absent (outside CI).
 * `what` names the tests that need it, for the skip message.
 */
export function sharedPath(what: string, ...parts: string[]): string | null {
  const path = join(SHARED_ROOT, ...parts);
  if (existsSync(path)) return path;
  const reason = `${path} is missing, so ${what} cannot run`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true requires ../shared)`);
  console.warn(`skipped: ${reason}`);
  return null;
}

/** Every file below `dir` whose name ends with `suffix`, sorted, following no symlinks. */
export function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
