/**
 * Which files a list of event arguments names: files as given, folders (every
 * event file below them) and quoted globs such as `"hosts/*.ndjson"`, in the
 * order given, each folder's and glob's files sorted by path. `-` is stdin.
 * A path that names nothing is a usage error rather than an empty run.
 */
import { statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { filesUnder, isFile, isFolder, WalkLimitError } from '../files.js';
import picomatch from 'picomatch';
import { UsageError } from './output.js';

/** What a folder or glob picks up: NDJSON or JSON, possibly gzip-compressed. */
const EVENT_FILE = /\.(?:ndjson|jsonl|json)(?:\.gz)?$/i;

/** Rule files where events belong are a mistake worth naming. */
const RULE_FILE = /\.toml$/i;

/** Every event file below a folder; an unreadable folder is a usage error, as a missing one is, and so is one beyond the walk's limits. */
function eventFilesUnder(dir: string): string[] {
  return filesUnder(
    dir,
    (name) => EVENT_FILE.test(name),
    (folder, e) => {
      throw new UsageError(e instanceof WalkLimitError ? `${e.message} (${folder})` : `cannot read the folder ${folder}: ${e.message}`);
    },
  );
}

/**
 * The files that event arguments name, without repeats, in argument order
 * (`-` stays where it was given; no argument means stdin). Throws
 * {@link UsageError} for a name that matches nothing, or names a rule file:
 * `ruleFileHint` says where rule files go in the command at hand.
 */
export function expandEventInputs(args: readonly string[], ruleFileHint: string): string[] {
  if (args.length === 0) return ['-'];
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push(arg);
      continue;
    }
    if (RULE_FILE.test(arg)) throw new UsageError(`${arg} is a rule file, not events: ${ruleFileHint}`);
    const scan = picomatch.scan(arg);
    if (scan.isGlob && !isFile(arg)) {
      const base = scan.base === '' ? '.' : scan.base;
      if (!isFolder(base)) throw new UsageError(`no such folder: ${base} (in the pattern ${arg})`);
      const match = picomatch(scan.glob, { dot: false });
      const root = resolve(base);
      const found = eventFilesUnder(base).filter((f) => match(relative(root, resolve(f)).split(sep).join('/')));
      if (found.length === 0) throw new UsageError(`no event file (.ndjson, .jsonl, .json, or their .gz) matches ${arg}`);
      files.push(...found);
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch {
      throw new UsageError(`no such file or folder: ${arg}`);
    }
    if (st.isDirectory()) {
      const found = eventFilesUnder(arg);
      if (found.length === 0) throw new UsageError(`no event file (.ndjson, .jsonl, .json, or their .gz) in the folder ${arg}`);
      files.push(...found);
    } else {
      files.push(arg);
    }
  }
  return [...new Set(files)];
}
