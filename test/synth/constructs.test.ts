/**
 * Synthesis, construct by construct: for each query, the witness makes the
 * engine fire, each near miss does not, and the values show the construct
 * was understood (a regex's match, an address in the block, a text of the
 * length asked for). The engine is run here again, on the events returned.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Event, type NearMissKind, schemaFromMapping, synthesize } from '../../src/index.js';

/** A field's values in an event, as a list (dotted names through nested objects). */
function valuesOf(event: Event, name: string): unknown[] {
  let node: unknown = event;
  for (const segment of name.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
    node = (node as Record<string, unknown>)[segment];
  }
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

const one = (event: Event, name: string): unknown => {
  const values = valuesOf(event, name);
  expect(values, name).toHaveLength(1);
  return values[0];
};

const inIpv4Block = (address: unknown, block: string): boolean => {
  const [net, bits] = block.split('/');
  const n = (a: string) => a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  if (typeof address !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) return false;
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (n(address) & mask) >>> 0 === (n(net!) & mask) >>> 0;
};

interface Case {
  readonly query: string;
  /** What the witness's events must show, beyond firing. */
  readonly shows?: (events: Event[]) => void;
  /** Near-miss kinds that must be among those given. */
  readonly kinds?: readonly NearMissKind[];
}

const CASES: Record<string, Case> = {
  '== on text': { query: 'process where process.name == "cmd.exe"', shows: ([e]) => expect(one(e!, 'process.name')).toBe('cmd.exe') },
  '!= beside a wildcard': { query: 'process where process.name != "cmd.exe" and process.name : "*.exe"', shows: ([e]) => expect(one(e!, 'process.name')).not.toBe('cmd.exe') },
  '< and > on numbers': { query: 'process where process.pid > 100 and process.pid < 103', shows: ([e]) => expect([101, 102]).toContain(one(e!, 'process.pid')) },
  '<= and >= on numbers': { query: 'network where destination.port >= 1024 and destination.port <= 1024', shows: ([e]) => expect(one(e!, 'destination.port')).toBe(1024) },
  'a decimal bound': { query: 'any where ml.score >= 0.98', shows: ([e]) => expect(one(e!, 'ml.score') as number).toBeGreaterThanOrEqual(0.98) },
  ': with ? and *': {
    query: 'process where process.name : "cmd?.exe" and process.executable : "?:\\\\Windows\\\\*\\\\*.exe"',
    shows: ([e]) => expect(one(e!, 'process.name')).toMatch(/^cmd.\.exe$/i),
  },
  'like is case-sensitive': { query: 'process where process.name like "Cmd*.exe"', shows: ([e]) => expect(one(e!, 'process.name')).toMatch(/^Cmd.*\.exe$/) },
  'like~': { query: 'process where process.name like~ ("CMD.EXE", "PowerShell.EXE")' },
  'in, in~ and not in': {
    query: 'process where process.name in ("a.exe", "b.exe") and process.parent.name in~ ("EXPLORER.EXE") and process.pe.original_name not in ("x.exe", "y.exe")',
    shows: ([e]) => {
      expect(['a.exe', 'b.exe']).toContain(one(e!, 'process.name'));
      expect(valuesOf(e!, 'process.pe.original_name').filter((v) => v === 'x.exe' || v === 'y.exe')).toEqual([]);
    },
  },
  regex: {
    query: 'process where process.command_line regex ".*-enc(odedcommand)? [A-Za-z0-9+/=]{8,}"',
    shows: ([e]) => expect(one(e!, 'process.command_line')).toMatch(/^.*-enc(odedcommand)? [A-Za-z0-9+/=]{8,}$/s),
  },
  'regex~ with a Lucene quoted string': {
    query: 'file where file.path regex~ """c:\\\\windows\\\\"temp"\\\\[a-z]{3,5}\\.dll"""',
    shows: ([e]) => expect(one(e!, 'file.path')).toMatch(/^c:\\windows\\temp\\[a-z]{3,5}\.dll$/i),
  },
  cidrMatch: {
    query: 'network where cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16") and not cidrMatch(source.ip, "10.0.0.0/8")',
    shows: ([e]) => expect(inIpv4Block(one(e!, 'destination.ip'), '10.0.0.0/8') || inIpv4Block(one(e!, 'destination.ip'), '192.168.0.0/16')).toBe(true),
  },
  'cidrMatch on IPv6': { query: 'network where cidrmatch(source.ip, "fe80::/10")', shows: ([e]) => expect(String(one(e!, 'source.ip'))).toMatch(/^fe[89ab]/i) },
  'startsWith, endsWith, stringContains': {
    query: 'process where startsWith(process.name, "ps") and endsWith~(process.executable, ".EXE") and stringContains(process.command_line, "-nop")',
    shows: ([e]) => {
      expect(one(e!, 'process.name')).toMatch(/^ps/);
      expect(one(e!, 'process.command_line')).toContain('-nop');
    },
  },
  'stringContains with a Lucene escape': { query: 'any where stringContains(aws.cloudtrail.request_parameters, "Principal=\\\\*")' },
  length: { query: 'process where length(process.name) > 12', shows: ([e]) => expect(String(one(e!, 'process.name')).length).toBeGreaterThan(12) },
  substring: { query: 'process where substring(process.name, 0, 3) == "cmd"', shows: ([e]) => expect(String(one(e!, 'process.name')).slice(0, 3)).toBe('cmd') },
  'substring with a negative end, into startsWith~': {
    query: 'any where startsWith~(host.name, substring(user.name, 0, -1)) and endsWith(user.name, "$")',
    shows: ([e]) =>
      expect(
        String(one(e!, 'host.name'))
          .toLowerCase()
          .startsWith(String(one(e!, 'user.name')).slice(0, -1).toLowerCase()),
      ).toBe(true),
  },
  indexOf: { query: 'process where indexOf(process.command_line, "http") == 4', shows: ([e]) => expect(String(one(e!, 'process.command_line')).indexOf('http')).toBe(4) },
  'indexOf == null': { query: 'process where indexOf(process.command_line, "http") == null and process.name == "x"' },
  concat: { query: 'any where concat(user.domain, "\\\\", user.name) == "CORP\\\\alice"' },
  between: { query: 'process where between(process.command_line, "-u ", " ", false) == "admin"', shows: ([e]) => expect(one(e!, 'process.command_line')).toContain('-u admin ') },
  number: { query: 'any where number(event.code) == 4624', shows: ([e]) => expect(Number(one(e!, 'event.code'))).toBe(4624) },
  string: { query: 'any where string(process.pid) == "42"' },
  'arithmetic: +': { query: 'process where process.pid + 1 == 5', shows: ([e]) => expect(one(e!, 'process.pid')).toBe(4) },
  'arithmetic: * and %': { query: 'process where process.pid * 2 > 10 and process.pid % 2 == 1' },
  'arithmetic: unary minus and add()': { query: 'process where -process.pid < -3 and add(process.parent.pid, 3) == 10', shows: ([e]) => expect(one(e!, 'process.parent.pid')).toBe(7) },
  'booleans: == true, a bare field, not': {
    query: 'process where process.code_signature.trusted == true and process.code_signature.exists and not process.code_signature.revoked',
    shows: ([e]) => expect(one(e!, 'process.code_signature.trusted')).toBe(true),
  },
  'null checks': {
    query: 'process where process.parent.name == null and process.executable != null',
    shows: ([e]) => {
      expect(valuesOf(e!, 'process.parent.name')).toEqual([]);
      expect(valuesOf(e!, 'process.executable')).toHaveLength(1);
    },
  },
  'optional fields': { query: 'process where ?process.Ext.relative_file_creation_time <= 500 and ?process.foo : "bar*"' },
  'not over and/or': { query: 'process where (process.name : "a.exe" or process.name : "b.exe") and not (process.args : "-x" or (process.parent.name : "c.exe" and process.pid > 4))' },
  'several values for one field': {
    query: 'process where process.args : "-enc" and process.args : "*http*" and not process.args : "*.ps1"',
    shows: ([e]) => expect(valuesOf(e!, 'process.args').length).toBeGreaterThanOrEqual(1),
  },
  'any, and the category as a field': { query: 'any where event.category : ("process", "file") and event.type == "start"' },
  'an event query with a pipe': { query: 'process where process.name : "x.exe" | tail 1' },
  'sequence by, with maxspan': {
    query: 'sequence by host.id with maxspan=30s [process where process.name : "a.exe"] [network where destination.port == 4444]',
    kinds: ['condition', 'category', 'maxspan', 'join-key'],
    shows: (events) => {
      expect(events).toHaveLength(2);
      expect(one(events[0]!, 'host.id')).toBe(one(events[1]!, 'host.id'));
      expect(Date.parse(String(events[1]!['@timestamp'])) - Date.parse(String(events[0]!['@timestamp']))).toBeLessThanOrEqual(30_000);
    },
  },
  'stage-level by, other fields per stage': {
    query: 'sequence with maxspan=1m [process where process.name : "a.exe"] by process.entity_id [network where destination.port == 4444] by process.parent.entity_id',
    kinds: ['join-key'],
    shows: ([a, b]) => expect(one(a!, 'process.entity_id')).toBe(one(b!, 'process.parent.entity_id')),
  },
  'by at both levels': {
    query: 'sequence by host.id with maxspan=5m [authentication where event.outcome == "failure"] by user.name [authentication where event.outcome == "success"] by user.name',
    kinds: ['join-key', 'maxspan'],
  },
  'a join key with conditions in two stages': {
    query: 'sequence by user.name [iam where user.name : "adm*"] [authentication where user.name : "*in"]',
    shows: ([a]) => expect(one(a!, 'user.name')).toMatch(/^adm.*in$/i),
  },
  'with runs': {
    query: 'sequence by host.id with maxspan=1m [authentication where event.outcome == "failure"] with runs=5 [authentication where event.outcome == "success"]',
    kinds: ['runs', 'maxspan'],
    shows: (events) => expect(events).toHaveLength(6),
  },
  until: {
    query: 'sequence by user.name [authentication where event.outcome == "failure"] [authentication where event.outcome == "success"] until [iam where event.action == "password-reset"]',
    kinds: ['until', 'join-key'],
  },
  'a missing event between': {
    query: 'sequence by host.id with maxspan=5m [process where process.name == "a.exe"] ![file where file.name : "x*"] [network where destination.port == 445]',
    kinds: ['missing-event'],
  },
  'a leading missing event': {
    query: 'sequence by host.id with maxspan=5m ![process where process.name == "setup.exe"] [file where file.extension == "dll"] [process where true]',
    kinds: ['missing-event'],
  },
  'a trailing missing event': { query: 'sequence by user.id with maxspan=10m [iam where event.action == "mfa-deactivated"] ![iam where event.action == "mfa-activated"]', kinds: ['missing-event'] },
  'sample by': {
    query: 'sample by host.id [process where process.name : "nc*"] [network where destination.port > 1024]',
    kinds: ['join-key', 'condition'],
    shows: ([a, b]) => expect(one(a!, 'host.id')).toBe(one(b!, 'host.id')),
  },
};

describe('synthesizing events, construct by construct', () => {
  it.each(Object.entries(CASES))('%s', (_, { query, shows, kinds }) => {
    const q = compile(query);
    const { witness, nearMisses, skippedNearMisses } = synthesize(query, { nearMiss: true });
    expect(q.search(witness).length, JSON.stringify(witness)).toBeGreaterThan(0);
    shows?.(witness);
    expect(nearMisses.length).toBeGreaterThan(0);
    for (const m of nearMisses) expect(q.search(m.events), `${m.label}\n${JSON.stringify(m.events)}`).toEqual([]);
    expect(skippedNearMisses).toEqual([]);
    for (const kind of kinds ?? []) expect(nearMisses.map((m) => m.kind)).toContain(kind);
  });

  it('gives every event a timestamp, in order, and the category of its stage', () => {
    const { witness } = synthesize('sequence by host.id [process where true] [file where true] [network where true]');
    expect(witness.map((e) => (e.event as { category: string }).category)).toEqual(['process', 'file', 'network']);
    const times = witness.map((e) => Date.parse(String(e['@timestamp'])));
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
  });

  it('uses the fields a query is compiled with: timestamp, category and tiebreaker', () => {
    const options = { timestampField: 'event.created', eventCategoryField: 'kind', tiebreakerField: 'event.sequence' };
    const query = 'sequence by host.id with maxspan=1m [process where true] [file where true]';
    const { witness } = synthesize(query, { compile: options });
    expect(compile(query, options).search(witness)).toHaveLength(1);
    expect(witness.map((e) => e.kind)).toEqual(['process', 'file']);
    expect(witness.every((e) => typeof (e.event as { created?: unknown }).created === 'string')).toBe(true);
  });

  it('gives values of the types a schema maps: ip, numbers, booleans, dates', () => {
    const schema = schemaFromMapping({
      properties: {
        '@timestamp': { type: 'date' },
        event: { properties: { category: { type: 'keyword' } } },
        source: { properties: { ip: { type: 'ip' } } },
        process: { properties: { pid: { type: 'long' }, start: { type: 'date' }, name: { type: 'keyword' }, code_signature: { properties: { trusted: { type: 'boolean' } } } } },
      },
    });
    const query =
      'process where cidrMatch(source.ip, "10.0.0.0/8") and process.pid >= 4 and process.code_signature.trusted == false and process.start > "2024-05-01T00:00:00Z" and process.name : "a*"';
    const options = { schema };
    const { witness, nearMisses } = synthesize(query, { compile: options, nearMiss: true });
    const q = compile(query, options);
    expect(q.search(witness)).toHaveLength(1);
    expect(Date.parse(String(one(witness[0]!, 'process.start')))).toBeGreaterThan(Date.parse('2024-05-01T00:00:00Z'));
    for (const m of nearMisses) expect(q.search(m.events), m.label).toEqual([]);
  });

  it('labels each near miss with the clause it breaks, as written, and where it is', () => {
    const query = 'process where process.name : "cmd.exe" and\n  process.pid > 4';
    const { nearMisses } = synthesize(query, { nearMiss: true });
    const pid = nearMisses.find((m) => m.clause === 'process.pid > 4')!;
    expect(pid.kind).toBe('condition');
    expect(pid.label).toBe('process.pid > 4 does not hold');
    expect(pid.location?.start).toMatchObject({ line: 2, column: 3 });
    expect(pid.alsoBreaks).toEqual([]);
  });

  it('labels a near miss of a negated clause as the clause holding', () => {
    const { nearMisses } = synthesize('process where process.name : "x.exe" and not process.parent.name : "explorer.exe"', { nearMiss: true });
    const m = nearMisses.find((n) => n.clause === 'process.parent.name : "explorer.exe"')!;
    expect(m.label).toBe('process.parent.name : "explorer.exe" holds, where the query needs it not to');
    expect(valuesOf(m.events[0]!, 'process.parent.name')).toEqual(['explorer.exe']);
  });

  it('names the other clauses a near miss breaks when it cannot break one alone', () => {
    const { nearMisses } = synthesize('process where process.name : "a*" and process.name : "ab*"', { nearMiss: true });
    const m = nearMisses.find((n) => n.clause === 'process.name : "a*"')!;
    expect(m.alsoBreaks).toEqual(['process.name : "ab*"']);
  });

  it('numbers stages from 1 in near misses, as in their labels', () => {
    const { nearMisses } = synthesize('sequence by host.id [process where process.name == "a"] [file where file.name == "b"]', { nearMiss: true });
    const m = nearMisses.find((n) => n.clause === 'file.name == "b"')!;
    expect(m.stage).toBe(2);
    expect(m.label).toBe('stage 2: file.name == "b" does not hold');
    expect(nearMisses.find((n) => n.kind === 'join-key')!.label).toBe('stage 2: join key host.id differs');
  });

  it('places a missing event, an until event, and a late last event where they break the sequence', () => {
    const missing = synthesize('sequence by h with maxspan=10s [process where true] ![file where true] [network where true]', { nearMiss: true }).nearMisses.find((m) => m.kind === 'missing-event')!;
    expect(missing.events.map((e) => (e.event as { category: string }).category)).toEqual(['process', 'file', 'network']);
    const until = synthesize('sequence by h [process where true] [network where true] until [file where true]', { nearMiss: true }).nearMisses.find((m) => m.kind === 'until')!;
    expect(until.events.map((e) => (e.event as { category: string }).category)).toEqual(['process', 'file', 'network']);
    const late = synthesize('sequence by h with maxspan=10s [process where true] [network where true]', { nearMiss: true }).nearMisses.find((m) => m.kind === 'maxspan')!;
    const [t0, t1] = late.events.map((e) => Date.parse(String(e['@timestamp'])));
    expect(t1! - t0!).toBeGreaterThan(10_000);
  });
});
