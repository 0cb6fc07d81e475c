/**
 * Which rule test files a list of paths names: files as given, every
 * `*.test.toml` below a folder, and quoted globs such as
 * `"rules/**\/*.test.toml"`, in the order given, without repeats.
 */
import { statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { RuleTestError } from '../errors.js';
import { filesUnder, isFile, isFolder } from '../files.js';
import { TEST_FILE_SUFFIX } from './test-file.js';

const isTestFile = (name: string): boolean => name.endsWith(TEST_FILE_SUFFIX);

export interface Discovery {
  readonly files: string[];
  /** Paths that name no test file, or folders that cannot be read. */
  readonly problems: RuleTestError[];
}

export function findRuleTestFiles(paths: readonly string[]): Discovery {
  const files: string[] = [];
  const problems: RuleTestError[] = [];
  const under = (dir: string): string[] => filesUnder(dir, isTestFile, (folder, e) => problems.push(new RuleTestError('RULE_TEST_READ', `cannot read the folder: ${e.message}`, { file: folder })));
  const none = `no rule test file (*${TEST_FILE_SUFFIX})`;
  for (const path of paths) {
    const scan = picomatch.scan(path);
    if (scan.isGlob && !isFile(path)) {
      const base = scan.base === '' ? '.' : scan.base;
      if (!isFolder(base)) {
        problems.push(new RuleTestError('RULE_TEST_READ', `no such folder: ${base}`, { file: path }));
        continue;
      }
      const match = picomatch(scan.glob, { dot: false });
      const root = resolve(base);
      const found = under(base).filter((f) => match(relative(root, resolve(f)).split(sep).join('/')));
      if (found.length === 0) problems.push(new RuleTestError('RULE_TEST_READ', `${none} matches the pattern`, { file: path }));
      files.push(...found);
      continue;
    }
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      problems.push(new RuleTestError('RULE_TEST_READ', 'no such file or folder', { file: path }));
      continue;
    }
    if (folder) {
      const found = under(path);
      if (found.length === 0) problems.push(new RuleTestError('RULE_TEST_READ', `${none} in the folder`, { file: path }));
      files.push(...found);
    } else if (isTestFile(path)) {
      files.push(path);
    } else {
      problems.push(new RuleTestError('RULE_TEST_READ', `not a rule test file: their names end with ${TEST_FILE_SUFFIX}`, { file: path }));
    }
  }
  return { files: [...new Set(files)], problems };
}
