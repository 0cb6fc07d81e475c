import { describe, expect, it } from 'vitest';
import { compile, EqlError, EqlInvalidArgumentError, parse, type Query } from '../../src/index.js';

describe('compile: what it accepts', () => {
  it.each<[string, unknown, string]>([
    ['a number', 42, 'a number (42)'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a boolean', true, 'a boolean (true)'],
    ['an empty object', {}, 'an object'],
    ['an array', ['process where true'], 'an array'],
    ['an object with an unknown type', { type: 'Query', pipes: [] }, 'an object'],
    ['an event query without its filter', { type: 'EventQuery', pipes: [] }, 'an object'],
    ['a sequence without stages', { type: 'SequenceQuery', by: [], pipes: [] }, 'an object'],
    ['an expression node', { type: 'Field', path: ['a'], optional: false }, 'an object'],
  ])('refuses %s with EQL_INVALID_ARGUMENT', (_, value, received) => {
    let error: unknown;
    try {
      compile(value as string);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlInvalidArgumentError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(EqlError);
    const e = error as EqlInvalidArgumentError;
    expect(e.name).toBe('EqlInvalidArgumentError');
    expect(e.code).toBe('EQL_INVALID_ARGUMENT');
    expect(e.functionName).toBe('compile');
    expect(e.argument).toBe('query');
    expect(e.received).toBe(received);
    expect(e.message).toBe(`compile(): query must be the query text (a string) or a query AST (from parse()); got ${received}`);
  });

  it('takes text, and the AST that parse gives, to the same query', () => {
    const event = { '@timestamp': 1, event: { category: 'process' }, process: { name: 'CMD.EXE' } };
    for (const text of ['process where process.name : "cmd.exe"', 'sequence [process where true] [process where true]', 'sample by host.id [any where true] [any where true]']) {
      const ast: Query = parse(text);
      expect(compile(ast).query).toEqual(compile(text).query);
    }
    expect(compile(parse('process where process.name : "cmd.exe"')).matches(event)).toBe(true);
  });
});
