/**
 * Finding files below folders, for rule files and event files alike: in path
 * order, following symbolic links but never into the same folder twice, so
 * that a link loop cannot hang a walk.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file below `dir` whose name `accept` takes, sorted by path within
 * each folder. A folder that cannot be read goes to `onError` and is passed
 * over; a dangling link is passed over silently.
 */
export function filesUnder(dir: string, accept: (name: string) => boolean, onError: (folder: string, error: Error) => void): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    let names: string[];
    try {
      const real = realpathSync(d);
      if (seen.has(real)) return;
      seen.add(real);
      names = readdirSync(d).sort();
    } catch (e) {
      onError(d, e as Error);
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      let folder: boolean;
      try {
        folder = statSync(p).isDirectory();
      } catch {
        continue;
      }
      if (folder) walk(p);
      else if (accept(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
