/**
 * `eqlkit test`: the report for people, with a readable diff of each failed
 * case (a mutated test file or a mutated event shows where it went wrong),
 * the report as JSON and as JUnit XML, and its exit codes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledRulesDir, type RuleTestReport } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { ruleText } from '../helpers/rules.js';

const WMI = 'lateral_movement_incoming_wmi';
let dir = '';

/** A copy of the bundled rule, its test and its events in a folder of the temp folder, with `change` applied to the test or the events. */
function bundledCopy(name: string, change: { test?: (text: string) => string; events?: (text: string) => string } = {}): string {
  const at = join(dir, name);
  mkdirSync(at);
  const from = join(bundledRulesDir(), 'windows');
  copyFileSync(join(from, `${WMI}.toml`), join(at, `${WMI}.toml`));
  writeFileSync(join(at, `${WMI}.test.toml`), (change.test ?? ((t) => t))(readFileSync(join(from, `${WMI}.test.toml`), 'utf8')));
  writeFileSync(join(at, `${WMI}.events.ndjson`), (change.events ?? ((t) => t))(readFileSync(join(from, `${WMI}.events.ndjson`), 'utf8')));
  return at;
}

const CMD = ruleText('cmd', 'process where process.name : "cmd.exe"');
const PASSING = '[[case]]\nname = "cmd alerts"\nalerts = [["cmd"]]\nevents = [{ _id = "cmd", event.category = "process", process.name = "cmd.exe" }]\n';
const FAILING = '[[case]]\nname = "<notepad> & \\"friends\\" alert"\nalerts = [["notepad"]]\nevents = [{ _id = "notepad", event.category = "process", process.name = "notepad.exe" }]\n';
const MALFORMED = '[[case]]\nname = "x"\nalerts = [["a"]]\nevents = [{ _id = "b" }]\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-test-command-'));
  for (const [folder, files] of Object.entries({
    passing: { 'cmd.toml': CMD, 'cmd.test.toml': PASSING },
    failing: { 'cmd.toml': CMD, 'cmd.test.toml': PASSING, 'notepad.toml': CMD, 'notepad.test.toml': FAILING },
    malformed: { 'cmd.toml': CMD, 'cmd.test.toml': MALFORMED },
    mixed: { 'cmd.toml': CMD, 'cmd.test.toml': PASSING, 'notepad.toml': CMD, 'notepad.test.toml': FAILING, 'broken.toml': CMD, 'broken.test.toml': MALFORMED },
  })) {
    mkdirSync(join(dir, folder));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, folder, file), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a failed case, in the text report', () => {
  it('shows an expected alert that did not come (-) and one that came instead (+), when the test expects the wrong events', async () => {
    const at = bundledCopy('wrong-expectation', {
      test: (t) => t.replace('["exactly-2s-later/network", "exactly-2s-later/process"]', '["near-miss-2.001s-later/network", "near-miss-2.001s-later/process"]'),
    });
    const r = await runCli(['test', at]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${join(at, `${WMI}.test.toml`)}: WMI Incoming Lateral Movement
  FAIL  the sample events: the four positives alert, no near miss does  (${join(at, `${WMI}.test.toml`)}:5)
        alerts: 4 expected, 4 found (- expected, not found; + found, not expected)
          [positive/network, positive/process]
          [positive-ingress/network, positive-ingress/process]
          [positive-case-variants/network, positive-case-variants/process]
        - [near-miss-2.001s-later/network, near-miss-2.001s-later/process]
            near-miss-2.001s-later/network  meets stage 1, at 2026-01-15T10:05:00.000Z
            near-miss-2.001s-later/process  meets stage 2, at 2026-01-15T10:05:02.001Z
        + [exactly-2s-later/network, exactly-2s-later/process]  by "host-04", 2026-01-15T10:04:00.000Z to 2026-01-15T10:04:02.000Z

1 case in 1 test file: 0 passed, 1 failed
`,
    );
  });

  it('shows which event no longer meets its stage, when an event changes', async () => {
    const at = bundledCopy('changed-event', {
      events: (t) =>
        t
          .split('\n')
          .map((l) => (l.includes('"positive/process"') ? l.replace('"WmiPrvSE.exe"', '"explorer.exe"') : l))
          .join('\n'),
    });
    const r = await runCli(['test', at]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`        alerts: 4 expected, 3 found (- expected, not found; + found, not expected)
        - [positive/network, positive/process]
            positive/network  meets stage 1, at 2026-01-15T10:01:00.000Z
            positive/process  meets no stage, at 2026-01-15T10:01:01.000Z
          [positive-ingress/network, positive-ingress/process]
`);
  });

  it('of an event query, says whether each event matches the query, and says so when nothing came either way', async () => {
    const r = await runCli(['test', join(dir, 'failing', 'notepad.test.toml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  FAIL  <notepad> & "friends" alert  (${join(dir, 'failing', 'notepad.test.toml')}:1)
        alerts: 1 expected, 0 found (- expected, not found; + found, not expected)
        - [notepad]
            notepad  does not match the query
`);
  });

  it('prints passes too, unless --quiet', async () => {
    const loud = await runCli(['test', join(dir, 'failing')]);
    expect(loud.stdout).toMatch(/^ {2}pass {2}cmd alerts$/m);
    const quiet = await runCli(['test', join(dir, 'failing'), '-q']);
    expect(quiet.stdout).not.toMatch(/pass {2}cmd alerts/);
    expect(quiet.stdout).toMatch(/FAIL {2}<notepad>/);
    expect(quiet.stdout).toMatch(/2 cases in 2 test files: 1 passed, 1 failed\n$/);
  });

  it('of a malformed file, prints the error with its position and a code frame', async () => {
    const r = await runCli(['test', join(dir, 'malformed')]);
    expect(r.stdout).toBe(`ERROR ${join(dir, 'malformed', 'cmd.test.toml')}:3:12: RULE_TEST_SCHEMA: alerts[0] names the event "a", which the case does not have: the labels are b [case[0].alerts[0]]
        2 | name = "x"
      > 3 | alerts = [["a"]]
          |            ^

no test ran; 1 file could not run
`);
  });
});

describe('exit codes', () => {
  it.each([
    ['every case passes', ['passing'], 0],
    ['a case fails', ['failing'], 1],
    ['a test file is malformed', ['malformed'], 2],
    ['a case fails and a file is malformed', ['mixed'], 2],
    ['a path names nothing', ['nope'], 2],
    ['an unknown format', ['passing', '--format', 'xml'], 2],
    ['a rules folder that is not there', ['passing', '--rules-dir', 'nope'], 2],
    ['--help', ['--help'], 0],
  ])('%s: %i', async (_what, args, code) => {
    const r = await runCli(['test', ...args.map((a) => (a.startsWith('-') || a === 'xml' ? a : join(dir, a)))]);
    expect(r.code).toBe(code);
  });

  it("runs the bundled rules' tests without paths", async () => {
    const r = await runCli(['test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lateral_movement_incoming_wmi\.test\.toml: WMI Incoming Lateral Movement\n {2}pass {2}the sample events/);
  });
});

describe('--format json', () => {
  it('prints the report runRuleTests gives, with errors as their code, reason and position', async () => {
    const r = await runCli(['test', join(dir, 'mixed'), '--format', 'json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as RuleTestReport & { files: Array<{ error: { code: string; line: number; column: number; reason: string } | null }> };
    expect({ passed: report.passed, failed: report.failed, errors: report.errors, ok: report.ok }).toEqual({ passed: 1, failed: 1, errors: 1, ok: false });
    expect(report.files.map((f) => [f.file.slice(join(dir, 'mixed').length + 1), f.error?.code ?? null, f.cases.map((c) => c.passed)])).toEqual([
      ['broken.test.toml', 'RULE_TEST_SCHEMA', []],
      ['cmd.test.toml', null, [true]],
      ['notepad.test.toml', null, [false]],
    ]);
    expect(report.files[0]!.error).toMatchObject({ line: 3, column: 12, reason: expect.stringMatching(/names the event "a"/) });
    expect(report.files[2]!.cases[0]).toMatchObject({ expected: [['notepad']], found: [], missing: [['notepad']], unexpected: [], events: [{ name: 'notepad', index: 0, stages: [] }] });
  });
});

/** The elements of an XML text, checked to nest properly: what a CI system's reader needs at least. */
function xmlElements(text: string): Array<{ name: string; attributes: Record<string, string>; text: string }> {
  expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = text.replace(/^<\?xml[^>]*\?>\n/, '');
  const open: Array<{ name: string; attributes: Record<string, string>; text: string; start: number }> = [];
  const out: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      const top = open.pop();
      expect(top?.name).toBe(name);
      top!.text = body.slice(top!.start, m.index);
      continue;
    }
    const attributes = Object.fromEntries([...attrs!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const element = { name: name!, attributes, text: '', start: m.index! + m[0].length };
    out.push(element);
    if (!selfClosing) open.push(element);
  }
  expect(open).toEqual([]);
  // Outside the tags, only escaped text: no stray < or an & that is not an entity.
  expect(body.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!(?:amp|lt|gt|quot|apos);)/);
  return out;
}

describe('--format junit', () => {
  it('gives a testsuite per file and a testcase per case: failures with their diff, a file that cannot run as an error', async () => {
    const r = await runCli(['test', join(dir, 'mixed'), '--format', 'junit']);
    expect(r.code).toBe(2);
    const elements = xmlElements(r.stdout);
    const count = (name: string) => elements.filter((e) => e.name === name).length;
    expect(elements[0]).toMatchObject({ name: 'testsuites', attributes: { tests: '3', failures: '1', errors: '1' } });
    expect([count('testsuite'), count('testcase'), count('failure'), count('error')]).toEqual([3, 3, 1, 1]);
    const suites = elements.filter((e) => e.name === 'testsuite').map((e) => [e.attributes.name!.slice(join(dir, 'mixed').length + 1), e.attributes.tests, e.attributes.failures, e.attributes.errors]);
    expect(suites).toEqual([
      ['broken.test.toml', '1', '0', '1'],
      ['cmd.test.toml', '1', '0', '0'],
      ['notepad.test.toml', '1', '1', '0'],
    ]);
    const failed = elements.find((e) => e.name === 'testcase' && e.attributes.name!.includes('notepad'))!;
    expect(failed.attributes.name).toBe('&lt;notepad&gt; &amp; &quot;friends&quot; alert');
    expect(failed.attributes.line).toBe('1');
    const failure = elements.find((e) => e.name === 'failure')!;
    expect(failure.attributes.message).toBe('1 expected alert not found');
    expect(failure.text).toContain('- [notepad]\n    notepad  does not match the query');
    expect(elements.find((e) => e.name === 'error')!.attributes).toMatchObject({ type: 'RULE_TEST_SCHEMA' });
    expect(elements.filter((e) => e.name === 'property').map((e) => e.attributes.name)).toEqual(['rule', 'rule_id', 'rule_file', 'rule', 'rule_id', 'rule_file']);
  });

  it('writes to a file with -o, and still prints failures and the summary on stderr', async () => {
    const target = join(dir, 'report.xml');
    const r = await runCli(['test', join(dir, 'failing'), '--format', 'junit', '-o', target]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(xmlElements(readFileSync(target, 'utf8')).filter((e) => e.name === 'testcase')).toHaveLength(2);
    expect(r.stderr).toMatch(/FAIL {2}<notepad>[\s\S]*2 cases in 2 test files: 1 passed, 1 failed\n$/);
  });
});
