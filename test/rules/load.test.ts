import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EqlSyntaxError, loadRule, loadRules, parseRule, RuleLoadError, RuleSet } from '../../src/index.js';
import { sharedPath } from '../helpers/shared.js';

const rulesDir = sharedPath('the corpus rule-loading tests', 'corpus', 'detection-rules');
const otherDir = sharedPath('the non-EQL rule tests', 'corpus', 'detection-rules-other');

const RULE = (query: string, extra = '') => `[metadata]
creation_date = "2026/01/01"
maturity = "production"
integration = ["endpoint"]

[rule]
author = ["Tester"]
description = "A test rule."
name = "Test rule"
risk_score = 21
rule_id = "00000000-0000-0000-0000-000000000001"
severity = "low"
tags = ["Test"]
type = "eql"
language = "eql"
${extra}
query = '''
${query}
'''
`;

describe.skipIf(!rulesDir)('the detection-rules corpus', () => {
  it('loads and compiles all 1,081 EQL rules with no error', () => {
    const { rules, errors } = loadRules(rulesDir!);
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(rules).toHaveLength(1081);
    expect(rules.every((r) => r.executable && r.compiled.kind !== undefined)).toBe(true);
    expect(rules.filter((r) => r.metadata.maturity === 'deprecated')).toHaveLength(57);
  });
});

describe.skipIf(!otherDir)('rules in other languages', () => {
  it('load with their metadata, not executable, with a reason', () => {
    const { rules, errors } = loadRules(otherDir!);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(40);
    expect(rules.every((r) => !r.executable && /^not EQL: /.test(r.notExecutableReason ?? ''))).toBe(true);
    expect(new Set(rules.map((r) => r.type))).toEqual(new Set(['query', 'esql', 'threshold', 'new_terms', 'machine_learning', 'threat_match']));
    const ml = rules.find((r) => r.type === 'machine_learning')!;
    expect(ml.notExecutableReason).toBe('not EQL: a machine_learning rule has no EQL query');
    expect(ml.name.length).toBeGreaterThan(0);
  });

  it('refuse to run with a clear error', () => {
    const { rules } = loadRules(otherDir!);
    const kuery = rules.find((r) => r.language === 'kuery')!;
    expect(() => kuery.run([])).toThrow(RuleLoadError);
    expect(() => kuery.run([])).toThrow(/cannot run rule .*: not EQL: a \w+ rule in kuery/);
  });
});

describe('rules Kibana would not run as they are', () => {
  const withTypes = (type: string, language: string | null) =>
    RULE('process where true').replace('type = "eql"\nlanguage = "eql"', `type = "${type}"${language === null ? '' : `\nlanguage = "${language}"`}`);
  it.each([
    ['threshold', 'eql', 'not EQL: a threshold rule (only rules of type eql run as EQL)'],
    ['query', 'eql', 'not EQL: a query rule (only rules of type eql run as EQL)'],
    ['eql', 'kuery', 'not EQL: an eql rule needs language = "eql", not "kuery"'],
    ['eql', 'EQL', 'not EQL: an eql rule needs language = "eql", not "EQL"'],
    ['eql', null, 'not EQL: an eql rule needs language = "eql", not none'],
  ])('type %s with language %s is not EQL', (type, language, reason) => {
    const r = parseRule(withTypes(type, language));
    expect({ executable: r.executable, code: r.notExecutableCode, reason: r.notExecutableReason }).toEqual({ executable: false, code: 'RULE_NOT_EQL', reason });
  });

  const FILTER = `
[[rule.filters]]
[rule.filters.meta]
negate = true
[rule.filters.query.wildcard."process.command_line"]
case_insensitive = true
value = "*temp*"
`;
  it('an EQL rule with query DSL filters compiles but does not run, since the filters would not apply', () => {
    const r = parseRule(RULE('process where true') + FILTER);
    expect({ executable: r.executable, code: r.notExecutableCode }).toEqual({ executable: false, code: 'RULE_NOT_SUPPORTED' });
    expect(r.notExecutableReason).toMatch(/1 query DSL filter \(\[\[rule\.filters\]\]\)/);
    expect(() => r.run([])).toThrow(expect.objectContaining({ code: 'RULE_NOT_SUPPORTED' }));
    expect(new RuleSet([r]).skipped).toEqual([r]);
    // A filter switched off in Kibana (meta.disabled) does not count.
    const off = parseRule(RULE('process where true') + FILTER.replace('negate = true', 'negate = true\ndisabled = true'));
    expect(off.executable).toBe(true);
  });
});

describe("Kibana's defaults", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const at = (min: number) => ({ '@timestamp': new Date(now - min * 60_000).toISOString(), event: { category: 'process' } });
  it.each([
    ['no from: the last 6 minutes', '', [1, 5]],
    ['from = "now-1w"', 'from = "now-1w"', [1, 5, 30, 24 * 60]],
    ['from = "now-2m"', 'from = "now-2m"', [1]],
  ])('the look-back with %s', (_what, extra, expected) => {
    const r = parseRule(RULE('process where true', extra));
    const events = [1, 5, 30, 24 * 60, 8 * 24 * 60].map(at);
    const ages = r.run(events, { now }).map((a) => Math.round((now - Date.parse(a.first_event_time!)) / 60_000));
    expect(ages.sort((a, b) => a - b)).toEqual(expected);
  });

  it('max_signals is 100 without the key, so that size: rule.maxSignals keeps what one Kibana run keeps', () => {
    const r = parseRule(RULE('process where true'));
    expect(r.maxSignals).toBe(100);
    const events = Array.from({ length: 150 }, (_, i) => ({ '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), event: { category: 'process' } }));
    expect(r.run(events, { size: r.maxSignals })).toHaveLength(100);
  });
});

describe('the Rule model', () => {
  const rule = parseRule(
    RULE('process where process.name : "cmd.exe"', 'from = "now-9m"\ntimestamp_override = "event.ingested"\nmax_signals = 5\ncustom_key = "kept"') +
      `
[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"
[[rule.threat.technique]]
id = "T1059"
name = "Command and Scripting Interpreter"
reference = "https://attack.mitre.org/techniques/T1059/"
[[rule.threat.technique.subtechnique]]
id = "T1059.003"
name = "Windows Command Shell"
reference = "https://attack.mitre.org/techniques/T1059/003/"

[transform]
note = "kept too"
`,
  );

  it('reads the keys Elastic rules use, with types', () => {
    expect(rule).toMatchObject({
      ruleId: '00000000-0000-0000-0000-000000000001',
      name: 'Test rule',
      type: 'eql',
      language: 'eql',
      severity: 'low',
      riskScore: 21,
      tags: ['Test'],
      from: 'now-9m',
      timestampOverride: 'event.ingested',
      maxSignals: 5,
      author: ['Tester'],
      executable: true,
      notExecutableReason: null,
    });
    expect(rule.lookbackNs).toBe(9 * 60 * 1e9);
    expect(rule.metadata).toMatchObject({ creationDate: '2026/01/01', maturity: 'production', integration: ['endpoint'] });
    expect(rule.query).toBe('process where process.name : "cmd.exe"\n');
  });

  it('reads the MITRE mapping down to subtechniques', () => {
    expect(rule.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/' },
        techniques: [
          {
            id: 'T1059',
            name: 'Command and Scripting Interpreter',
            reference: 'https://attack.mitre.org/techniques/T1059/',
            subtechniques: [{ id: 'T1059.003', name: 'Windows Command Shell', reference: 'https://attack.mitre.org/techniques/T1059/003/' }],
          },
        ],
      },
    ]);
  });

  it('keeps unknown keys and tables as they are', () => {
    expect(rule.extra).toEqual({ custom_key: 'kept' });
    expect(rule.tables).toEqual({ transform: { note: 'kept too' } });
  });

  it('honours event_category_override, including array fields', () => {
    const r = parseRule(RULE('info where event.action == "x"', 'event_category_override = "event.type"'));
    expect(r.run([{ '@timestamp': 1, event: { type: ['change', 'info'], action: 'x' } }])).toHaveLength(1);
    expect(r.run([{ '@timestamp': 1, event: { category: 'info', action: 'x' } }])).toHaveLength(0);
  });

  it('honours tiebreaker_field', () => {
    const r = parseRule(RULE('sequence [a where true] [b where true]', 'tiebreaker_field = "seq"'));
    const events = [
      { '@timestamp': 1, seq: 2, id: 'a', event: { category: 'a' } },
      { '@timestamp': 1, seq: 1, id: 'b', event: { category: 'b' } },
    ];
    expect(r.run(events)).toHaveLength(0);
    expect(r.run(events.map((e) => ({ ...e, seq: e.id === 'a' ? 0 : 5 })))).toHaveLength(1);
  });

  it('uses timestamp_override only for the look-back window, and @timestamp for order', () => {
    const r = parseRule(RULE('sequence [a where true] [b where true]', 'from = "now-10m"\ntimestamp_override = "event.ingested"'));
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    const events = [
      // Ordered by @timestamp: a then b. Ingested late for b, early for a: within the window both.
      { '@timestamp': at(30), event: { category: 'a', ingested: at(5) } },
      { '@timestamp': at(29), event: { category: 'b', ingested: at(6) } },
      // Ingested outside the window: left out.
      { '@timestamp': at(3), event: { category: 'a', ingested: at(20) } },
      // No event.ingested: @timestamp decides.
      { '@timestamp': at(2), event: { category: 'b' } },
    ];
    const alerts = r.run(events, { now });
    expect(alerts.map((a) => a.events.map((e) => e?.['@timestamp']))).toEqual([[at(30), at(29)]]);
    // `now` may be a Date or ISO-8601 text too, with the same result; anything else is refused at once.
    expect(r.run(events, { now: new Date(now) })).toEqual(alerts);
    expect(r.run(events, { now: new Date(now).toISOString() })).toEqual(alerts);
    expect(() => r.run(events, { now: 'yesterday' })).toThrow(/now must be a Date, epoch milliseconds or an ISO-8601 date/);
  });
});

/** A rule whose query is written as `query = <value>`, with the value as given. */
const RULE_WITH_VALUE = (value: string) => RULE('x').replace("query = '''\nx\n'''", `query = ${value}`);

describe('query errors point into the file whatever string form the query takes', () => {
  // Each case: the query value as written in the file, and where the '=' of its `x = 2` is in the file.
  const cases: Array<[string, string, { line: number; column: number }]> = [
    ['a multi-line literal string', "'''\nprocess where x = 2\n'''", { line: 18, column: 17 }],
    ['a literal string', "'process where x = 2'", { line: 17, column: 26 }],
    ['a basic string with escaped quotes', '"process where process.name : \\"cmd.exe\\" and x = 2"', { line: 17, column: 57 }],
    ['a basic string with \\u escapes', '"process where process.name : \\u0022a\\u0022 and x = 2"', { line: 17, column: 59 }],
    ['a multi-line basic string with a line-ending backslash', '"""process where \\\n    x = 2"""', { line: 18, column: 7 }],
    ['a multi-line basic string with CRLF line ends', '"""\r\nprocess where\r\n  x = 2\r\n"""', { line: 19, column: 5 }],
  ];
  it.each(cases)('%s', (_name, value, expected) => {
    const text = RULE_WITH_VALUE(value);
    let error: RuleLoadError | undefined;
    try {
      parseRule(text, { file: 'q.toml' });
    } catch (e) {
      error = e as RuleLoadError;
    }
    expect(error?.code).toBe('RULE_QUERY');
    expect({ line: error!.line, column: error!.column }).toEqual(expected);
    // The frame shows the file's own line, with the caret under the '='.
    const lines = text.split(/\r?\n/);
    expect(lines[expected.line - 1]![expected.column - 1]).toBe('=');
    expect(error!.message).toContain(`> ${expected.line} | ${lines[expected.line - 1]}`);
    expect(error!.message).toContain(`| ${' '.repeat(expected.column - 1)}^\n`.trimEnd());
    expect(error!.message.endsWith(`\n${error!.frame}`)).toBe(true);
    expect(error!.frame).toContain(`> ${expected.line} | `);
  });
});

describe('loading files', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eqlkit-rules-'));
    writeFileSync(join(dir, 'good.toml'), RULE('process where process.name : "cmd.exe"'));
    writeFileSync(join(dir, 'bom.toml'), `\uFEFF${RULE('process where process.name : "cmd.exe"').replace('00000000-0000-0000-0000-000000000001', 'bom')}`);
    writeFileSync(join(dir, 'truncated.toml'), RULE('process where true').slice(0, 120));
    writeFileSync(join(dir, 'bad-query.toml'), RULE('process where\n  process.name = "cmd.exe"'));
    writeFileSync(join(dir, 'unknown-field.toml'), RULE('process where nope(x)'));
    writeFileSync(join(dir, 'duplicate-keys.toml'), `${RULE('process where true')}\n[rule]\nname = "again"\n`);
    writeFileSync(join(dir, 'query-not-string.toml'), RULE('x').replace(/query = '''\nx\n'''/, 'query = 42'));
    writeFileSync(join(dir, 'binary.toml'), Buffer.from([0x5b, 0x72, 0x00, 0xff, 0xfe]));
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    writeFileSync(join(dir, 'good.test.toml'), '[[case]]\nname = "a rule test, not a rule"\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'nested.toml'), RULE('network where true').replace('00000000-0000-0000-0000-000000000001', 'nested'));
    symlinkSync(dir, join(dir, 'sub', 'loop'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const errorFor = (errors: RuleLoadError[], name: string) => errors.find((e) => e.file?.endsWith(name));

  it('loads the good rules of a folder and reports each bad file with its position', () => {
    const { rules, errors } = loadRules(dir);
    expect(rules.map((r) => r.ruleId).sort()).toEqual(['00000000-0000-0000-0000-000000000001', 'bom', 'nested']);
    expect(errors.map((e) => [e.file!.slice(dir.length + 1), e.code]).sort()).toEqual([
      ['bad-query.toml', 'RULE_QUERY'],
      ['binary.toml', 'RULE_READ'],
      ['duplicate-keys.toml', 'RULE_TOML'],
      ['query-not-string.toml', 'RULE_SCHEMA'],
      ['truncated.toml', 'RULE_TOML'],
      ['unknown-field.toml', 'RULE_QUERY'],
    ]);

    const truncated = errorFor(errors, 'truncated.toml')!;
    expect(truncated.line).toBeGreaterThan(0);
    expect(truncated.column).toBeGreaterThan(0);
    // The position is in the error's fields, within the file's last line, and not repeated in its reason.
    const lastLine = RULE('process where true').slice(0, 120).split('\n')[truncated.line! - 1]!;
    expect(truncated.column).toBeLessThanOrEqual(lastLine.length + 1);
    expect(truncated.reason).not.toMatch(/at row|pos \d/);

    // The query error points into the TOML file: the query starts on line 18.
    const badQuery = errorFor(errors, 'bad-query.toml')!;
    expect({ line: badQuery.line, column: badQuery.column, key: badQuery.key }).toEqual({ line: 19, column: 16, key: 'rule.query' });
    expect(badQuery.cause).toBeInstanceOf(EqlSyntaxError);
    expect(badQuery.message).toMatch(/bad-query\.toml:19:16 \[rule\.query\]: the query does not compile: '=' is not an operator/);

    const notString = errorFor(errors, 'query-not-string.toml')!;
    expect({ key: notString.key, line: notString.line }).toEqual({ key: 'rule.query', line: 17 });
    expect(notString.reason).toMatch(/query must be a string/);

    expect(errorFor(errors, 'binary.toml')!.reason).toMatch(/NUL byte/);
  });

  it('still runs the good rules', () => {
    const { rules } = loadRules(dir);
    const good = rules.find((r) => r.ruleId === 'bom')!;
    expect(good.run([{ '@timestamp': 1, event: { category: 'process' }, process: { name: 'CMD.exe' } }])).toHaveLength(1);
  });

  it('takes globs, files and TOML text', () => {
    expect(
      loadRules(`${dir}/**/*.toml`)
        .rules.map((r) => r.ruleId)
        .sort(),
    ).toEqual(['00000000-0000-0000-0000-000000000001', 'bom', 'nested']);
    expect(loadRules(`${dir}/*.toml`).rules).toHaveLength(2);
    expect(loadRule(join(dir, 'good.toml')).name).toBe('Test rule');
    expect(loadRule(RULE('any where true')).file).toBeNull();
    expect(loadRules(join(dir, 'missing.toml')).errors[0]!.reason).toMatch(/no such file/);
  });

  it('passes over rule tests (*.test.toml) in folders and globs, and refuses one named as a rule', () => {
    for (const pattern of [dir, `${dir}/*.toml`, `${dir}/**/*.toml`]) {
      const { rules, errors } = loadRules(pattern);
      expect(errors.map((e) => e.file).filter((f) => f?.endsWith('.test.toml'))).toEqual([]);
      expect(rules.map((r) => r.file).filter((f) => f?.endsWith('.test.toml'))).toEqual([]);
    }
    expect(() => loadRule(join(dir, 'good.test.toml'))).toThrow(/no \[rule\] table/);
  });

  it('reports a glob that matches nothing, or whose folder does not exist, by the pattern', () => {
    const typo = loadRules(`${dir}/**/*.tml`);
    expect(typo.errors.map((e) => [e.file, e.reason])).toEqual([[`${dir}/**/*.tml`, 'no .toml file matches the pattern']]);
    const noFolder = loadRules(`${dir}/nope/*.toml`);
    expect(noFolder.errors.map((e) => [e.file, e.reason])).toEqual([[`${dir}/nope/*.toml`, `no such folder: ${dir}/nope`]]);
  });

  it('refuses files that are too large', () => {
    const big = join(dir, 'big.toml.bin');
    writeFileSync(big, Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect(() => loadRule(big)).toThrow(/over 4194304 bytes/);
  });
});

describe('negated patterns', () => {
  let dir = '';
  const files: Record<string, string> = {
    'a.toml': 'a',
    'a_test.toml': 'a_test',
    'windows/w.toml': 'w',
    'windows/_deprecated/wd.toml': 'wd',
    '_deprecated/d.toml': 'd',
    'linux/l.toml': 'l',
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eqlkit-negation-'));
    for (const [file, id] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), RULE('process where true').replace('00000000-0000-0000-0000-000000000001', id));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ids = (patterns: string[]) => {
    const { rules, errors } = loadRules(patterns.map((p) => p.replaceAll('{dir}', dir)));
    expect(errors).toEqual([]);
    return rules.map((r) => r.ruleId).sort();
  };

  it.each<[string, string[], string[]]>([
    ['a glob, less a floating glob', ['{dir}/**/*.toml', '!**/_deprecated/**'], ['a', 'a_test', 'l', 'w']],
    ['a folder, less a floating glob', ['{dir}', '!**/_deprecated/**'], ['a', 'a_test', 'l', 'w']],
    ['a file named directly, less a floating glob', ['{dir}/windows/_deprecated/wd.toml', '{dir}/a.toml', '!**/_deprecated/**'], ['a']],
    ['several folders, less one pattern for all', ['{dir}/windows', '{dir}/linux', '!**/_deprecated/**'], ['l', 'w']],
    ['a pattern without a slash: file names at any depth', ['{dir}', '!*_test.toml'], ['a', 'd', 'l', 'w', 'wd']],
    ['a glob below the base the file was found under', ['{dir}', '!{windows,linux}/**'], ['a', 'a_test', 'd']],
    ['a folder path: everything under it', ['{dir}', '!{dir}/windows'], ['a', 'a_test', 'd', 'l']],
    ['a file path', ['{dir}/**/*.toml', '!{dir}/a.toml'], ['a_test', 'd', 'l', 'w', 'wd']],
    ['an anchored glob', ['{dir}', '!{dir}/windows/**/*.toml'], ['a', 'a_test', 'd', 'l']],
    ['a glob whose every match is left out, which is no mistyped pattern', ['{dir}/_deprecated/*.toml', '!**/_deprecated/**'], []],
    ['only negations', ['!**/_deprecated/**'], []],
    ['two negations', ['{dir}', '!**/_deprecated/**', '!{dir}/linux/**'], ['a', 'a_test', 'w']],
    ['a pattern with a folder part, anchored to the current folder as positive ones are', ['{dir}', '!linux/**'], ['a', 'a_test', 'd', 'l', 'w', 'wd']],
  ])('%s', (_, patterns, expected) => {
    expect(ids(patterns)).toEqual(expected);
  });

  it('leaves nothing out that merely shares a prefix with a negated folder', () => {
    expect(ids(['{dir}', '!{dir}/window'])).toEqual(['a', 'a_test', 'd', 'l', 'w', 'wd']);
  });

  it('works with paths relative to the current folder, up and out of it', () => {
    const up = relative(process.cwd(), dir);
    expect(up.startsWith('..')).toBe(true);
    expect(ids([`${up}/**/*.toml`, '!**/_deprecated/**'])).toEqual(['a', 'a_test', 'l', 'w']);
    expect(ids([up, `!${up}/windows`])).toEqual(['a', 'a_test', 'd', 'l']);
  });
});
