import { describe, expect, it } from 'vitest';
import { tail } from '../../../src/language/pipes/tail.js';
import { items, pipeOf, planOf, streamed, syntaxErrorOf } from './helpers.js';

/** [the pipe as written, what it keeps of 0…5] */
const KEEPS: Array<[string, number[]]> = [
  ['tail 2', [4, 5]],
  ['tail 0', []],
  ['tail 6', [0, 1, 2, 3, 4, 5]],
  ['tail 100', [0, 1, 2, 3, 4, 5]],
  ['tail 2 * 2', [2, 3, 4, 5]],
  ['tail +1', [5]],
  ['tail -0', []],
  ['tail 10 % 3', [5]],
];

/** [query, column, message]: Elasticsearch's checks, with our messages. */
const INVALID: Array<[string, number, RegExp]> = [
  ['any where true | tail', 16, /^'tail' takes exactly one argument, a whole number; found 0$/],
  ['any where true | tail 1 2', 16, /^'tail' takes exactly one argument, a whole number; found 2$/],
  ['any where true | tail -3', 23, /^'tail' takes a whole number from 0 to 2147483647$/],
  ['any where true | tail 1.5', 23, /^'tail' takes a whole number/],
  ['any where true | tail true', 23, /^'tail' takes a whole number/],
  ['any where true | tail null', 23, /^'tail' takes a whole number/],
  ['any where true | tail 3000000000', 23, /^'tail' takes a whole number from 0 to 2147483647$/],
  ['any where true | Tail 1', 16, /^pipe names are lower-case: write 'tail'$/],
  ['any where true | tial 1', 16, /^unknown pipe 'tial'; did you mean 'tail'\?$/],
];

describe('| tail', () => {
  it('is named tail and needs the end', () => {
    expect(tail.name).toBe('tail');
    expect(tail.streams).toBe(false);
    expect(planOf(tail, 'tail 1').stream).toBeUndefined();
  });

  it.each(KEEPS)('%s keeps %j of 0…5, in batch and streamed', (text, expected) => {
    const pipe = planOf(tail, text);
    expect(pipe.name).toBe('tail');
    expect(pipe.apply(items(6))).toEqual(expected);
    expect(streamed(pipe, items(6))).toEqual({ out: expected, read: 6 });
  });

  it('holds the results of a run in a ring of N, which gives at the end what apply gives', () => {
    for (let count = 0; count <= 5; count++) {
      const pipe = planOf(tail, `tail ${count}`);
      for (let n = 0; n <= 13; n++) {
        const hold = pipe.hold!<{ n: number }>();
        const all = items(n).map((i) => ({ n: i }));
        for (const item of all) hold.accept(item);
        const kept = hold.end();
        expect(kept).toEqual(pipe.apply(all));
        // The very objects given, not copies.
        for (const [i, item] of kept.entries()) expect(item).toBe(all[n - kept.length + i]);
      }
    }
  });

  it('does not change the list it is given', () => {
    const list = items(5);
    planOf(tail, 'tail 2').apply(list);
    expect(list).toEqual(items(5));
  });

  it('accepts 0 and 2147483647', () => {
    expect(syntaxErrorOf('any where true | tail 0')).toBeNull();
    expect(syntaxErrorOf('any where true | tail 2147483647')).toBeNull();
  });

  it.each(INVALID)('%s fails at column %i', (query, column, message) => {
    const e = syntaxErrorOf(query);
    expect(e).not.toBeNull();
    expect(e!.code).toBe('EQL_SYNTAX');
    expect(e!.column).toBe(column);
    expect(e!.reason).toMatch(message);
  });

  it('a request size before it becomes a tail', () => {
    const limit = planOf(tail, 'tail 5').sizeLimit!(2);
    expect(limit.name).toBe('tail');
    expect(limit.apply(items(6))).toEqual([4, 5]);
  });

  it('plans an unchecked pipe (an AST built by hand) without a count as tail 0', () => {
    expect(tail.plan({ ...pipeOf('tail 1'), args: [] }).apply(items(3))).toEqual([]);
  });
});
