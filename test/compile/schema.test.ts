import { describe, expect, it } from 'vitest';
import { compile, schemaFromMapping, withDynamicFields, type Schema } from '../../src/index.js';
import { compareVersions } from '../../src/compile/types/version.js';
import { ipKeyOf } from '../../src/compile/types/ip.js';
import { parseDateSpan } from '../../src/compile/types/date.js';

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
    expect(schema).not.toHaveProperty('loc');
  });

  it('accepts the mapping object or a { mappings } wrapper', () => {
    expect(schemaFromMapping({ mappings: { properties: { a: { type: 'keyword' } } } })).toEqual({ a: { type: 'keyword' } });
    expect(() => schemaFromMapping({})).toThrow(/properties/);
  });

  it('adds the fields dynamic mapping would add', () => {
    const s = withDynamicFields({ a: 'keyword' }, [{ a: 1, b: 'x', c: 2, d: 1.5, e: true, f: { g: 'h' }, t: '2020-01-01T00:00:00Z', 'p.q': 3 }]);
    expect(s).toMatchObject({ a: 'keyword', b: { type: 'text' }, c: { type: 'long' }, d: { type: 'double' }, e: { type: 'boolean' }, f: { type: 'object' }, 'f.g': { type: 'text' }, t: { type: 'date' }, 'p.q': { type: 'long' } });
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
