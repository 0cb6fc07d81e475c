import { describe, expect, it } from 'vitest';
import { compile, EqlInvalidArgumentError, EqlSemanticError, parseRule, RuleSet, schemaFromMapping, withDynamicFields, type Schema } from '../../src/index.js';
import { compareVersions } from '../../src/semantics/types/version.js';
import { ipKeyOf } from '../../src/semantics/types/ip.js';
import { formatJavaDateTime, parseDateSpan } from '../../src/semantics/types/date.js';

const MAPPING = `# comment lines are dropped
{
  "properties": {
    "event_type": { "type": "[runtime_random_keyword_type]" },
    "event": { "properties": { "category": { "type": "alias", "path": "event_type" } } },
    "pid": { "type": "long" },
    "ratio": { "type": "float" },
    "ip": { "type": "ip" },
    "version": { "type": "version" },
    "opt": { "type": "keyword", "null_value": "NULL" },
    "name": { "type": "text", "fields": { "keyword": { "type": "keyword" } } },
    "when": { "type": "date", "format": "dd-MM-yyyy" },
    "loc": { "type": "geo_point" }
  },
  "runtime": { "computed": { "type": "long" } }
}`;

describe('schemaFromMapping', () => {
  const schema = schemaFromMapping(MAPPING);

  it('reads types, aliases, null values and runtime fields', () => {
    expect(schema).toMatchObject({
      event_type: { type: 'keyword' },
      'event.category': { type: 'alias', path: 'event_type' },
      event: { type: 'object' },
      pid: { type: 'long' },
      ratio: { type: 'double' },
      ip: { type: 'ip' },
      version: { type: 'version' },
      opt: { type: 'keyword', nullValue: 'NULL' },
      name: { type: 'text' },
      when: { type: 'date', format: 'dd-MM-yyyy' },
      computed: { type: 'long' },
    });
    expect(schema.loc).toEqual({ type: 'unusable', reason: 'with unsupported type [geo_point]' });
  });

  it('accepts the mapping object or a { mappings } wrapper', () => {
    expect(schemaFromMapping({ mappings: { properties: { a: { type: 'keyword' } } } })).toEqual({ a: { type: 'keyword' } });
    expect(() => schemaFromMapping({})).toThrow(/properties/);
  });

  it('adds the fields dynamic mapping would add', () => {
    const s = withDynamicFields({ a: 'keyword' }, [{ a: 1, b: 'x', c: 2, d: 1.5, e: true, f: { g: 'h' }, t: '2020-01-01T00:00:00Z', u: '2020-01-01 10:00:00', 'p.q': 3 }]);
    expect(s).toMatchObject({
      a: 'keyword',
      b: { type: 'text' },
      c: { type: 'long' },
      d: { type: 'double' },
      e: { type: 'boolean' },
      f: { type: 'object' },
      'f.g': { type: 'text' },
      t: { type: 'date' },
      u: { type: 'text' },
      'p.q': { type: 'long' },
    });
  });
});

describe('typed comparisons with a schema', () => {
  const schema: Schema = { ...schemaFromMapping(MAPPING), '@timestamp': 'date', count: 'long' };
  const m = (condition: string, event: Record<string, unknown>) => compile(`any where ${condition}`, { schema }).matches(event);

  it('compares ip fields as addresses', () => {
    expect(m('ip == "::1"', { ip: '0:0:0:0:0:0:0:1' })).toBe(true);
    expect(m('ip != "::1"', { ip: '0:0:0:0:0:0:0:1' })).toBe(false);
    expect(m('ip == "10.0.0.1"', { ip: '10.0.0.1' })).toBe(true);
    expect(m('ip == "10.0.0.0/8"', { ip: '10.2.3.4' })).toBe(true);
    expect(m('ip > "10.0.0.1"', { ip: '10.0.0.2' })).toBe(true);
    expect(m('ip in ("127.0.0.1", "::1")', { ip: '::0001' })).toBe(true);
  });

  it('compares version fields in semantic-version order', () => {
    expect(m('version > "1.5.0"', { version: '1.11.3' })).toBe(true);
    expect(m('version < "1.5.0"', { version: '1.2.4-SNAPSHOT' })).toBe(true);
    expect(m('version < "1.5.0"', { version: 'bad' })).toBe(false);
    expect(m('version >= "1.5.0"', { version: 'bad' })).toBe(true);
  });

  it('reads numeric fields written as text', () => {
    expect(m('pid == 5', { pid: '5' })).toBe(true);
    expect(m('pid == "5"', { pid: 5 })).toBe(true);
    expect(m('pid > 4.5', { pid: 5 })).toBe(true);
  });

  it('matches text fields exactly through their keyword form', () => {
    expect(m('name == "Cmd.exe"', { name: 'Cmd.exe' })).toBe(true);
    expect(m('name : "cmd.EXE"', { name: 'Cmd.exe' })).toBe(true);
  });

  it("applies a mapping's null_value to an explicit null only", () => {
    expect(m('opt == "NULL"', { opt: null })).toBe(true);
    expect(m('opt == null', { opt: null })).toBe(false);
    expect(m('opt == null', {})).toBe(true);
  });

  it('compares dates with rounding: == spans the written precision', () => {
    expect(m('@timestamp == "2020-01-01"', { '@timestamp': '2020-01-01T23:59:59.999Z' })).toBe(true);
    expect(m('@timestamp == "2020-01-01"', { '@timestamp': '2020-01-02T00:00:00Z' })).toBe(false);
    expect(m('@timestamp > "2020-01-01"', { '@timestamp': '2020-01-01T12:00:00Z' })).toBe(false);
    expect(m('@timestamp >= "2020-01-01"', { '@timestamp': '2020-01-01T12:00:00Z' })).toBe(true);
    expect(m('@timestamp <= "2020-01-01"', { '@timestamp': '2020-01-01T12:00:00Z' })).toBe(true);
    expect(m('@timestamp < "2020-01-01"', { '@timestamp': '2019-12-31T23:59:59Z' })).toBe(true);
    expect(m('@timestamp == 1577836800000', { '@timestamp': '2020-01-01T00:00:00.000Z' })).toBe(true);
    expect(m('@timestamp == 1577836800000', { '@timestamp': 1577836800000 })).toBe(true);
  });

  it('keeps nanoseconds', () => {
    expect(m('@timestamp == "1970-01-01T00:00:00.000000001Z"', { '@timestamp': '0.000001' })).toBe(true);
    expect(m('@timestamp == "1970-01-01T00:00:00.000000001Z"', { '@timestamp': '0.000002' })).toBe(false);
    expect(m('@timestamp == "1970-01-01T00:00:00.000Z"', { '@timestamp': '0.000002' })).toBe(true);
    const span = parseDateSpan('1974-03-03T02:22:54.294365140Z')!;
    expect(span.end - span.start).toBe(0n);
    expect(parseDateSpan('131509374395.921780')!.start).toBe(131509374395921780n);
  });
});

describe('type helpers', () => {
  it.each([
    ['1.11.3', '1.5.0', 1],
    ['1.2.4-SNAPSHOT', '1.2.4', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-2', '1.0.0-10', -1],
    ['bad', '99.0.0', 1],
    ['1.0.0+build', '1.0.0', 0],
  ])('version %s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it.each([
    ['::1', '0:0:0:0:0:0:0:1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
  ])('ip %s equals %s', (a, b) => {
    expect(ipKeyOf(a)).toBe(ipKeyOf(b));
  });

  it.each(['1.2.3', '256.1.1.1', ':::', '1::2::3', 'abc', ''])('%j is not an address', (text) => {
    expect(ipKeyOf(text)).toBeNull();
  });
});

describe('mapping features that change what a field holds', () => {
  const mapping = {
    properties: {
      '@timestamp': { type: 'date' },
      event: { properties: { category: { type: 'keyword' } } },
      message: { type: 'match_only_text' },
      title: { type: 'text', fields: { raw: { type: 'keyword' }, exact: { type: 'keyword' } } },
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 8 } } },
      short: { type: 'keyword', ignore_above: 5 },
      ds: { type: 'constant_keyword', value: 'logs' },
      ip: { type: 'ip' },
      ver: { type: 'version' },
    },
  };
  const schema = schemaFromMapping(mapping);
  const m = (condition: string, event: Record<string, unknown>) => compile(`any where ${condition}`, { schema }).matches(event);

  it.each([
    ['message == "x"', /no keyword multi-field defined for exact matches on \[message\]/],
    ['startsWith(message, "a")', /\[message\]/],
    ['message != null', /\[message\]/],
    ['title : "a*"', /no keyword multi-field .* \[title\]/],
    ['length(ip) > 1', /first argument of \[length\(ip\)\] must be \[string\], found value \[ip\] type \[ip\]/],
    ['indexOf(ver, "1") == 0', /must be \[string\], found value \[ver\] type \[version\]/],
    ['substring(@timestamp, 0, 4) == "2026"', /must be \[string\], found value \[@timestamp\] type \[date\]/],
  ])('refuses %s, as Elasticsearch does', (condition, message) => {
    expect(() => compile(`any where ${condition}`, { schema })).toThrow(message);
  });

  it.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['2001:0DB8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['fe80::1%eth0', 'fe80::1'],
    ['not an address', 'not an address'],
  ])('prints an ip value %s as Elasticsearch prints the indexed address, %s', (ip, printed) => {
    expect(m(`string(ip) == ${JSON.stringify(printed)}`, { ip })).toBe(true);
    expect(m(`concat("[", ip, "]") == ${JSON.stringify(`[${printed}]`)}`, { ip })).toBe(true);
  });

  it.each([
    ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00Z'],
    [1577836800000, '2020-01-01T00:00Z'],
    ['2020-01-01T10:11:12Z', '2020-01-01T10:11:12Z'],
    ['2020-01-01T10:11:00.500+01:00', '2020-01-01T09:11:00.500Z'],
    // A `date` keeps milliseconds.
    ['2020-01-01T10:11:12.123456Z', '2020-01-01T10:11:12.123Z'],
    ['not a date', 'not a date'],
  ])('prints a date value %j as Elasticsearch prints the stored date, %s', (stamp, printed) => {
    expect(m(`string(@timestamp) == ${JSON.stringify(printed)}`, { '@timestamp': stamp })).toBe(true);
  });

  it.each([
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00Z'],
    ['2020-01-01T00:00:01Z', '2020-01-01T00:00:01Z'],
    ['2020-01-01T00:00:00.000001Z', '2020-01-01T00:00:00.000001Z'],
    ['2020-01-01T00:00:00.120000Z', '2020-01-01T00:00:00.120Z'],
    ['2020-01-01T00:00:00.123456789Z', '2020-01-01T00:00:00.123456789Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
  ])('formats %s as Java prints a ZonedDateTime: %s', (iso, printed) => {
    expect(formatJavaDateTime(parseDateSpan(iso)!.start)).toBe(printed);
  });

  it('formats years past 9999 with a sign, as Java does', () => {
    expect(formatJavaDateTime(BigInt(Date.UTC(12020, 0, 1)) * 1_000_000n)).toBe('+12020-01-01T00:00Z');
  });

  it('joins sequences on an ip key however the event spells the address', () => {
    const q = compile('sequence by ip [any where ds == "logs"] [any where true]', { schema });
    const found = q.search([
      { '@timestamp': 1, ip: '::ffff:10.0.0.1' },
      { '@timestamp': 2, ip: '10.0.0.1' },
    ]);
    expect(found.map((x) => x.joinKeys)).toEqual([['10.0.0.1']]);
  });

  it('names multi-fields, which read their own field', () => {
    expect(m('title.raw == "A b"', { title: 'A b' })).toBe(true);
    expect(m('name.keyword : "cmd*"', { name: 'CMD.EXE' })).toBe(true);
    expect(m('name == "cmd.exe"', { name: 'cmd.exe' })).toBe(true);
  });

  it('drops text past ignore_above, as a value never indexed', () => {
    expect(m('short == "abc"', { short: 'abc' })).toBe(true);
    expect(m('short == "abcdefgh"', { short: 'abcdefgh' })).toBe(false);
    expect(m('short : "*"', { short: 'abcdefgh' })).toBe(false);
    expect(m('short == null', { short: 'abcdefgh' })).toBe(true);
    expect(m('short == "abc"', { short: ['abcdefgh', 'abc'] })).toBe(true);
    // A text field matches through its keyword multi-field, with that one's limit.
    expect(m('name == "a-much-longer-name"', { name: 'a-much-longer-name' })).toBe(false);
    expect(m('name.keyword == null', { name: 'a-much-longer-name' })).toBe(true);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['endsWith(string(short), "?c")', { short: 'abc' }, true],
    ['stringContains(string(short), "")', { short: 'abc' }, true],
    ['string(short) : "é"', { short: 'É' }, false],
    ['string(short) in~ ("é")', { short: 'É' }, false],
    // Not on other types: the cast to text stays a computed value there.
    ['string(name) : "é"', { name: 'É' }, true],
  ])("%s on %j is %s: string() of a keyword field is the field, as Elasticsearch's optimizer drops it", (condition, event, expected) => {
    expect(m(condition, event)).toBe(expected);
  });

  it("gives every event a constant_keyword's value", () => {
    expect(m('ds == "logs"', {})).toBe(true);
    expect(m('ds == null', {})).toBe(false);
    expect(m('ds : "LO*"', { ds: 'metrics' })).toBe(true);
  });

  it("keeps the line prefilter and a RuleSet's index sound for a constant_keyword", () => {
    const q = compile('process where ds == "logs"', { schema });
    const line = JSON.stringify({ '@timestamp': '2026-01-01T00:00:00Z', event: { category: 'process' } });
    expect(q.linePrefilter()?.mayMatch(line) ?? true).toBe(true);
    expect(q.search([JSON.parse(line)])).toHaveLength(1);
    const rule = parseRule(`[rule]\nrule_id = "c"\nname = "Constant"\ntype = "eql"\nlanguage = "eql"\nquery = 'process where ds == "logs" and ds != null'\n`, { schema });
    // Many rules, so that the set files this one by its conditions rather than scanning it.
    const others = Array.from({ length: 40 }, (_, i) =>
      parseRule(`[rule]\nrule_id = "o${i}"\nname = "Other ${i}"\ntype = "eql"\nlanguage = "eql"\nquery = 'process where ds == "x${i}"'\n`, { schema }),
    );
    expect(new RuleSet([rule, ...others]).run([JSON.parse(line)]).map((a) => a.rule.rule_id)).toEqual(['c']);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    // Integers are truncated, as Elasticsearch coerces them.
    ['pid == 5', { pid: 5.7 }, true],
    ['pid == 5', { pid: '5.7' }, true],
    ['pid > 5', { pid: 5.7 }, false],
    ['pid == 5.5', { pid: 5.5 }, false],
    ['pid == 6', { pid: [5.2, 6.9] }, true],
    // A malformed value is not indexed: the field is missing.
    ['pid != null', { pid: 'abc' }, false],
    ['pid == null', { pid: 'abc' }, true],
    ['pid == 7', { pid: ['abc', 7] }, true],
    ['pid == 16', { pid: '0x10' }, false],
    ['pid != null', { pid: '0b10000' }, false],
    ['pid == 16', { pid: ' 1.6e1 ' }, true],
    ['ip == "10.0.0.1"', { ip: ['junk', '10.0.0.1'] }, true],
    ['flag == false', { flag: '' }, true],
    ['flag != null', { flag: 'yes' }, false],
    ['ratio > 1', { ratio: ' 1.5 ' }, true],
  ])('%s on %j is %s: values as Elasticsearch indexes them', (condition, event, expected) => {
    const typed = schemaFromMapping({ properties: { ...mapping.properties, pid: { type: 'long' }, flag: { type: 'boolean' }, ratio: { type: 'double' } } });
    expect(compile(`any where ${condition}`, { schema: typed }).matches(event)).toBe(expected);
  });

  it('dynamic mapping gives strings a keyword multi-field that keeps up to 256 characters', () => {
    const s = withDynamicFields({}, [{ m: 'x' }]);
    expect(s).toMatchObject({ m: { type: 'text', ignoreAbove: 256 }, 'm.keyword': { type: 'keyword', ignoreAbove: 256, sourcePath: 'm' } });
    const long = 'y'.repeat(300);
    const dyn = { ...s, '@timestamp': 'date', 'event.category': 'keyword' } as Schema;
    expect(compile(`any where m == "${long}"`, { schema: dyn }).matches({ m: long })).toBe(false);
    expect(compile('any where m.keyword == "x"', { schema: dyn }).matches({ m: 'x' })).toBe(true);
  });
});

describe('which fields a schema must have', () => {
  const only = (fields: Schema) => (q: string) => () => compile(q, { schema: fields });
  it('the timestamp field, for every query but a sample', () => {
    const noTimestamp = only({ 'event.category': 'keyword', x: 'keyword' });
    expect(noTimestamp('process where x == "a"')).toThrow(/the schema has no timestamp field \[@timestamp\]/);
    expect(noTimestamp('sequence [process where true] [network where true]')).toThrow(/no timestamp field/);
    expect(noTimestamp('sample by x [process where true] [network where true]')).not.toThrow();
  });

  it('the category field only when a filter names a category', () => {
    const noCategory = only({ '@timestamp': 'date', x: 'keyword' });
    expect(noCategory('any where x == "a"')).not.toThrow();
    expect(compile('any where x == "a"', { schema: { '@timestamp': 'date', x: 'keyword' } }).matches({ x: 'a' })).toBe(true);
    expect(noCategory('process where x == "a"')).toThrow(/unknown field \[event\.category\]/);
  });
});

describe('schemaFromMapping of what GET <index>/_mapping returns', () => {
  const ts = { '@timestamp': { type: 'date' }, event: { properties: { category: { type: 'keyword' } } } };
  const index = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ mappings: { properties: { ...ts, ...properties }, ...extra } });
  const conflict = (schema: Schema, field: string) => {
    const entry = schema[field];
    return typeof entry === 'object' && entry.type === 'conflict' ? entry.reason : null;
  };
  const compileError = (query: string, schema: Schema): EqlSemanticError => {
    try {
      compile(query, { schema });
    } catch (e) {
      return e as EqlSemanticError;
    }
    throw new Error(`${query} compiled`);
  };

  it('reads one index as its bare mapping, from an object or from JSON text', () => {
    const bare = schemaFromMapping({ properties: { ...ts, pid: { type: 'long' }, name: { type: 'text', fields: { keyword: { type: 'keyword' } } } } });
    const response = { 'logs-1': index({ pid: { type: 'long' }, name: { type: 'text', fields: { keyword: { type: 'keyword' } } } }) };
    expect(schemaFromMapping(response)).toEqual(bare);
    expect(schemaFromMapping(JSON.stringify(response, null, 2))).toEqual(bare);
  });

  it('takes the fields of every index, each with its type', () => {
    const schema = schemaFromMapping({
      'logs-a': index({ process: { properties: { pid: { type: 'long' } } } }),
      'logs-b': index({ source: { properties: { ip: { type: 'ip' } } }, user: { properties: { name: { type: 'keyword' } } } }),
    });
    expect(schema).toMatchObject({ '@timestamp': { type: 'date' }, 'process.pid': { type: 'long' }, 'source.ip': { type: 'ip' }, 'user.name': { type: 'keyword' } });
    const q = compile('any where process.pid == 5 or source.ip == "10.0.0.0/8"', { schema });
    expect(q.matches({ '@timestamp': 1, process: { pid: '5' } })).toBe(true);
    expect(q.matches({ '@timestamp': 1, source: { ip: '10.1.2.3' } })).toBe(true);
    expect(q.matches({ '@timestamp': 1, source: { ip: '11.1.2.3' } })).toBe(false);
    expect(() => compile('any where host.name == "x"', { schema })).toThrow(/unknown field \[host\.name\]/);
  });

  it.each([
    ['keyword', 'constant_keyword', 'keyword'],
    ['keyword', 'wildcard', 'keyword'],
    ['text', 'match_only_text', 'text'],
    ['long', 'long', 'long'],
    ['ip', 'ip', 'ip'],
  ])('%s in one index and %s in another are one family: %s', (a, b, type) => {
    const schema = schemaFromMapping({ a: index({ f: { type: a } }), b: index({ f: { type: b } }) });
    expect(conflict(schema, 'f')).toBeNull();
    expect(schema.f).toMatchObject({ type });
  });

  it.each([
    ['keyword', 'long', 'mapped as [2] incompatible types: [keyword] in [a], [long] in [b]'],
    ['integer', 'long', 'mapped as [2] incompatible types: [integer] in [a], [long] in [b]'],
    ['float', 'double', 'mapped as [2] incompatible types: [float] in [a], [double] in [b]'],
    ['date', 'date_nanos', 'mapped as [2] incompatible types: [date] in [a], [date_nanos] in [b]'],
    ['text', 'keyword', 'mapped as [2] incompatible types: [text] in [a], [keyword] in [b]'],
    ['geo_point', 'keyword', 'mapped as [2] incompatible types: [geo_point] in [a], [keyword] in [b]'],
  ])('%s in one index and %s in another make the field unusable, as field caps report it', (a, b, reason) => {
    const schema = schemaFromMapping({ a: index({ f: { type: a } }), b: index({ f: { type: b } }) });
    expect(conflict(schema, 'f')).toBe(reason);
    for (const [query, column] of [
      ['any where f == "1"', 11],
      ['any where ?f == null', 11],
      ['sequence by f [any where true] [any where true]', 13],
    ] as const) {
      const e = compileError(query, schema);
      expect(e).toBeInstanceOf(EqlSemanticError);
      expect(e.code).toBe('EQL_FIELD_CONFLICT');
      expect(e.reason).toBe(`cannot use field [f]: the indices disagree on it, ${reason}`);
      // Where the query names it.
      expect(e.location?.start.column).toBe(column);
    }
    // A query that does not name it is not concerned.
    expect(compile('any where event.category == "process"', { schema }).matches({ '@timestamp': 1, event: { category: 'process' }, f: 1 })).toBe(true);
  });

  it('names every index of each type, and ignores indices that do not map the field', () => {
    const schema = schemaFromMapping({ a: index({ f: { type: 'keyword' } }), b: index({ f: { type: 'long' } }), c: index({}), d: index({ f: { type: 'short' } }), e: index({ f: { type: 'long' } }) });
    expect(conflict(schema, 'f')).toBe('mapped as [3] incompatible types: [keyword] in [a], [long] in [b, e], [short] in [d]');
  });

  it('keeps the sub-fields of a field that is an object in one index and a keyword in another', () => {
    const schema = schemaFromMapping({ a: index({ host: { properties: { name: { type: 'keyword' } } } }), b: index({ host: { type: 'keyword' } }) });
    expect(conflict(schema, 'host')).toBe('mapped as [2] incompatible types: [object] in [a], [keyword] in [b]');
    expect(compile('any where host.name == "h"', { schema }).matches({ '@timestamp': 1, host: { name: 'h' } })).toBe(true);
    expect(compileError('any where host == "h"', schema).code).toBe('EQL_FIELD_CONFLICT');
  });

  it('refuses a field of a type EQL cannot use in every index, as one index does', () => {
    const schema = schemaFromMapping({ a: index({ loc: { type: 'geo_point' } }), b: index({ loc: { type: 'geo_point' } }) });
    expect(schema.loc).toEqual({ type: 'unusable', reason: 'with unsupported type [geo_point]' });
    expect(compileError('any where loc == "1"', schema).reason).toBe('cannot use field [loc] with unsupported type [geo_point]');
  });

  it('refuses a field the indices store at different places: an alias in one, a field in another', () => {
    const schema = schemaFromMapping({
      a: index({ event_type: { type: 'keyword' }, kind: { type: 'alias', path: 'event_type' }, same: { type: 'alias', path: 'event_type' } }),
      b: index({ event_type: { type: 'keyword' }, kind: { type: 'keyword' }, same: { type: 'alias', path: 'event_type' } }),
    });
    expect(conflict(schema, 'kind')).toBe('stored at [2] different places (aliases or multi-fields): [event_type] in [a], [kind] in [b]; an event does not say which index it is from');
    expect(compileError('any where kind == "x"', schema).code).toBe('EQL_FIELD_CONFLICT');
    // The same alias in both is an alias.
    expect(schema.same).toEqual({ type: 'alias', path: 'event_type' });
    expect(compile('any where same == "x"', { schema }).matches({ '@timestamp': 1, event_type: 'x' })).toBe(true);
  });

  it('refuses an alias to a field the indices disagree on, naming both', () => {
    const schema = schemaFromMapping({ a: index({ x: { type: 'keyword' }, y: { type: 'alias', path: 'x' } }), b: index({ x: { type: 'long' }, y: { type: 'alias', path: 'x' } }) });
    // Field caps give an alias its target's type: the alias conflicts too.
    expect(conflict(schema, 'y')).toBe('mapped as [2] incompatible types: [keyword] in [a], [long] in [b]');
    const only = schemaFromMapping({ a: index({ x: { type: 'keyword' } }), b: index({ x: { type: 'long' } }), c: index({ y: { type: 'alias', path: 'x' } }) });
    expect(compileError('any where y == "1"', only).reason).toBe(
      'cannot use field [x] (the field that [y] names): the indices disagree on it, mapped as [2] incompatible types: [keyword] in [a], [long] in [b]',
    );
  });

  it('keeps the details the indices agree on, drops the others, and tries every date format', () => {
    const schema = schemaFromMapping({
      a: index({
        opt: { type: 'keyword', null_value: 'NULL' },
        other: { type: 'keyword', null_value: 'N/A', ignore_above: 10 },
        when: { type: 'date', format: 'dd-MM-yyyy' },
        also: { type: 'date', format: 'yyyy/MM/dd' },
      }),
      b: index({ opt: { type: 'keyword', null_value: 'NULL' }, other: { type: 'keyword', ignore_above: 20 }, when: { type: 'date' }, also: { type: 'date', format: 'yyyy/MM/dd' } }),
    });
    expect(schema.opt).toEqual({ type: 'keyword', nullValue: 'NULL' });
    expect(schema.other).toEqual({ type: 'keyword' });
    expect(schema.when).toEqual({ type: 'date', format: 'dd-MM-yyyy||strict_date_optional_time||epoch_millis' });
    expect(schema.also).toEqual({ type: 'date', format: 'yyyy/MM/dd' });
    // string() prints a stored date, read with its index's format: either index's here.
    const q = compile('any where string(when) == "2020-01-05T00:00Z"', { schema });
    expect(q.matches({ '@timestamp': 1, when: '05-01-2020' })).toBe(true);
    expect(q.matches({ '@timestamp': 1, when: '2020-01-05T00:00:00Z' })).toBe(true);
    expect(q.matches({ '@timestamp': 1, when: '06-01-2020' })).toBe(false);
    expect(compile('any where opt == "NULL"', { schema }).matches({ '@timestamp': 1, opt: null })).toBe(true);
    expect(compile('any where other == "N/A"', { schema }).matches({ '@timestamp': 1, other: null })).toBe(false);
  });

  it('decides whether a text field matches exactly from its keyword multi-fields in every index', () => {
    const keyword = { name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 8 } } } };
    const oneSide = schemaFromMapping({ a: index(keyword), b: index({ name: { type: 'text' } }) });
    expect(oneSide.name).toEqual({ type: 'text', exact: true, ignoreAbove: 8 });
    expect(compile('any where name == "cmd.exe"', { schema: oneSide }).matches({ '@timestamp': 1, name: 'cmd.exe' })).toBe(true);
    // Two candidates (keyword here, raw there): Elasticsearch cannot pick one.
    const two = schemaFromMapping({ a: index(keyword), b: index({ name: { type: 'text', fields: { raw: { type: 'keyword' } } } }) });
    expect(two.name).toMatchObject({ type: 'text', exact: false });
    expect(compileError('any where name == "cmd.exe"', two).message).toMatch(/no keyword multi-field defined for exact matches on \[name\]/);
    expect(compile('any where name.raw == "cmd.exe"', { schema: two }).matches({ '@timestamp': 1, name: 'cmd.exe' })).toBe(true);
  });

  it('reads each index with its runtime fields', () => {
    const schema = schemaFromMapping({
      a: index({}, { runtime: { day: { type: 'keyword' } } }),
      b: index({}, { runtime: { day: { type: 'long' } } }),
      c: index({}, { runtime: { hour: { type: 'long' } } }),
    });
    expect(conflict(schema, 'day')).toBe('mapped as [2] incompatible types: [keyword] in [a], [long] in [b]');
    expect(schema.hour).toEqual({ type: 'long' });
  });

  it.each<[string, unknown, Schema]>([
    ['some indices have no fields yet', { empty: { mappings: {} }, logs: { mappings: { properties: { pid: { type: 'long' } } } } }, { pid: { type: 'long' } }],
    ['no index has fields yet', { a: { mappings: {} }, b: { mappings: {} } }, {}],
    ['the mapping of an index with no fields', { mappings: {} }, {}],
    ['GET <index> also gives aliases and settings', { logs: { aliases: {}, mappings: { properties: { pid: { type: 'long' } } }, settings: { index: {} } } }, { pid: { type: 'long' } }],
    ['an index named "mappings"', { mappings: { mappings: { properties: { pid: { type: 'long' } } } } }, { pid: { type: 'long' } }],
    ['Elasticsearch 6 kept the mapping under its type', { logs: { mappings: { _doc: { properties: { pid: { type: 'long' } } } } } }, { pid: { type: 'long' } }],
  ])('accepts it when %s', (_, mapping, schema) => {
    expect(schemaFromMapping(mapping)).toEqual(schema);
  });

  it.each<[string, unknown, string]>([
    ['an empty object', {}, 'an object'],
    ['an array', [{ properties: {} }], 'an array'],
    ['a number', 42, 'a number (42)'],
    ['null', null, 'null'],
    ['indices without mappings', { a: { settings: {} } }, 'an object'],
    ['JSON text of an array', '[]', 'an array'],
  ])('refuses %s with an EqlInvalidArgumentError', (_, mapping, received) => {
    let error: unknown;
    try {
      schemaFromMapping(mapping);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlInvalidArgumentError);
    expect(error).toMatchObject({ code: 'EQL_INVALID_ARGUMENT', functionName: 'schemaFromMapping', argument: 'mapping', received });
    expect((error as Error).message).toMatch(/GET <index>\/_mapping/);
  });

  it('is not extended over a conflicting field by dynamic mapping', () => {
    const schema = withDynamicFields(schemaFromMapping({ a: index({ f: { type: 'keyword' } }), b: index({ f: { type: 'long' } }) }), [{ f: 'x', g: 1 }]);
    expect(conflict(schema, 'f')).not.toBeNull();
    expect(schema.g).toEqual({ type: 'long' });
  });
});
