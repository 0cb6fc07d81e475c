/**
 * What a rule test file says: its cases, their events as the rule gets them
 * (labels taken out, times written out), the alerts they expect, and, for a
 * file that says something wrong, an error at the line and column of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleTestError } from '../../src/index.js';
import { RuleTestDocument } from '../../src/testing/test-file.js';
import { parseOffset, timeText } from '../../src/testing/time.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqlkit-rule-test-files-'));
  writeFileSync(join(dir, 'events.ndjson'), '{"_id": "from file", "@timestamp": "+2s", "a": 1}\n\n{"b": 2}\n');
  writeFileSync(join(dir, 'broken.ndjson'), '{"a": 1}\n{"b": \n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The cases of a test file's text, as if it were `<dir>/x.test.toml`. */
const casesOf = (text: string, timestampField = '@timestamp') => new RuleTestDocument(text, join(dir, 'x.test.toml')).cases(timestampField);

describe('time offsets', () => {
  it.each([
    ['+0s', 0n],
    ['+1.5s', 1_500_000_000n],
    ['+200ms', 200_000_000n],
    ['+2m', 120_000_000_000n],
    ['+1m30s', 90_000_000_000n],
    ['+1h', 3_600_000_000_000n],
    ['+1d', 86_400_000_000_000n],
    ['-5s', -5_000_000_000n],
    ['+0.5ms', 500_000n],
    ['+1us', 1_000n],
    ['+7ns', 7n],
    ['+0.000000001s', 1n],
  ])('%s is %d ns', (text, ns) => {
    expect(parseOffset(text)).toBe(ns);
  });

  it.each(['+1.5x', '+', '1s', '+1.5 s', '+s', '+0.0000000001s', '+1s+1s', '2026-01-01T00:00:00Z'])('%s is not an offset', (text) => {
    expect(parseOffset(text)).toBeNull();
  });

  it.each([
    [0n, '1970-01-01T00:00:00.000Z'],
    [1_500_000_000n, '1970-01-01T00:00:01.500Z'],
    [1_500_000n, '1970-01-01T00:00:00.001500000Z'],
    [-1n, '1969-12-31T23:59:59.999999999Z'],
  ])('%d ns is written %s', (ns, text) => {
    expect(timeText(ns)).toBe(text);
  });
});

describe('cases', () => {
  it('give each event a time: an offset from the base, or a second after the event before (the first, at the base)', () => {
    const [c] = casesOf(`
base_time = "2026-01-15T10:00:00Z"
[[case]]
name = "times"
alerts = []
events = [
  { _id = "no time" },
  { _id = "no time again" },
  { _id = "offset", "@timestamp" = "+0.5s" },
  { _id = "after the offset" },
  { _id = "absolute", "@timestamp" = "2026-02-01T00:00:00.123456Z" },
  { _id = "after the absolute" },
  { _id = "epoch", "@timestamp" = 1000 },
  { _id = "negative", "@timestamp" = "-1m" },
]
`);
    expect(c!.events.map((e) => [e.name, e.event['@timestamp']])).toEqual([
      ['no time', '2026-01-15T10:00:00.000Z'],
      ['no time again', '2026-01-15T10:00:01.000Z'],
      ['offset', '2026-01-15T10:00:00.500Z'],
      ['after the offset', '2026-01-15T10:00:01.500Z'],
      ['absolute', '2026-02-01T00:00:00.123456Z'],
      ['after the absolute', '2026-02-01T00:00:01.123456000Z'],
      ['epoch', 1000],
      ['negative', '2026-01-15T09:59:00.000Z'],
    ]);
  });

  it("write times into the rule's timestamp field, nested as other fields are", () => {
    const [c] = casesOf(
      `
[[case]]
name = "a nested time field"
base_time = 2026-01-15T10:00:00Z
alerts = []
events = [{ event.created = "+1s", event.category = "process" }, { event = { category = "process" } }]
`,
      'event.created',
    );
    expect(c!.events.map((e) => e.event)).toEqual([{ event: { created: '2026-01-15T10:00:01.000Z', category: 'process' } }, { event: { created: '2026-01-15T10:00:02.000Z', category: 'process' } }]);
  });

  it('start from 2026-01-01T00:00:00Z without a base time, and a case base time overrides the file one', () => {
    const cases = casesOf(`
base_time = "2030-05-05T05:05:05Z"
[[case]]
name = "the file's"
alerts = []
events = [{ "@timestamp" = "+0s" }]
[[case]]
name = "its own"
base_time = "2031-01-01T00:00:00Z"
alerts = []
events = [{ "@timestamp" = "+0s" }]
`);
    expect(cases.map((c) => c.events[0]!.event['@timestamp'])).toEqual(['2030-05-05T05:05:05.000Z', '2031-01-01T00:00:00.000Z']);
    expect(casesOf('[[case]]\nname = "no base"\nalerts = []\nevents = [{ a = 1 }]\n')[0]!.events[0]!.event['@timestamp']).toBe('2026-01-01T00:00:00.000Z');
  });

  it('name events by _id (taken out of the event), by id_field (left in), or by place', () => {
    const [byId, byField] = casesOf(`
[[case]]
name = "by _id and by place"
alerts = [["net", 1], [0]]
events = [{ _id = "net", x = 1 }, { x = 2 }]
[[case]]
name = "by a field"
id_field = "event.id"
alerts = [["n-1"]]
events = [{ event.id = "n-1" }, { _id = "own", event.id = "n-2" }]
`);
    expect(byId!.events.map((e) => [e.index, e.name, e.event.x, '_id' in e.event])).toEqual([
      [0, 'net', 1, false],
      [1, '#1', 2, false],
    ]);
    expect(byId!.alerts).toEqual([['net', '#1'], ['net']]);
    expect(byField!.events.map((e) => e.name)).toEqual(['n-1', 'own']);
    expect(byField!.events[0]!.event).toMatchObject({ event: { id: 'n-1' } });
  });

  it('take events as [[case.events]] tables, inline tables, JSON text (an array or NDJSON), or a file beside the test file', () => {
    const cases = casesOf(`
[[case]]
name = "tables"
alerts = []
[[case.events]]
_id = "t"
process.name = "cmd.exe"
"event.category" = "process"

[[case]]
name = "json array"
alerts = []
events = '[{"_id": "j", "process": {"name": "cmd.exe"}}]'

[[case]]
name = "ndjson"
alerts = []
events = """
{"_id": "n1"}

{"_id": "n2"}
"""

[[case]]
name = "file"
alerts = [["from file"]]
events_file = "events.ndjson"
`);
    expect(cases.map((c) => c.events.map((e) => e.name))).toEqual([['t'], ['j'], ['n1', 'n2'], ['from file', '#1']]);
    expect(cases[0]!.events[0]!.event).toEqual({ process: { name: 'cmd.exe' }, 'event.category': 'process', '@timestamp': '2026-01-01T00:00:00.000Z' });
    expect(cases[3]!.events.map((e) => e.event)).toEqual([
      { '@timestamp': '2026-01-01T00:00:02.000Z', a: 1 },
      { '@timestamp': '2026-01-01T00:00:03.000Z', b: 2 },
    ]);
  });

  it('give TOML date-times to events as ISO-8601 text, and integers as numbers', () => {
    const [c] = casesOf('[[case]]\nname = "values"\nalerts = []\nevents = [{ created = 2026-03-01T12:00:00+01:00, n = 42, f = 1.5, list = [1, 2] }]\n');
    expect(c!.events[0]!.event).toMatchObject({ created: '2026-03-01T11:00:00.000Z', n: 42, f: 1.5, list: [1, 2] });
  });

  it('know the line of each case', () => {
    const cases = casesOf('# two cases\n\n[[case]]\nname = "a"\nalerts = []\nevents = [{}]\n\n[[case]]\nname = "b"\nalerts = []\nevents = [{}]\n');
    expect(cases.map((c) => [c.name, c.line])).toEqual([
      ['a', 3],
      ['b', 8],
    ]);
  });

  it('name the rule beside the test file, or the one its rule key names', () => {
    expect(new RuleTestDocument('[[case]]\n', '/r/windows/wmi.test.toml').rulePath()).toBe('/r/windows/wmi.toml');
    expect(new RuleTestDocument('rule = "../linux/x.toml"\n[[case]]\n', '/r/windows/wmi.test.toml').rulePath()).toBe('/r/linux/x.toml');
    expect(new RuleTestDocument('rule = "rules/linux/x.toml"\n[[case]]\n', '/t/wmi.test.toml').rulePath('/corpus')).toBe('/corpus/rules/linux/x.toml');
  });
});

const ONE_EVENT = 'events = [{ _id = "a" }]';

/** [what is wrong, the file's text, the code, line, column, and what the reason says]. */
const MISTAKES: Array<[string, string, string, number | null, number | null, RegExp]> = [
  ['a TOML syntax error', '[[case]]\nname = "x\n', 'RULE_TEST_TOML', 2, 10, /invalid TOML: Unterminated string/],
  ['no case at all', 'rule = "r.toml"\n', 'RULE_TEST_SCHEMA', null, null, /the file has no case: add one with \[\[case\]\]/],
  ['cases that are not tables', 'case = "x"\n', 'RULE_TEST_SCHEMA', 1, 1, /case must be an array of tables \(\[\[case\]\]\), not a string/],
  ['an unknown key at the top', 'rules = "r.toml"\n[[case]]\nname = "x"\n', 'RULE_TEST_SCHEMA', 1, 1, /unknown key "rules" in the file: did you mean rule\?/],
  ['an unknown key in a case', `[[case]]\nname = "x"\n${ONE_EVENT}\n  alert = []\n`, 'RULE_TEST_SCHEMA', 4, 3, /unknown key "alert" in \[\[case\]\]: did you mean alerts\?/],
  ['a case without a name', `[[case]]\nalerts = []\n${ONE_EVENT}\n`, 'RULE_TEST_SCHEMA', 1, 1, /the case has no name/],
  [
    'two cases of one name',
    `[[case]]\nname = "x"\nalerts = []\n${ONE_EVENT}\n[[case]]\nname = "x"\nalerts = []\n${ONE_EVENT}\n`,
    'RULE_TEST_SCHEMA',
    6,
    1,
    /two cases are named "x" \(cases 0 and 1\)/,
  ],
  ['events and an events file', `[[case]]\nname = "x"\nalerts = []\n${ONE_EVENT}\nevents_file = "e.ndjson"\n`, 'RULE_TEST_SCHEMA', 5, 1, /give events or events_file, not both/],
  ['no events', '[[case]]\nname = "x"\nalerts = []\n', 'RULE_TEST_SCHEMA', 1, 1, /the case has no events/],
  ['no alerts', `[[case]]\nname = "x"\n${ONE_EVENT}\n`, 'RULE_TEST_SCHEMA', 1, 1, /the case has no alerts: list the alerts it expects/],
  ['alerts that are not a list', `[[case]]\nname = "x"\n${ONE_EVENT}\nalerts = "none"\n`, 'RULE_TEST_SCHEMA', 4, 1, /alerts must be a list of alerts.*not a string \("none"\)/],
  [
    'an alert of no event',
    `[[case]]\nname = "x"\n${ONE_EVENT}\nalerts = [[]]\n`,
    'RULE_TEST_SCHEMA',
    4,
    1,
    /alerts\[0\] is empty: an alert holds at least one event \(for no alert, write alerts = \[\]\)/,
  ],
  [
    'an alert naming a label no event has',
    '[[case]]\nname = "x"\nevents = [{ _id = "net" }, { _id = "proc" }]\nalerts = [["net", "prc"]]\n',
    'RULE_TEST_SCHEMA',
    4,
    19,
    /alerts\[0\] names the event "prc", which the case does not have: did you mean "proc"\?/,
  ],
  [
    'an alert naming a place past the events',
    `[[case]]\nname = "x"\n${ONE_EVENT}\nalerts = [[0, 1]]\n`,
    'RULE_TEST_SCHEMA',
    4,
    1,
    /names the event at place 1, but the case has 1 event \(places 0 to 0\)/,
  ],
  ['two events of one label', '[[case]]\nname = "x"\nalerts = []\nevents = [{ _id = "a" }, { _id = "a" }]\n', 'RULE_TEST_SCHEMA', 4, 34, /events 0 and 1 are both labelled "a"/],
  ['a label that starts with #', '[[case]]\nname = "x"\nalerts = []\nevents = [{ _id = "#1" }]\n', 'RULE_TEST_SCHEMA', 4, 19, /does not start with #/],
  [
    'an offset with an unknown unit, in a table',
    '[[case]]\nname = "x"\nalerts = []\n[[case.events]]\n_id = "a"\n"@timestamp" = "+1.5x"\n',
    'RULE_TEST_SCHEMA',
    6,
    16,
    /events\[0\].@timestamp is "\+1.5x", not a time offset: write \+1.5s, \+200ms, -2m or \+1m30s/,
  ],
  ['an offset with a space, inline', '[[case]]\nname = "x"\nalerts = []\nevents = [\n  { "@timestamp" = "+2 s" },\n]\n', 'RULE_TEST_SCHEMA', 5, 20, /"\+2 s", not a time offset/],
  ['a base time that is no time', '[[case]]\nname = "x"\nbase_time = "soon"\nalerts = []\nevents = [{}]\n', 'RULE_TEST_SCHEMA', 3, 1, /base_time must be an ISO-8601 time.*not a string \("soon"\)/],
  ['a file base time that is no time', 'base_time = 12.5e99\n[[case]]\nname = "x"\nalerts = []\nevents = [{}]\n', 'RULE_TEST_SCHEMA', 1, 1, /base_time must be an ISO-8601 time/],
  ['an id_field that is not text', '[[case]]\nname = "x"\nid_field = 3\nalerts = []\nevents = [{}]\n', 'RULE_TEST_SCHEMA', 3, 1, /id_field must be a non-empty string, not a number \(3\)/],
  [
    'a local date-time in an event',
    '[[case]]\nname = "x"\nalerts = []\n[[case.events]]\nseen = 2026-01-01T10:00:00\n',
    'RULE_TEST_SCHEMA',
    5,
    1,
    /events\[0\].seen is a local date or time, which names no instant/,
  ],
  ['an integer beyond 2^53', '[[case]]\nname = "x"\nalerts = []\n[[case.events]]\nbig = 9007199254740993\n', 'RULE_TEST_SCHEMA', 5, 1, /events\[0\].big is an integer beyond 2\^53/],
  ['a bad NDJSON line in events', `[[case]]\nname = "x"\nalerts = []\nevents = '''\n{"a": 1}\n{"a": \n'''\n`, 'RULE_TEST_EVENTS', 6, 1, /events, line 2: not JSON/],
  ['a JSON value that is not an event', `[[case]]\nname = "x"\nalerts = []\nevents = '[1]'\n`, 'RULE_TEST_EVENTS', 4, 1, /item 0 of the array is a number \(1\), not an event/],
  ['events that are neither tables nor text', '[[case]]\nname = "x"\nalerts = []\nevents = 3\n', 'RULE_TEST_SCHEMA', 4, 1, /events must be tables or JSON text, not a number \(3\)/],
  ['a missing events file', '[[case]]\nname = "x"\nalerts = []\nevents_file = "nope.ndjson"\n', 'RULE_TEST_EVENTS', 4, 1, /cannot read the events file .*nope\.ndjson/],
];

describe('a test file that says something wrong', () => {
  it.each(MISTAKES)('%s: %s at its line and column', (_what, text, code, line, column, reason) => {
    let error: unknown;
    try {
      casesOf(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleTestError);
    const e = error as RuleTestError;
    expect({ code: e.code, line: e.line, column: e.column, file: e.file }).toEqual({ code, line, column, file: join(dir, 'x.test.toml') });
    expect(e.reason).toMatch(reason);
    // The message leads with the position, and frames the line when there is one.
    expect(e.message.startsWith(`${join(dir, 'x.test.toml')}${line === null ? '' : `:${line}:${column}`}`)).toBe(true);
    if (line !== null) expect(e.frame).toContain(`> ${line} | `);
  });

  it('points into the events file for a bad line there', () => {
    let error: RuleTestError | null = null;
    try {
      casesOf('[[case]]\nname = "x"\nalerts = []\nevents_file = "broken.ndjson"\n');
    } catch (e) {
      error = e as RuleTestError;
    }
    expect(error).toMatchObject({ code: 'RULE_TEST_EVENTS', file: join(dir, 'broken.ndjson'), line: 2, column: 1 });
    expect(error!.reason).toMatch(/^not JSON/);
  });
});
