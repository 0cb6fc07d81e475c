/**
 * The reports of `eqlkit test`: text for people (each case, and for each
 * failure the expected and found alerts side by side, event by event), the
 * report as JSON, and JUnit XML for CI systems.
 */
import { isAbsolute, relative } from 'node:path';
import type { RuleTestError } from '../errors.js';
import type { RuleTestAlert, RuleTestCaseResult, RuleTestEvent, RuleTestFileResult, RuleTestReport } from '../testing/run.js';
import { plural } from './plural.js';

export const TEST_REPORT_FORMATS = ['text', 'json', 'junit'] as const;
export type TestReportFormat = (typeof TEST_REPORT_FORMATS)[number];

/** A path as people read it: relative to the current folder when below it. */
export function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const alertText = (events: readonly string[]): string => `[${events.join(', ')}]`;

/** What the stages an event meets say about it, for an expected alert that did not come. */
function stagesText(event: RuleTestEvent, eventQuery: boolean): string {
  if (eventQuery) return event.stages.length > 0 ? 'matches the query' : 'does not match the query';
  // For a sequence or a sample, when it happened matters as much.
  const at = typeof event.time === 'string' ? `, at ${event.time}` : '';
  if (event.stages.length === 0) return `meets no stage${at}`;
  const names = event.stages.map((s) => (s === 'until' ? 'until' : String(s)));
  return `${names.length === 1 ? `meets stage ${names[0]}` : `meets stages ${names.join(', ')}`}${at}`;
}

function foundDetail(alert: RuleTestAlert): string {
  const keys = alert.joinKeys.length > 0 ? `by ${alert.joinKeys.map((k) => JSON.stringify(k)).join(', ')}, ` : '';
  const times = alert.firstEventTime === alert.lastEventTime ? `at ${alert.firstEventTime}` : `${alert.firstEventTime} to ${alert.lastEventTime}`;
  return `${keys}${times}`;
}

/**
 * Why a case failed, as lines: the counts, then every expected alert
 * (`-` when it did not come, with what each of its events meets) and every
 * alert that came unexpected (`+`, with its join keys and times), and the
 * events the engine could not use (`!`).
 */
export function caseDiff(result: RuleTestCaseResult, eventQuery: boolean): string[] {
  const out: string[] = [];
  const byName = new Map(result.events.map((e) => [e.name, e]));
  out.push(`alerts: ${result.expected.length} expected, ${result.found.length} found (- expected, not found; + found, not expected)`);
  if (result.expected.length === 0 && result.found.length === 0) out.push('  (no alert either way)');
  const missing = [...result.missing];
  for (const expected of result.expected) {
    const at = missing.findIndex((m) => m.length === expected.length && m.every((n, i) => n === expected[i]));
    if (at < 0) {
      out.push(`  ${alertText(expected)}`);
      continue;
    }
    missing.splice(at, 1);
    out.push(`- ${alertText(expected)}`);
    const width = Math.max(...expected.map((n) => n.length));
    for (const name of expected) {
      const event = byName.get(name);
      if (event) out.push(`    ${name.padEnd(width)}  ${stagesText(event, eventQuery)}`);
    }
  }
  for (const alert of result.unexpected) out.push(`+ ${alertText(alert.events)}  ${foundDetail(alert)}`);
  for (const e of result.eventErrors) out.push(`! ${e.event ?? 'an event'}: ${e.reason} (${e.code})`);
  return out;
}

/** A file's error, with its position and code frame. */
function errorText(error: RuleTestError): string {
  const where = `${displayPath(error.file ?? '<rule test>')}${error.line !== null ? `:${error.line}${error.column !== null ? `:${error.column}` : ''}` : ''}`;
  return `${where}: ${error.code}: ${error.reason}${error.key ? ` [${error.key}]` : ''}${error.frame ? `\n${error.frame}` : ''}`;
}

/** The last line: `12 cases in 3 test files: 11 passed, 1 failed`, and the files that could not run. */
function summary(report: RuleTestReport): string {
  const files = report.files.filter((f) => f.error === null).length;
  const notRun = report.errors > 0 ? `${plural(report.errors, 'file')} could not run` : '';
  if (files === 0) return `no test ran${notRun === '' ? '' : `; ${notRun}`}`;
  return `${plural(report.passed + report.failed, 'case')} in ${plural(files, 'test file')}: ${report.passed} passed, ${report.failed} failed${notRun === '' ? '' : `; ${notRun}`}`;
}

const indent = (lines: readonly string[], by: string): string => lines.map((l) => (l === '' ? l : `${by}${l}`)).join('\n');

/** Whether the rule of a file is an event query, so that hints speak of the query rather than of stages. */
const isEventQuery = (file: RuleTestFileResult): boolean => file.rule?.kind === 'event';

/** The text report. `quiet` leaves out passing cases and the files whose cases all passed. */
export function textReport(report: RuleTestReport, options: { quiet?: boolean } = {}): string {
  const out: string[] = [];
  for (const file of report.files) {
    if (file.error !== null) {
      out.push(`ERROR ${indent(errorText(file.error).split('\n'), '      ').trimStart()}`, '');
      continue;
    }
    const failing = file.cases.filter((c) => !c.passed);
    if (options.quiet && failing.length === 0) continue;
    out.push(`${displayPath(file.file)}${file.rule ? `: ${file.rule.name}` : ''}`);
    const eventQuery = isEventQuery(file);
    for (const c of file.cases) {
      if (c.passed) {
        if (!options.quiet) out.push(`  pass  ${c.name}`);
        continue;
      }
      out.push(`  FAIL  ${c.name}${c.line !== null ? `  (${displayPath(file.file)}:${c.line})` : ''}`);
      out.push(indent(caseDiff(c, eventQuery), '        '));
    }
    out.push('');
  }
  out.push(summary(report));
  return `${out.join('\n')}\n`;
}

/** A RuleTestError as JSON: its code, reason and position. */
function errorJson(error: RuleTestError): Record<string, unknown> {
  return { code: error.code, reason: error.reason, file: error.file, line: error.line, column: error.column, key: error.key, message: error.message };
}

/** The report as JSON: what `runRuleTests` returns, each error as its code, reason and position. */
export function jsonReport(report: RuleTestReport): string {
  return `${JSON.stringify({ ...report, files: report.files.map((f) => ({ ...f, error: f.error === null ? null : errorJson(f.error) })) }, null, 2)}\n`;
}

/** Text as XML character data or an attribute value: escaped, and without the characters XML 1.0 cannot hold. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * JUnit XML: a testsuite per test file, a testcase per case; a failed case
 * has a failure with its diff; a file that could not run is one testcase with
 * an error.
 */
export function junitReport(report: RuleTestReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.passed + report.failed + report.errors;
  const time = report.files.reduce((t, f) => t + f.durationMs, 0);
  out.push(`<testsuites name="eqlkit test" tests="${total}" failures="${report.failed}" errors="${report.errors}" time="${seconds(time)}">`);
  for (const file of report.files) {
    const name = xml(displayPath(file.file));
    if (file.error !== null) {
      out.push(`  <testsuite name="${name}" tests="1" failures="0" errors="1" skipped="0" time="${seconds(file.durationMs)}">`);
      out.push(`    <testcase name="${xml(`${file.error.code}: ${file.error.reason}`.split('\n')[0]!)}" classname="${name}" file="${name}">`);
      out.push(`      <error type="${file.error.code}" message="${xml(file.error.reason)}">${xml(errorText(file.error))}</error>`);
      out.push('    </testcase>', '  </testsuite>');
      continue;
    }
    const failures = file.cases.filter((c) => !c.passed).length;
    out.push(`  <testsuite name="${name}" tests="${file.cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(file.durationMs)}">`);
    if (file.rule) {
      out.push('    <properties>');
      out.push(
        `      <property name="rule" value="${xml(file.rule.name)}"/>`,
        `      <property name="rule_id" value="${xml(file.rule.ruleId)}"/>`,
        `      <property name="rule_file" value="${xml(displayPath(file.rule.file))}"/>`,
      );
      out.push('    </properties>');
    }
    const eventQuery = isEventQuery(file);
    for (const c of file.cases) {
      const attributes = `name="${xml(c.name)}" classname="${name}" file="${name}"${c.line !== null ? ` line="${c.line}"` : ''} time="${seconds(c.durationMs)}"`;
      if (c.passed) {
        out.push(`    <testcase ${attributes}/>`);
        continue;
      }
      const message = [
        c.missing.length > 0 ? `${plural(c.missing.length, 'expected alert')} not found` : '',
        c.unexpected.length > 0 ? `${plural(c.unexpected.length, 'unexpected alert')}` : '',
        c.eventErrors.length > 0 ? `${plural(c.eventErrors.length, 'event')} not evaluated` : '',
      ]
        .filter((m) => m !== '')
        .join(', ');
      out.push(`    <testcase ${attributes}>`);
      out.push(`      <failure type="alerts" message="${xml(message)}">${xml(caseDiff(c, eventQuery).join('\n'))}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
