import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { parse } from '../../src/parser/parse.js';
import { conjunctRank } from '../../src/compile/conjunct-order.js';
import type { EventQuery } from '../../src/parser/ast.js';

const conditionOf = (where: string) => (parse(`any where ${where}`) as EventQuery).filter.condition;

/** The top-level fields an event query reads, in the order it reads them, for an event that has them all. */
function readOrder(query: string, event: Record<string, unknown>): string[] {
  const order: string[] = [];
  const proxy = new Proxy(event, {
    get: (target, key, receiver) => {
      if (typeof key === 'string' && key !== 'event' && !order.includes(key)) order.push(key);
      return Reflect.get(target, key, receiver);
    },
  });
  compile(query).matches(proxy);
  return order;
}

describe('conjunct order', () => {
  it.each([
    ['process.name : "a.exe"', 0],
    ['event.action == "x"', 1],
    ['host.os.type == "windows"', 2],
    ['process.name == null', 3],
    ['process.name : "*a.exe"', 3],
    ['source.port >= 1024', 4],
    ['process.name != null', 5],
    ['not process.name : "a.exe"', 6],
    ['process.name not in ("a", "b")', 6],
    ['process.name regex "a.*"', 7],
    ['length(process.name) > 3', 8],
    ['process.name : "a" or process.args : "*b*"', 3],
  ])('ranks %s as %d', (where, rank) => {
    expect(conjunctRank(conditionOf(where))).toBe(rank);
  });

  it('evaluates the most telling conjunct first and exclusions last', () => {
    const event = { event: { category: 'process' }, host: { os: { type: 'windows' } }, user: { name: 'x' }, process: { name: 'b.exe' } };
    expect(readOrder('process where host.os.type == "windows" and not user.name : "y" and process.name : "a.exe"', event)).toEqual(['process']);
    expect(readOrder('process where not user.name : "y" and host.os.type == "windows" and process.name : "b.exe"', event)).toEqual(['process', 'host', 'user']);
  });

  it('keeps the written order among equals, and the written order of compile errors', () => {
    const event = { event: { category: 'process' }, a: 1, b: 1 };
    expect(readOrder('process where a == 2 and b == 2', event)).toEqual(['a']);
    expect(readOrder('process where b == 2 and a == 2', event)).toEqual(['b']);
    expect(() => compile('process where f1(x) and length(1, 2)')).toThrow(/f1/);
  });
});
