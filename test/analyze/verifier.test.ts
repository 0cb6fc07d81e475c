/**
 * The checks of Elasticsearch's verifier that need a mapping (its
 * VerifierTests): join keys of one type across stages, nested fields and
 * unsupported types refused, and `in` lists of the field's type. Each with
 * Elasticsearch's message (starting in lower case, as ours do) and column.
 */
import { describe, expect, it } from 'vitest';
import { compile, EqlSemanticError, schemaFromMapping } from '../../src/index.js';

const schema = schemaFromMapping({
  properties: {
    '@timestamp': { type: 'date' },
    event: { properties: { category: { type: 'keyword' } } },
    pid: { type: 'long' },
    opcode: { type: 'long' },
    md5: { type: 'keyword' },
    hostname: { type: 'text', fields: { keyword: { type: 'keyword' } } },
    user_domain: { type: 'keyword' },
    size: { type: 'double' },
    created: { type: 'date_nanos' },
    processes: { type: 'nested', properties: { pid: { type: 'long' }, path: { type: 'text', fields: { keyword: { type: 'keyword' } } }, start: { type: 'date' } } },
    location: { type: 'geo_point' },
    window: { type: 'integer_range' },
    flag: { type: 'boolean' },
    mf: { type: 'keyword', fields: { normalized: { type: 'keyword', normalizer: 'lowercase' } } },
  },
});

function refusal(query: string): EqlSemanticError {
  try {
    compile(query, { schema });
  } catch (e) {
    if (e instanceof EqlSemanticError) return e;
    throw e;
  }
  throw new Error(`${query} compiled`);
}

describe("Elasticsearch's verifier, with a mapping", () => {
  it.each([
    ['sequence [process where true] by pid [process where true] by md5', 62, 'sequence key [md5] type [keyword] is incompatible with key [pid] type [long]'],
    ['sequence [process where true] by @timestamp [process where true] by opcode', 69, 'sequence key [opcode] type [long] is incompatible with key [@timestamp] type [date]'],
    ['sequence [process where true] by @timestamp [process where true] by created', 69, 'sequence key [created] type [date_nanos] is incompatible with key [@timestamp] type [date]'],
    ['sequence by pid [process where true] by md5 [process where true] by opcode', 69, 'sequence key [opcode] type [long] is incompatible with key [md5] type [keyword]'],
    ['sequence [process where true] by pid [process where true] by pid until [process where true] by md5', 96, 'sequence key [md5] type [keyword] is incompatible with key [pid] type [long]'],
    ['any where processes == 0', 11, 'cannot use field [processes] type [nested] due to nested fields not being supported yet'],
    ['any where processes.pid == 0', 11, 'cannot use field [processes.pid] type [long] with unsupported nested type in hierarchy (field [processes])'],
    ['any where processes.path.keyword == "a"', 11, 'cannot use field [processes.path.keyword] type [keyword] with unsupported nested type in hierarchy (field [processes])'],
    ['any where processes.start == "2020-01-01"', 11, 'cannot use field [processes.start] type [datetime] with unsupported nested type in hierarchy (field [processes])'],
    ['any where location == 0', 11, 'cannot use field [location] with unsupported type [geo_point]'],
    ['any where window == ""', 11, 'cannot use field [window] with unsupported type [integer_range]'],
    ['any where pid in (1, "string")', 11, '2nd argument of [pid in (1, "string")] must be [long], found value ["string"] type [keyword]'],
    ['any where md5 in ("a", "b", 3)', 11, '3rd argument of [md5 in ("a", "b", 3)] must be [keyword], found value [3] type [integer]'],
    ['any where flag in (true, "yes")', 11, '2nd argument of [flag in (true, "yes")] must be [boolean], found value ["yes"] type [keyword]'],
    ['any where mf.normalized == "bar"', 11, 'cannot use field [mf.normalized] of data type [keyword] for exact matches: a normalized keyword field cannot be used for exact match operations'],
  ])('refuses %s at column %i', (query, column, reason) => {
    const e = refusal(query);
    expect(e.code).toBe('EQL_TYPE');
    expect(e.reason).toBe(reason);
    expect(e.column).toBe(column);
  });

  it.each([
    'sequence [process where true] by hostname [process where true] by user_domain',
    'sequence [process where true] by pid [process where true] by size',
    'sequence [process where true] by pid [process where true] by ?missing',
    'sample [process where true] by pid [process where true] by md5',
    'any where pid in (1, 2.5, null)',
    'any where hostname in ("a", null)',
    'any where mf == "bar"',
  ])('accepts %s', (query) => {
    expect(() => compile(query, { schema })).not.toThrow();
  });

  it('checks nothing of types without a mapping', () => {
    expect(() => compile('sequence [process where true] by pid [process where true] by md5')).not.toThrow();
    expect(() => compile('any where pid in (1, "string")')).not.toThrow();
  });
});
