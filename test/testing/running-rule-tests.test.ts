/**
 * Running rule tests: every case through the rule as `eqlkit run` runs it,
 * alerts compared event by event; the corpus rules' tests in
 * test/fixtures/rule-tests pass; files that cannot run are reported, not
 * thrown, and do not stop the others.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledRulesDir, RuleLoadError, runRuleTests } from '../../src/index.js';
import { lines, runCli } from '../helpers/cli.js';
import { ruleText } from '../helpers/rules.js';
import { listFiles, REPO_ROOT, sharedPath } from '../helpers/shared.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'rule-tests');
const corpus = sharedPath('the corpus rules’ tests', 'corpus', 'detection-rules');

describe.skipIf(!corpus)('the tests of corpus rules in test/fixtures/rule-tests', () => {
  const report = corpus ? runRuleTests(FIXTURES, { rulesDir: corpus }) : null;

  it('all pass', () => {
    const problems = report!.files.flatMap((f) => [...(f.error ? [f.error.message] : []), ...f.cases.filter((c) => !c.passed).map((c) => `${f.file}: ${c.name}`)]);
    expect(problems).toEqual([]);
    expect(report!.ok).toBe(true);
  });

  it('test at least 20 corpus rules, of every kind of query', () => {
    const rules = new Set(report!.files.map((f) => f.rule!.file));
    expect(rules.size).toBeGreaterThanOrEqual(20);
    expect([...rules].every((r) => r.startsWith(corpus!))).toBe(true);
    expect(new Set(report!.files.map((f) => f.rule!.kind))).toEqual(new Set(['event', 'sequence', 'sample']));
  });

  it.each(listFiles(FIXTURES, '.test.toml').map((f) => [f.slice(FIXTURES.length + 1)]))('%s has a case that alerts and a near miss that does not', (name) => {
    const file = report!.files.find((f) => f.file.endsWith(name))!;
    expect(file.cases.some((c) => c.passed && c.found.length > 0)).toBe(true);
    expect(file.cases.some((c) => c.passed && c.expected.length === 0 && c.events.length > 0)).toBe(true);
  });
});

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-running-rule-tests-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files below a fresh folder of the temp folder, and gives the folder. */
function folder(name: string, files: Record<string, string>): string {
  const at = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(at, file, '..'), { recursive: true });
    writeFileSync(join(at, file), text);
  }
  return at;
}

const CMD = ruleText('cmd', 'process where process.name : "cmd.exe"');
const SEQUENCE = ruleText('seq', 'sequence by host.id with maxspan=1s [process where process.name == "a"] [process where process.name == "b"]');

describe('a case', () => {
  it('passes when exactly the expected alerts come, in any order, and each event named as the test names it', () => {
    const at = folder('order', {
      'cmd.toml': CMD,
      'cmd.test.toml': `[[case]]
name = "two alerts, listed in another order"
alerts = [["second"], ["first"]]
events = [
  { _id = "first", event.category = "process", process.name = "CMD.EXE" },
  { _id = "second", event.category = "process", process.name = "cmd.exe" },
  { _id = "other", event.category = "process", process.name = "notepad.exe" },
]
`,
    });
    const [file] = runRuleTests(at).files;
    expect(file!.cases[0]).toMatchObject({ passed: true, missing: [], unexpected: [], eventErrors: [] });
    expect(file!.cases[0]!.found.map((a) => a.events)).toEqual([['first'], ['second']]);
    expect(file!.cases[0]!.events.map((e) => [e.name, e.stages])).toEqual([
      ['first', [1]],
      ['second', [1]],
      ['other', []],
    ]);
  });

  it('reports what is missing and what is unexpected, alert by alert, with the join keys and times of what came', () => {
    const at = folder('diff', {
      'seq.toml': SEQUENCE,
      'seq.test.toml': `base_time = "2026-01-15T10:00:00Z"
[[case]]
name = "b comes 1.5 s after a"
alerts = [["a", "b"]]
events = [
  { _id = "a", "@timestamp" = "+0s", event.category = "process", host.id = "h1", process.name = "a" },
  { _id = "b", "@timestamp" = "+1.5s", event.category = "process", host.id = "h1", process.name = "b" },
  { _id = "a2", "@timestamp" = "+1m", event.category = "process", host.id = "h2", process.name = "a" },
  { _id = "b2", "@timestamp" = "+1m0.5s", event.category = "process", host.id = "h2", process.name = "b" },
]
`,
    });
    const [c] = runRuleTests(at).files[0]!.cases;
    expect(c!.passed).toBe(false);
    expect(c!.missing).toEqual([['a', 'b']]);
    expect(c!.unexpected).toEqual([{ events: ['a2', 'b2'], joinKeys: ['h2'], firstEventTime: '2026-01-15T10:01:00.000Z', lastEventTime: '2026-01-15T10:01:00.500Z' }]);
    expect(c!.events.map((e) => [e.name, e.time, e.stages])).toEqual([
      ['a', '2026-01-15T10:00:00.000Z', [1]],
      ['b', '2026-01-15T10:00:01.500Z', [2]],
      ['a2', '2026-01-15T10:01:00.000Z', [1]],
      ['b2', '2026-01-15T10:01:00.500Z', [2]],
    ]);
  });

  it('fails when the engine cannot use one of its events, and says which', () => {
    const at = folder('unusable', {
      'cmd.toml': CMD,
      'cmd.test.toml': '[[case]]\nname = "a time that is no time"\nalerts = []\nevents = [{ _id = "bad", "@timestamp" = "yesterday", event.category = "process" }]\n',
    });
    const [c] = runRuleTests(at).files[0]!.cases;
    expect(c).toMatchObject({ passed: false, eventErrors: [{ event: 'bad', code: 'EQL_EVENT_TIMESTAMP', reason: 'no readable timestamp in [@timestamp]' }] });
  });

  it('gives the alerts eqlkit run gives over the same events', async () => {
    const events = join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.events.ndjson');
    const run = await runCli(['run', '--events', events, '-F', 'ndjson', '-q']);
    const byRun = lines(run.stdout).map((l) => (JSON.parse(l) as { events: Array<{ event: { id: string } }>; join_keys: unknown[] }).events.map((e) => e.event.id));
    const [c] = runRuleTests(join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.test.toml')).files[0]!.cases;
    expect(byRun.length).toBeGreaterThan(0);
    expect(c!.found.map((a) => a.events)).toEqual(byRun);
  });
});

describe('files that cannot run', () => {
  it.each([
    ['a rule file that is not there', { 'x.test.toml': 'rule = "nope.toml"\n[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n' }, 'RULE_TEST_RULE', 1, /no rule file .*nope\.toml/],
    [
      'no rule beside it',
      { 'lonely.test.toml': '[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n' },
      'RULE_TEST_RULE',
      null,
      /no rule file .*lonely\.toml: a test file tests the rule of the same name beside it/,
    ],
    [
      'a rule that does not compile',
      { 'bad.toml': ruleText('bad', 'process where process.name = "x"'), 'bad.test.toml': '[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n' },
      'RULE_TEST_RULE',
      null,
      /the rule does not load: .*bad\.toml:\d+:\d+ \[rule\.query\]: the query does not compile/,
    ],
    [
      'a rule that is not EQL',
      {
        'kql.toml': ruleText('kql', 'x').replace('type = "eql"', 'type = "query"').replace('language = "eql"', 'language = "kuery"'),
        'kql.test.toml': '[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n',
      },
      'RULE_TEST_RULE',
      null,
      /cannot run: not EQL/,
    ],
  ])('%s: a RULE_TEST_RULE error', (name, files, code, line, reason) => {
    const at = folder(`cannot-${name.replace(/\W+/g, '-')}`, files);
    const report = runRuleTests(at);
    expect(report).toMatchObject({ errors: 1, passed: 0, failed: 0, ok: false });
    expect(report.files[0]!.error).toMatchObject({ code, line });
    expect(report.files[0]!.error!.reason).toMatch(reason);
  });

  it('keeps the rule’s own error as the cause', () => {
    const at = folder('cause', { 'bad.toml': ruleText('bad', 'process where'), 'bad.test.toml': '[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n' });
    expect(runRuleTests(at).files[0]!.error!.cause).toBeInstanceOf(RuleLoadError);
  });

  it.each([
    ['a path that names nothing', (at: string) => join(at, 'nope'), /no such file or folder/],
    ['a file that is not a rule test', (at: string) => join(at, 'cmd.toml'), /not a rule test file: their names end with \.test\.toml/],
    ['a folder without rule tests', (at: string) => join(at, 'empty'), /no rule test file \(\*\.test\.toml\) in the folder/],
    ['a glob that matches no rule test', (at: string) => `${at}/**/*.nope.toml`, /no rule test file \(\*\.test\.toml\) matches the pattern/],
  ])('%s: a RULE_TEST_READ error', (_what, path, reason) => {
    const at = folder('paths', { 'cmd.toml': CMD, 'empty/notes.txt': 'nothing' });
    const report = runRuleTests(path(at));
    expect(report.files.map((f) => [f.error?.code, f.error?.file])).toEqual([['RULE_TEST_READ', path(at)]]);
    expect(report.files[0]!.error!.reason).toMatch(reason);
  });

  it('do not stop the others, and each test file runs once however it is named', () => {
    const at = folder('mixed', {
      'cmd.toml': CMD,
      'cmd.test.toml': '[[case]]\nname = "a"\nalerts = [["a"]]\nevents = [{ _id = "a", event.category = "process", process.name = "cmd.exe" }]\n',
      'broken.test.toml': '[[case]]\nname = "x\n',
    });
    const report = runRuleTests([at, join(at, 'cmd.test.toml'), `${at}/*.test.toml`]);
    expect(report.files.map((f) => [f.file.slice(at.length + 1), f.error?.code ?? null, f.cases.length])).toEqual([
      ['broken.test.toml', 'RULE_TEST_TOML', 0],
      ['cmd.test.toml', null, 1],
    ]);
    expect(report).toMatchObject({ passed: 1, failed: 0, errors: 1, ok: false });
  });

  it('load each rule once for every test file that names it', () => {
    const at = folder('shared-rule', {
      'rules/cmd.toml': CMD,
      'tests/one.test.toml': 'rule = "rules/cmd.toml"\n[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n',
      'tests/two.test.toml': 'rule = "rules/cmd.toml"\n[[case]]\nname = "b"\nalerts = []\nevents = [{}]\n',
    });
    const report = runRuleTests(join(at, 'tests'), { rulesDir: at });
    expect(report.ok).toBe(true);
    expect(new Set(report.files.map((f) => f.rule!.file)).size).toBe(1);
  });
});

describe('the bundled rule’s test', () => {
  it('is the sample events with the alerts they must give', () => {
    const text = readFileSync(join(bundledRulesDir(), 'windows', 'lateral_movement_incoming_wmi.test.toml'), 'utf8');
    expect(text).toContain('events_file = "lateral_movement_incoming_wmi.events.ndjson"');
    const copy = join(dir, 'bundled');
    mkdirSync(copy);
    for (const f of ['lateral_movement_incoming_wmi.toml', 'lateral_movement_incoming_wmi.test.toml', 'lateral_movement_incoming_wmi.events.ndjson'])
      copyFileSync(join(bundledRulesDir(), 'windows', f), join(copy, f));
    const report = runRuleTests(copy);
    expect(report.ok).toBe(true);
    expect(report.files[0]!.cases[0]!.found).toHaveLength(4);
  });
});
