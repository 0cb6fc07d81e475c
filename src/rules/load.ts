/**
 * Loading rules from files, folders and globs. Errors are collected per file,
 * never thrown for a whole folder: one bad file does not stop the others.
 */
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { FileReadError, filesUnder, isFolder, readRegularFile, WalkLimitError } from '../files.js';
import { RuleLoadError } from '../errors.js';
import type { LoadOptions, Rule } from './rule.js';
import { parseRule } from './parse-rule.js';

/** Rule files larger than this (4 MiB) are refused rather than read. */
export const MAX_RULE_FILE_BYTES = 4 * 1024 * 1024;

export interface LoadResult {
  readonly rules: Rule[];
  readonly errors: RuleLoadError[];
}

export interface LoadRulesOptions extends LoadOptions {
  /**
   * Called once the files are found (`done` 0) and after each file, loaded
   * or not: a folder of a thousand rules takes a second or more.
   */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The text of a rule file: only a regular file of at most
 * {@link MAX_RULE_FILE_BYTES}, read safely whatever the path names (see
 * {@link readRegularFile}: a device, a pipe or a link to one is refused
 * before it is read), and without a NUL byte, which text does not hold.
 *
 * @throws RuleLoadError (`RULE_READ`)
 */
export function readRuleText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, MAX_RULE_FILE_BYTES);
  } catch (e) {
    if (e instanceof FileReadError) throw new RuleLoadError('RULE_READ', e.reason, { file });
    throw e;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new RuleLoadError('RULE_READ', `not a text file: a NUL byte at offset ${nul}`, { file });
  return bytes.toString('utf8');
}

/**
 * Loads one rule from a file path, or from TOML text (anything with a line
 * break is taken as text).
 *
 * @throws RuleLoadError with the file and position of the problem
 */
export function loadRule(pathOrText: string, options: LoadOptions = {}): Rule {
  if (/[\r\n]/.test(pathOrText)) return parseRule(pathOrText, options);
  return parseRule(readRuleText(pathOrText), { ...options, file: pathOrText });
}

/**
 * Rule tests (`<rule>.test.toml`, see src/testing/) sit beside their rules and
 * are not rules: folders and globs pass them over.
 */
const RULE_TEST_FILE = /\.test\.toml$/;

/** Every rule file (`.toml`, not a rule test) under a folder; a folder that cannot be read is an error of its own. */
function tomlFilesUnder(dir: string, errors: RuleLoadError[]): string[] {
  return filesUnder(
    dir,
    (name) => name.endsWith('.toml') && !RULE_TEST_FILE.test(name),
    (folder, e) => errors.push(new RuleLoadError('RULE_READ', e instanceof WalkLimitError ? e.message : `cannot read the folder: ${e.message}`, { file: folder })),
  );
}

const posix = (path: string): string => path.split(sep).join('/');

/**
 * Whether a file is left out by one of the negated patterns (given without
 * their `!`). A pattern with a folder part (`rules/_deprecated`,
 * `rules/**\/test_*.toml`) is anchored to the current folder, as positive
 * patterns are; a plain path leaves out that file or everything under that
 * folder. A pattern that starts with a glob (`**\/_deprecated/**`,
 * `*_test.toml`) matches the file's path below the folder or glob base it was
 * found under, or its full path; one without a slash matches the file name.
 */
function excluder(negated: readonly string[]): (file: string, base: string) => boolean {
  if (negated.length === 0) return () => false;
  const tests = negated.map((pattern): ((abs: string, base: string) => boolean) => {
    const scan = picomatch.scan(pattern);
    if (!scan.isGlob) {
      const target = resolve(pattern);
      return (abs) => abs === target || abs.startsWith(target.endsWith(sep) ? target : target + sep);
    }
    if (scan.base !== '') {
      const root = resolve(scan.base);
      const match = picomatch(scan.glob, { dot: true });
      return (abs) => {
        const rel = relative(root, abs);
        return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) && match(posix(rel));
      };
    }
    const match = picomatch(pattern, { dot: true });
    // picomatch's own `basename` option would apply to patterns with slashes too.
    if (!pattern.includes('/')) return (abs) => match(basename(abs));
    return (abs, base) => match(posix(relative(base, abs))) || match(posix(abs).replace(/^\/+/, ''));
  });
  return (file, base) => {
    const abs = resolve(file);
    return tests.some((test) => test(abs, base));
  };
}

/**
 * Loads rules from files, folders (every `.toml` below them but rule tests,
 * `*.test.toml`) and globs such as `rules/**\/*.toml`. Patterns that start with `!` leave out what they match
 * from everything the others find (see {@link excluder}): `['rules/',
 * '!**\/_deprecated/**']`. Returns the rules that loaded and an error for each
 * file that did not.
 */
export function loadRules(patterns: string | readonly string[], options: LoadRulesOptions = {}): LoadResult {
  const errors: RuleLoadError[] = [];
  const files: string[] = [];
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  const excluded = excluder(list.filter((p) => p.startsWith('!')).map((p) => p.slice(1)));
  const keep = (file: string, base: string): void => {
    if (!excluded(file, base)) files.push(file);
  };
  for (const pattern of list) {
    if (pattern.startsWith('!')) continue;
    const scan = picomatch.scan(pattern);
    if (scan.isGlob) {
      const base = scan.base === '' ? '.' : scan.base;
      if (!isFolder(base)) {
        errors.push(new RuleLoadError('RULE_READ', `no such folder: ${base}`, { file: pattern }));
        continue;
      }
      const match = picomatch(scan.glob, { dot: false });
      const root = resolve(base);
      let matched = 0;
      for (const f of tomlFilesUnder(base, errors)) {
        if (match(relative(root, resolve(f)).split(sep).join('/'))) {
          matched++;
          keep(f, root);
        }
      }
      // A mistyped pattern would otherwise load nothing without a word.
      if (matched === 0) errors.push(new RuleLoadError('RULE_READ', 'no .toml file matches the pattern', { file: pattern }));
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(pattern);
    } catch {
      errors.push(new RuleLoadError('RULE_READ', 'no such file or folder', { file: pattern }));
      continue;
    }
    if (st.isDirectory()) for (const f of tomlFilesUnder(pattern, errors)) keep(f, resolve(pattern));
    else keep(pattern, resolve(dirname(pattern)));
  }
  const rules: Rule[] = [];
  const unique = [...new Set(files)];
  const { onProgress, ...ruleOptions } = options;
  onProgress?.(0, unique.length);
  for (let i = 0; i < unique.length; i++) {
    const file = unique[i]!;
    try {
      rules.push(loadRule(file, ruleOptions));
    } catch (e) {
      if (e instanceof RuleLoadError) errors.push(e);
      else errors.push(new RuleLoadError('RULE_READ', `unexpected failure: ${(e as Error).message}`, { file }));
    }
    onProgress?.(i + 1, unique.length);
  }
  return { rules, errors };
}
