import { describe, expect, it, vi } from 'vitest';
import { SequenceMatcher } from '../../src/engine/sequence.js';
import { parseRule, RuleSet, type Event } from '../../src/index.js';
import { buildRuleIndex, type CategoryIndex } from '../../src/rules/rule-index.js';
import { testRule } from '../helpers/rules.js';

const rule = testRule;

const ev = (t: number, cat: string, fields: Record<string, unknown> = {}): Event => ({ '@timestamp': t, event: { category: cat }, ...fields });

describe('RuleSet', () => {
  const rules = [
    rule('proc', 'process where process.name : "cmd.exe"'),
    rule('seq', 'sequence by host.id with maxspan=10s [network where true] [process where true]'),
    rule('any', 'any where user.name == "root"'),
    rule('aws', 'info where event.action == "x"', 'event_category_override = "event.type"'),
    parseRule(`[rule]
rule_id = "kql"
name = "kql"
type = "query"
language = "kuery"
query = "process.name: cmd.exe"
`),
  ];
  const events = [
    ev(1, 'network', { host: { id: 'h1' } }),
    ev(2, 'process', { host: { id: 'h1' }, process: { name: 'CMD.EXE' } }),
    ev(3, 'file', { user: { name: 'root' } }),
    { '@timestamp': 4, event: { type: ['info'], action: 'x' } },
    ev(5, 'dns', {}),
  ];

  it('runs only the EQL rules and lists the others as skipped', () => {
    const set = new RuleSet(rules);
    expect(set.rules.map((r) => r.ruleId)).toEqual(['proc', 'seq', 'any', 'aws']);
    expect(set.skipped.map((r) => r.ruleId)).toEqual(['kql']);
  });

  it('gives the alerts of every rule run alone, in event order', () => {
    const set = new RuleSet(rules);
    const together = set.run(events).map((a) => `${a.rule.rule_id}@${a.last_event_time}`);
    const alone = rules.filter((r) => r.executable).flatMap((r) => r.run(events).map((a) => `${a.rule.rule_id}@${a.last_event_time}`));
    expect([...together].sort()).toEqual([...alone].sort());
    expect(together).toEqual(['proc@1970-01-01T00:00:00.002Z', 'seq@1970-01-01T00:00:00.002Z', 'any@1970-01-01T00:00:00.003Z', 'aws@1970-01-01T00:00:00.004Z']);
  });

  it('with lazyTimestamps, reports an unreadable time once, however many rules use the event, and gives none of them the event', () => {
    const errors: number[] = [];
    const set = new RuleSet([rule('a', 'process where true'), rule('b', 'any where process.name == "x"'), rule('c', 'file where true')]);
    const m = set.matcher({ lazyTimestamps: true, onError: (e) => errors.push(e.index) });
    expect(m.push(ev(0, 'process', { '@timestamp': 'soon', process: { name: 'x' } }))).toEqual([]);
    expect(m.push(ev(1, 'process', { process: { name: 'x' } })).map((a) => a.rule.rule_id)).toEqual(['a', 'b']);
    expect(errors).toEqual([0]);
    expect(m.stats()).toMatchObject({ eventsSeen: 2, errors: 1 });
  });

  it('dispatches an event only to rules whose category and required values it has', () => {
    const m = new RuleSet(rules).matcher();
    for (const e of events) m.push(e);
    m.flush();
    // network → seq; process named cmd.exe → proc, seq; file of user root → any;
    // info with action x (by event.type) → aws; dns → nothing.
    expect(m.stats().dispatched).toBe(1 + 2 + 1 + 1 + 0);
  });

  it('reaches an `any` rule through every category index, once per event, and without a category', () => {
    const set = new RuleSet([rules[0]!, rules[2]!]);
    const root = { user: { name: 'root' } };
    const input: Event[] = [
      ev(1, 'process', root),
      { '@timestamp': 2, event: { category: ['process', 'file'] }, ...root },
      { '@timestamp': 3, event: { category: ['dns', 'x'] }, ...root },
      { '@timestamp': 4, ...root },
      ev(5, 'process', { process: { name: 'cmd.exe' }, ...root }),
    ];
    const m = set.matcher();
    const alerts = input.flatMap((e) => m.push(e)).concat(m.flush());
    expect(alerts.map((a) => `${a.rule.rule_id}@${a.last_event_time}`)).toEqual([
      'any@1970-01-01T00:00:00.001Z',
      'any@1970-01-01T00:00:00.002Z',
      'any@1970-01-01T00:00:00.003Z',
      'any@1970-01-01T00:00:00.004Z',
      'proc@1970-01-01T00:00:00.005Z',
      'any@1970-01-01T00:00:00.005Z',
    ]);
    expect(m.stats().dispatched).toBe(6);
  });

  it('indexes numbers, booleans, optional fields, non-ASCII substrings and the texts regexes require, and still misses nothing', () => {
    const set = new RuleSet([
      rule('num', 'process where problemchild.prediction == 1'),
      rule('bool', 'process where process.interactive == true'),
      rule('opt', 'any where ?dll.name : "mstscax.dll"'),
      rule('rtlo', 'any where file.path : "*\u{202E}*"'),
      rule('ports', 'network where destination.port in (22, 3389)'),
      rule('spaces', 'process where process.command_line regex ".*[ ]{20,}.*"'),
    ]);
    const events = [
      ev(1, 'process', { problemchild: { prediction: 1 } }),
      ev(2, 'process', { problemchild: { prediction: '1' } }),
      ev(3, 'process', { problemchild: { prediction: 2 } }),
      ev(4, 'process', { problemchild: { prediction: 1.5 } }),
      ev(5, 'process', { process: { interactive: true } }),
      ev(6, 'process', { process: { interactive: 'true' } }),
      ev(7, 'process', { process: { interactive: false } }),
      ev(8, 'library', { dll: { name: 'MSTSCAX.DLL' } }),
      ev(9, 'library', { dll: { name: 'other.dll' } }),
      ev(10, 'file', { file: { path: 'C:\\x\u202Etxt.exe' } }),
      ev(11, 'file', { file: { path: 'C:\\x.txt' } }),
      ev(12, 'network', { destination: { port: 22 } }),
      ev(13, 'network', { destination: { port: '3389' } }),
      ev(14, 'network', { destination: { port: 80 } }),
      ev(15, 'process', { process: { command_line: `cmd${' '.repeat(25)}/c` } }),
      ev(16, 'process', { process: { command_line: `cmd${' '.repeat(5)}/c` } }),
    ];
    const m = set.matcher();
    const alerts = events.flatMap((e) => m.push(e)).map((a) => `${a.rule.rule_id}@${String(a.last_event_time).slice(20, 23)}`);
    const alone = set.rules.flatMap((r) => r.run(events).map((a) => `${a.rule.rule_id}@${String(a.last_event_time).slice(20, 23)}`));
    expect([...alerts].sort()).toEqual([...alone].sort());
    expect(alerts).toEqual(['num@001', 'num@002', 'bool@005', 'bool@006', 'opt@008', 'rtlo@010', 'ports@012', 'ports@013', 'spaces@015']);
    // Each event reaches only the rule it matches.
    expect(m.stats().dispatched).toBe(9);
  });

  it('checks a second requirement of a stage before handing a rule the event', () => {
    const set = new RuleSet([rule('guarded', 'process where host.os.type == "linux" and process.name : "sh" and event.type in ("start", "exec")')]);
    const m = set.matcher();
    const shell = (t: number, os: unknown, type: unknown) => ev(t, 'process', { host: { os: { type: os } }, process: { name: 'SH' }, event: { category: 'process', type } });
    const alerts = [shell(1, 'windows', 'start'), shell(2, 'linux', 'start'), shell(3, ['macos', 'linux'], ['end', 'exec']), shell(4, 'linux', 'end'), shell(5, undefined, 'start')].flatMap((e) =>
      m.push(e),
    );
    expect(alerts.map((a) => a.last_event_time)).toEqual(['1970-01-01T00:00:00.002Z', '1970-01-01T00:00:00.003Z']);
    // The name is indexed; the OS, the better of the other two, is checked first: 1 and 5 never reach the rule.
    expect(m.stats().dispatched).toBe(3);
  });

  describe('split by the value most rules require of a field with few values (host.os.type)', () => {
    // Enough rules pinned to one OS each for the split to pay, some pinned by a
    // disjunction or a case-insensitive match, some to no OS at all.
    const pinned = [
      ...Array.from({ length: 14 }, (_, i) => rule(`win${i}`, `process where host.os.type == "windows" and process.args_count >= ${i}`)),
      ...Array.from({ length: 14 }, (_, i) => rule(`lin${i}`, `process where host.os.type : "Linux" and process.args_count >= ${i}`)),
      ...Array.from({ length: 6 }, (_, i) => rule(`mac${i}`, `process where host.os.type in ("macos") and process.args_count >= ${i}`)),
      rule('either', 'process where (host.os.type == "linux" and user.id == "0") or (host.os.type == "macos" and user.name == "root")'),
      rule('never', 'process where host.os.type == "linux" and host.os.type == "windows"'),
      rule('no-os', 'process where process.args_count >= 2'),
      rule('any-os', 'any where process.args_count >= 3 and host.os.type == "windows"'),
      rule('seq', 'sequence by host.id [process where host.os.type == "linux" and process.args_count >= 1] [process where host.os.type == "windows"]'),
    ];
    const proc = (t: number, os: unknown, extra: Record<string, unknown> = {}) => ev(t, 'process', { host: { id: 'h', os: { type: os } }, process: { args_count: 3 }, ...extra });
    const events = [
      proc(1, 'windows'),
      proc(2, 'linux', { user: { id: '0' } }),
      proc(3, 'Windows'),
      proc(4, ['macos', 'linux'], { user: { name: 'root' } }),
      proc(5, undefined),
      proc(6, 'solaris'),
      proc(7, 5),
      proc(8, 'linux'),
      proc(9, 'windows'),
      ev(10, 'process', { host: { id: 'h', 'os.type': 'linux' }, process: { args_count: 3 } }),
      ev(11, 'file', { host: { os: { type: 'windows' } }, process: { args_count: 3 } }),
    ];

    const splitOf = (index: CategoryIndex | undefined) => (index?.kind === 'split' ? { field: index.field, values: [...index.byValue.keys()].sort() } : null);

    it('splits a category by the field most of its rules pin, when that pays', () => {
      const [group] = buildRuleIndex(new RuleSet(pinned).rules);
      expect(splitOf(group!.byCategory.get('process'))).toEqual({ field: 'host.os.type', values: ['linux', 'macos', 'windows'] });
      // Few rules: filed as they are.
      expect(splitOf(buildRuleIndex(new RuleSet(pinned.slice(0, 20)).rules)[0]!.byCategory.get('process'))).toBeNull();
    });

    it('does not split when each value is pinned by a few rules and many pin none', () => {
      // Every part would hold the 30 rules without a dataset again.
      const spread = [
        ...Array.from({ length: 30 }, (_, i) => rule(`d${i}`, `process where data_stream.dataset == "set${i % 10}" and process.args_count >= ${i}`)),
        ...Array.from({ length: 30 }, (_, i) => rule(`o${i}`, `process where process.args_count >= ${i}`)),
      ];
      expect(splitOf(buildRuleIndex(new RuleSet(spread).rules)[0]!.byCategory.get('process'))).toBeNull();
    });

    it('gives the alerts of every rule run alone', () => {
      const alerts = new RuleSet(pinned).run(events).map((a) => `${a.rule.rule_id}@${a.last_event_time}`);
      const alone = pinned.flatMap((r) => r.run(events).map((a) => `${a.rule.rule_id}@${a.last_event_time}`));
      expect([...alerts].sort()).toEqual([...alone].sort());
      // The split field being the one a rule reads with case rules of its own: `:` folds, `==` does not.
      expect(alerts.filter((a) => a.endsWith('@1970-01-01T00:00:00.003Z')).map((a) => a.split('@')[0])).toEqual(['no-os']);
      expect(alone.length).toBeGreaterThan(40);
    });

    it('walks the part of a value (and the index of a category) once, however often the event repeats it', () => {
      const m = new RuleSet(pinned).matcher();
      // The sequence's second stage is filed in the Windows part and asked each time that part is walked.
      const wants = vi.spyOn(SequenceMatcher.prototype, 'wants');
      try {
        m.push(
          proc(
            1,
            Array.from({ length: 10_000 }, () => 'windows'),
          ),
        );
        expect(wants).toHaveBeenCalledTimes(1);
        // The same for an event's categories.
        m.push(ev(2, 'process', { event: { category: Array.from({ length: 10_000 }, () => 'process') }, host: { id: 'h', os: { type: 'windows' } } }));
        expect(wants).toHaveBeenCalledTimes(2);
      } finally {
        wants.mockRestore();
      }
    });

    it('hands an event only to the rules that require its value, or none', () => {
      const m = new RuleSet(pinned).matcher();
      m.push(proc(1, 'windows'));
      // 14 Windows rules, the rule without an OS, the `any` one and the second stage of
      // the sequence, which waits for nothing yet and is not asked.
      expect(m.stats().dispatched).toBe(16);
      m.push(proc(2, 'solaris'));
      expect(m.stats().dispatched).toBe(17);
      m.push(proc(3, ['linux', 'macos']));
      // 14 + 6 + the sequence's first stage + no-os, each once; `either` also needs a user it does not have.
      expect(m.stats().dispatched).toBe(17 + 22);
    });
  });

  it('hands a rule that tests fields for a value only the events that have them', () => {
    const set = new RuleSet([
      rule('container', 'process where event.type == "start" and container.id like "?*" and process.args_count > 1'),
      rule('exe', 'process where ?process.executable != null and process.name : "sh"'),
    ]);
    const events = [
      ev(1, 'process', { event: { category: 'process', type: 'start' }, process: { args_count: 2, name: 'sh' } }),
      ev(2, 'process', { event: { category: 'process', type: 'start' }, container: { id: 'c1' }, process: { args_count: 2, name: 'sh', executable: '/bin/sh' } }),
      ev(3, 'process', { event: { category: 'process', type: 'start' }, container: { id: '' }, process: { args_count: 2, name: 'SH', executable: [null] } }),
      ev(4, 'process', { event: { category: 'process', type: 'start' }, 'container.id': 'c2', process: { args_count: 2, name: 'sh', executable: ['/bin/sh'] } }),
    ];
    const m = set.matcher();
    const alerts = events.flatMap((e) => m.push(e)).map((a) => `${a.rule.rule_id}@${a.last_event_time}`);
    expect(alerts).toEqual(['container@1970-01-01T00:00:00.002Z', 'exe@1970-01-01T00:00:00.002Z', 'container@1970-01-01T00:00:00.004Z', 'exe@1970-01-01T00:00:00.004Z']);
    expect(alerts.sort()).toEqual(set.rules.flatMap((r) => r.run(events).map((a) => `${a.rule.rule_id}@${a.last_event_time}`)).sort());
    // Event 1 has neither field; event 3 has an empty container id (a value) but no executable.
    expect(m.stats().dispatched).toBe(5);
  });

  it('hands a sequence an event for a later stage only while some sequence waits for that stage', () => {
    const set = new RuleSet([rule('later', 'sequence by host.id [network where destination.port == 22] [process where process.name : "sh"]')]);
    const m = set.matcher();
    const shell = (t: number) => ev(t, 'process', { host: { id: 'h' }, process: { name: 'sh' } });
    m.push(shell(1));
    expect(m.stats().dispatched).toBe(0);
    m.push(ev(2, 'network', { host: { id: 'h' }, destination: { port: 22 } }));
    expect(m.push(shell(3)).map((a) => a.rule.rule_id)).toEqual(['later']);
    m.push(shell(4));
    expect(m.stats().dispatched).toBe(2);
  });

  it('still hands every event a rule could match to it, whatever its values', () => {
    const set = new RuleSet([rule('names', 'process where process.name : ("A.EXE", "b.exe") or process.name == "c.exe"')]);
    const out = set.run([
      ev(1, 'process', { process: { name: 'a.exe' } }),
      ev(2, 'process', { process: { name: ['x', 'B.EXE'] } }),
      ev(3, 'process', { process: { name: 'C.exe' } }),
      ev(4, 'process', { process: { name: 'c.exe' } }),
      // Dotted keys, at the top and further down, reach the rules indexed on the field too.
      ev(5, 'process', { 'process.name': 'a.exe' }),
      ev(6, 'process', { process: { 'name.x': 1, name: 'b.exe' } }),
      ev(7, 'process', { 'process.pid': 1, process: { name: 'a.exe' } }),
    ]);
    expect(out.map((a) => a.last_event_time)).toEqual([
      '1970-01-01T00:00:00.001Z',
      '1970-01-01T00:00:00.002Z',
      '1970-01-01T00:00:00.004Z',
      '1970-01-01T00:00:00.005Z',
      '1970-01-01T00:00:00.006Z',
      '1970-01-01T00:00:00.007Z',
    ]);
  });

  it.each([[['by-category', 'by-any']], [['by-any', 'by-category']]])('gives the alerts of one event in the order of the rules (%j), whatever the index visits first', (order) => {
    const queries: Record<string, string> = { 'by-category': 'process where process.name : "cmd.exe"', 'by-any': 'any where process.name : "cmd.exe"' };
    const set = new RuleSet(order.map((id) => rule(id, queries[id]!)));
    const alerts = set.run([ev(1, 'process', { process: { name: 'cmd.exe' } })]);
    expect(alerts.map((a) => a.rule.rule_id)).toEqual(order);
  });

  it('streams the same alerts', async () => {
    const set = new RuleSet(rules);
    const streamed: string[] = [];
    for await (const a of set.stream(events)) streamed.push(a.id);
    expect(streamed).toEqual(set.run(events).map((a) => a.id));
  });

  it('reports unusable events once, not once per rule', () => {
    const errors: number[] = [];
    new RuleSet(rules).run([ev(1, 'process'), { event: { category: 'process' } }], { onError: (e) => errors.push(e.index) });
    expect(errors).toEqual([1]);
  });
});

describe('RuleSet in batch and in a stream', () => {
  const slow = rule('slow', 'sequence by host [process where x == "a"] [process where x == "b"]');
  const events = [ev(0, 'process', { host: 'h', x: 'a' }), ev(10 * 60_000, 'process', { host: 'h', x: 'b' })];

  it('in batch gives what each rule gives alone, with no look-back window on its state', () => {
    expect(slow.run(events)).toHaveLength(1);
    expect(new RuleSet([slow]).run(events)).toHaveLength(1);
  });

  it("in a stream keeps a sequence's state for the rule's look-back (Kibana's now-6m without from)", () => {
    const m = new RuleSet([slow]).matcher();
    expect([...events.flatMap((e) => m.push(e)), ...m.flush()]).toHaveLength(0);
    const m9 = new RuleSet([rule('slow9', 'sequence by host [process where x == "a"] [process where x == "b"]', 'from = "now-11m"')]).matcher();
    expect([...events.flatMap((e) => m9.push(e)), ...m9.flush()]).toHaveLength(1);
  });

  it('refuses rules whose timestamps are mapped differently, since events are ordered once for all', () => {
    const mapped = (type: string) =>
      parseRule(`[rule]\nrule_id = "${type}"\nname = "${type}"\ntype = "eql"\nlanguage = "eql"\nquery = 'process where true'\n`, {
        schema: { '@timestamp': type as 'date', 'event.category': 'keyword' },
      });
    expect(() => new RuleSet([mapped('date'), mapped('date_nanos')])).toThrow(/mapped alike/);
    expect(() => new RuleSet([mapped('date'), mapped('date')])).not.toThrow();
  });
});

describe('RuleSet with no rule to run', () => {
  const events: Event[] = [ev(1, 'process'), { '@timestamp': '2026-01-15T10:00:00Z', event: { category: 'file' } }, ev(3, 'network')];
  const notEql = parseRule(`[rule]\nrule_id = "kql"\nname = "kql"\ntype = "query"\nlanguage = "kuery"\nquery = "process.name: cmd.exe"\n`);

  it.each([
    ['no rules', [] as ReturnType<typeof rule>[]],
    ['only rules that are not EQL', [notEql]],
  ])('with %s, takes timed events quietly and gives no alerts', async (_, rules) => {
    const set = new RuleSet(rules);
    const errors: string[] = [];
    const onError = (e: { message: string }) => errors.push(e.message);
    expect(set.run(events, { onError })).toEqual([]);

    const m = set.matcher({ onError });
    expect([...events.flatMap((e) => m.push(e)), ...m.pushLine(JSON.stringify(ev(4, 'dns'))), ...m.flush()]).toEqual([]);
    expect(m.stats()).toMatchObject({ eventsSeen: 4, errors: 0, alerts: 0, dispatched: 0 });

    const streamed: unknown[] = [];
    for await (const a of set.stream(events, { onError })) streamed.push(a);
    expect(streamed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reports what any rule set reports: events without a readable @timestamp, bad JSON, late events', () => {
    const set = new RuleSet([]);
    const codes: string[] = [];
    const m = set.matcher({ onError: (e) => codes.push(`${e.index}:${e.code}`), onLate: (e) => codes.push(`${e.index}:${e.code}`) });
    m.push(ev(10, 'process'));
    m.push({ event: { category: 'process' } });
    m.pushLine('{not json');
    m.push(ev(5, 'process'));
    m.flush();
    expect(codes).toEqual(['1:EQL_EVENT_TIMESTAMP', '2:EQL_EVENT_NOT_JSON', '3:EQL_EVENT_LATE']);
    // The same events give the same errors to a set with one rule.
    const withRule: string[] = [];
    const one = new RuleSet([rule('one', 'process where false')]).matcher({ onError: (e) => withRule.push(`${e.index}:${e.code}`), onLate: (e) => withRule.push(`${e.index}:${e.code}`) });
    one.push(ev(10, 'process'));
    one.push({ event: { category: 'process' } });
    one.pushLine('{not json');
    one.push(ev(5, 'process'));
    one.flush();
    expect(withRule).toEqual(codes);
  });
});
