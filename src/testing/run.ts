/**
 * Running rule tests: each case's events go through a RuleSet of the one
 * rule, the way `eqlkit run` gives events to its rules (in the engine's order,
 * into a matcher, then a flush), and the alerts that come out are compared
 * with the alerts the case expects, event by event.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type EqlEventError, type EventErrorCode, RuleLoadError, RuleTestError } from '../errors.js';
import type { Schema } from '../analyze/schema.js';
import type { QueryPlan } from '../compile/plan.js';
import { orderBatch } from '../engine/stream.js';
import type { Event } from '../semantics/fields.js';
import type { Alert } from '../rules/alert.js';
import { loadRule } from '../rules/load.js';
import type { Rule } from '../rules/rule.js';
import { RuleSet } from '../rules/ruleset.js';
import { findRuleTestFiles } from './discover.js';
import { RuleTestDocument, type TestCase } from './test-file.js';

/** Test files larger than this are refused rather than parsed. */
const MAX_TEST_FILE_BYTES = 16 * 1024 * 1024;

export interface RuleTestOptions {
  /**
   * The folder that `rule = "…"` paths start from. Default: each test
   * file's own folder. A test file without `rule` always tests the rule
   * beside it.
   */
  readonly rulesDir?: string;
  /** Field types for compiling the rules (see `schemaFromMapping`). */
  readonly schema?: Schema;
}

/** A stage of the rule: its place from 1 among the query's stages, or `until`. */
export type RuleTestStage = number | 'until';

/** One event of a case, as it ran. */
export interface RuleTestEvent {
  /** Its label, or `#<place>` for an event without one. */
  readonly name: string;
  /** Its place among the case's events, from 0. */
  readonly index: number;
  /** The time it ran with: what its timestamp field held once offsets were written out. */
  readonly time: unknown;
  /**
   * The rule's stages whose condition (and category) the event meets on its
   * own, join keys and order aside; `[1]` for an event that an event query
   * matches. An expected alert that did not come often has an event here
   * that meets no stage, or not the one it was meant for.
   */
  readonly stages: readonly RuleTestStage[];
}

/** An alert the rule gave in a case. */
export interface RuleTestAlert {
  /** Its events by name, in order (a missing-event stage has none). */
  readonly events: readonly string[];
  readonly joinKeys: readonly unknown[];
  readonly firstEventTime: string | null;
  readonly lastEventTime: string | null;
}

/** An event the engine could not use (no readable time, say): the case fails with it. */
export interface RuleTestEventError {
  /** The event's name, or null when it cannot be told. */
  readonly event: string | null;
  readonly code: EventErrorCode;
  readonly reason: string;
}

export interface RuleTestCaseResult {
  readonly name: string;
  /** The line of its `[[case]]` header in the test file, when known. */
  readonly line: number | null;
  /** Exactly the expected alerts came, and every event could be used. */
  readonly passed: boolean;
  /** The alerts the case expects, each as its events' names. */
  readonly expected: readonly (readonly string[])[];
  /** The alerts the rule gave, in the order it gave them. */
  readonly found: readonly RuleTestAlert[];
  /** Expected alerts that did not come (the order of alerts does not matter; the order of events within one does). */
  readonly missing: readonly (readonly string[])[];
  /** Alerts that came but were not expected. */
  readonly unexpected: readonly RuleTestAlert[];
  readonly eventErrors: readonly RuleTestEventError[];
  readonly events: readonly RuleTestEvent[];
  readonly durationMs: number;
}

/** The rule a test file tests. */
export interface RuleTestRule {
  readonly file: string;
  readonly name: string;
  readonly ruleId: string;
  /** What its query is: an event query, a sequence or a sample. */
  readonly kind: 'event' | 'sequence' | 'sample';
}

export interface RuleTestFileResult {
  /** The test file, as found. */
  readonly file: string;
  /** The rule it tests, once loaded. */
  readonly rule: RuleTestRule | null;
  /** Why no case of the file could run (unreadable, malformed, the rule does not load), or null. */
  readonly error: RuleTestError | null;
  readonly cases: readonly RuleTestCaseResult[];
  readonly durationMs: number;
}

export interface RuleTestReport {
  readonly files: readonly RuleTestFileResult[];
  /** Cases that passed. */
  readonly passed: number;
  /** Cases that failed. */
  readonly failed: number;
  /** Files (or paths) that could not be run. */
  readonly errors: number;
  /** Every case passed and every file ran. */
  readonly ok: boolean;
}

/** The stages each event meets by itself. Outside a span of the engine's work, field reads are fresh. */
function stagesOf(plan: QueryPlan, event: Event): RuleTestStage[] {
  if (plan.kind === 'event') return plan.filter.matches(event) ? [1] : [];
  const out: RuleTestStage[] = [];
  plan.stages.forEach((stage, i) => {
    if (stage.filter.matches(event)) out.push(i + 1);
  });
  if (plan.kind === 'sequence' && plan.until?.filter.matches(event)) out.push('until');
  return out;
}

const alertKey = (events: readonly string[]): string => JSON.stringify(events);

function runCase(rule: Rule, set: RuleSet, testCase: TestCase): RuleTestCaseResult {
  const start = performance.now();
  const plan = rule.compiled.plan;
  const names = new Map<unknown, string>(testCase.events.map((e) => [e.event, e.name]));
  const events: RuleTestEvent[] = testCase.events.map((e) => ({ name: e.name, index: e.index, time: plan.timestamp(e.event) ?? null, stages: stagesOf(plan, e.event) }));
  const eventErrors: RuleTestEventError[] = [];
  const onError = (e: EqlEventError): void => {
    eventErrors.push({ event: names.get(e.event) ?? null, code: e.code, reason: e.reason });
  };
  // As `eqlkit run` feeds a file: every event in the engine's order, into one matcher, then its flush.
  const matcher = set.matcher({ onError, onLate: onError });
  const { items } = orderBatch(
    testCase.events.map((e) => e.event),
    set.orderSource(),
    onError,
  );
  const alerts: Alert[] = [];
  for (const item of items) alerts.push(...matcher.push(item.event));
  alerts.push(...matcher.flush());
  const found: RuleTestAlert[] = alerts.map((a) => ({
    events: a.events.filter((e) => e !== null).map((e) => names.get(e) ?? '?'),
    joinKeys: a.join_keys,
    firstEventTime: a.first_event_time,
    lastEventTime: a.last_event_time,
  }));
  // Alerts match as a multiset: each found alert answers one expected alert of the same events.
  const unmatched = new Map<string, number[]>();
  found.forEach((a, i) => {
    const key = alertKey(a.events);
    unmatched.set(key, [...(unmatched.get(key) ?? []), i]);
  });
  const missing: string[][] = [];
  for (const expected of testCase.alerts) {
    const left = unmatched.get(alertKey(expected));
    if (left && left.length > 0) left.shift();
    else missing.push([...expected]);
  }
  const unexpectedAt = new Set([...unmatched.values()].flat());
  const unexpected = found.filter((_, i) => unexpectedAt.has(i));
  return {
    name: testCase.name,
    line: testCase.line,
    passed: missing.length === 0 && unexpected.length === 0 && eventErrors.length === 0,
    expected: testCase.alerts,
    found,
    missing,
    unexpected,
    eventErrors,
    events,
    durationMs: performance.now() - start,
  };
}

/** Loads each rule once per run, however many test files name it. */
class RuleCache {
  private readonly rules = new Map<string, Rule | RuleLoadError>();

  constructor(private readonly schema: Schema | undefined) {}

  get(path: string): Rule | RuleLoadError {
    let entry = this.rules.get(path);
    if (entry === undefined) {
      try {
        entry = loadRule(path, { schema: this.schema });
      } catch (e) {
        if (!(e instanceof RuleLoadError)) throw e;
        entry = e;
      }
      this.rules.set(path, entry);
    }
    return entry;
  }
}

function readTestFile(file: string): string {
  try {
    const size = statSync(file).size;
    if (size > MAX_TEST_FILE_BYTES) throw new Error(`the file is ${size} bytes; rule test files over ${MAX_TEST_FILE_BYTES} bytes are refused`);
    const bytes = readFileSync(file);
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new Error(`not a text file: a NUL byte at offset ${nul}`);
    return bytes.toString('utf8');
  } catch (e) {
    throw new RuleTestError('RULE_TEST_READ', `cannot read the file: ${(e as Error).message}`, { file });
  }
}

/** The rule a test file names, loaded and able to run. @throws RuleTestError */
function ruleOf(document: RuleTestDocument, rules: RuleCache, options: RuleTestOptions): Rule {
  const path = document.rulePath(options.rulesDir);
  const spot = document.ruleSpot;
  if (!existsSync(path)) {
    const how =
      spot === null ? ': a test file tests the rule of the same name beside it, or the one its rule key names' : options.rulesDir !== undefined ? ` (rule paths start from ${options.rulesDir})` : '';
    throw document.error('RULE_TEST_RULE', `no rule file ${path}${how}`, spot, spot === null ? null : 'rule');
  }
  const rule = rules.get(path);
  if (rule instanceof RuleLoadError) throw document.error('RULE_TEST_RULE', `the rule does not load: ${rule.message}`, spot, spot === null ? null : 'rule', rule);
  if (!rule.executable) throw document.error('RULE_TEST_RULE', `the rule ${path} cannot run: ${rule.notExecutableReason}`, spot, spot === null ? null : 'rule');
  return rule;
}

function runFile(file: string, rules: RuleCache, options: RuleTestOptions): RuleTestFileResult {
  const start = performance.now();
  let rule: Rule | null = null;
  try {
    const document = new RuleTestDocument(readTestFile(file), file);
    const loaded = ruleOf(document, rules, options);
    rule = loaded;
    const cases = document.cases(rule.compiled.plan.options.timestampField);
    const set = new RuleSet([rule]);
    const results = cases.map((c) => runCase(loaded, set, c));
    return { file, rule: ruleInfo(rule), error: null, cases: results, durationMs: performance.now() - start };
  } catch (e) {
    if (!(e instanceof RuleTestError)) throw e;
    return { file, rule: rule === null ? null : ruleInfo(rule), error: e, cases: [], durationMs: performance.now() - start };
  }
}

const ruleInfo = (rule: Rule): RuleTestRule => ({ file: rule.file ?? '', name: rule.name, ruleId: rule.ruleId, kind: rule.compiled.plan.kind });

/**
 * Runs rule tests: the `*.test.toml` files that `paths` name (files,
 * folders, quoted globs), each against its rule, and reports every case.
 * Problems with a path or a file (unreadable, malformed, a rule that does not
 * load) are reported in the result, as a file's `error`, never thrown.
 *
 * @example
 * ```ts
 * const report = runRuleTests(['rules/']);
 * for (const f of report.files) for (const c of f.cases) if (!c.passed) console.log(f.file, c.name, c.missing, c.unexpected);
 * ```
 */
export function runRuleTests(paths: string | readonly string[], options: RuleTestOptions = {}): RuleTestReport {
  const { files, problems } = findRuleTestFiles(typeof paths === 'string' ? [paths] : paths);
  const rules = new RuleCache(options.schema);
  const results: RuleTestFileResult[] = [...problems.map((error) => ({ file: error.file ?? '', rule: null, error, cases: [], durationMs: 0 })), ...files.map((file) => runFile(file, rules, options))];
  const cases = results.flatMap((r) => r.cases);
  const passed = cases.filter((c) => c.passed).length;
  const errors = results.filter((r) => r.error !== null).length;
  return { files: results, passed, failed: cases.length - passed, errors, ok: errors === 0 && passed === cases.length };
}
