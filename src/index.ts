/**
 * eqlkit: parse Elastic's Event Query Language and run it over events
 * with Elasticsearch's semantics.
 *
 * This module is the package's entry point in Node: everything of the
 * portable entry (`browser.ts`, the package's `browser` condition), and what
 * reads files (rules from paths, the bundled rules, rule test files).
 *
 * @example
 * ```ts
 * import { parse, format } from 'eqlkit';
 * const query = parse('process where process.name : "cmd.exe"');
 * format(query); // 'process where process.name : "cmd.exe"'
 * ```
 *
 * @packageDocumentation
 */

export * from './browser.js';

// Rules from files and folders, and the rules this package ships.
export { loadRule, loadRules } from './rules/load.js';
export type { LoadResult } from './rules/load.js';
export { bundledRules, bundledRulesDir } from './rules/bundled.js';

// Rule tests: <rule>.test.toml files beside the rules.
export { runRuleTests } from './testing/run.js';
export type {
  RuleTestOptions,
  RuleTestReport,
  RuleTestFileResult,
  RuleTestRule,
  RuleTestCaseResult,
  RuleTestAlert,
  RuleTestEvent,
  RuleTestEventError,
  RuleTestStage,
} from './testing/run.js';
export { RuleTestError } from './errors.js';
export type { RuleTestErrorCode } from './errors.js';
