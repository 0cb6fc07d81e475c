import { describe, expect, it } from 'vitest';
import { head } from '../../../src/language/pipes/head.js';
import { items, pipeOf, planOf, streamed, syntaxErrorOf } from './helpers.js';

/** [the pipe as written, what it keeps of 0…5] */
const KEEPS: Array<[string, number[]]> = [
  ['head 2', [0, 1]],
  ['head 0', []],
  ['head 6', [0, 1, 2, 3, 4, 5]],
  ['head 100', [0, 1, 2, 3, 4, 5]],
  ['head 2 * 2', [0, 1, 2, 3]],
  ['head +1', [0]],
  ['head 5 -1', [0, 1, 2, 3]],
  ['head (7 / 2)', [0, 1, 2]],
  ['head -0', []],
];

/** [query, column, message]: Elasticsearch's checks, with our messages. */
const INVALID: Array<[string, number, RegExp]> = [
  ['any where true | head', 16, /^'head' takes exactly one argument, a whole number; found 0$/],
  ['any where true | head 1, 2', 16, /^'head' takes exactly one argument, a whole number; found 2$/],
  ['any where true | head -1', 23, /^'head' takes a whole number from 0 to 2147483647$/],
  ['any where true | head 2 - 3', 23, /^'head' takes a whole number from 0 to 2147483647$/],
  ['any where true | head 1.5', 23, /^'head' takes a whole number/],
  ['any where true | head 1.5 * 2', 23, /^'head' takes a whole number/],
  ['any where true | head "5"', 23, /^'head' takes a whole number/],
  ['any where true | head x', 23, /^'head' takes a whole number/],
  ['any where true | head 1 / 0', 23, /^'head' takes a whole number/],
  ['any where true | head 2147483648', 23, /^'head' takes a whole number from 0 to 2147483647$/],
  ['any where true | HEAD 2', 16, /^pipe names are lower-case: write 'head'$/],
  ['any where true | heads 2', 16, /^unknown pipe 'heads'; did you mean 'head'\?$/],
];

describe('| head', () => {
  it('is named head and streams', () => {
    expect(head.name).toBe('head');
    expect(head.streams).toBe(true);
  });

  it.each(KEEPS)('%s keeps %j of 0…5, in batch and streamed', (text, expected) => {
    const pipe = planOf(head, text);
    expect(pipe.name).toBe('head');
    expect(pipe.apply(items(6))).toEqual(expected);
    expect(streamed(pipe, items(6)).out).toEqual(expected);
  });

  it.each([0, 1, 3])('head %i stops reading once it has its results', (n) => {
    expect(streamed(planOf(head, `head ${n}`), items(10)).read).toBe(n);
  });

  it('does not change the list it is given', () => {
    const list = items(5);
    planOf(head, 'head 2').apply(list);
    expect(list).toEqual(items(5));
  });

  it('accepts 0 and 2147483647', () => {
    expect(syntaxErrorOf('any where true | head 0')).toBeNull();
    expect(syntaxErrorOf('any where true | head 2147483647')).toBeNull();
  });

  it.each(INVALID)('%s fails at column %i', (query, column, message) => {
    const e = syntaxErrorOf(query);
    expect(e).not.toBeNull();
    expect(e!.code).toBe('EQL_SYNTAX');
    expect(e!.column).toBe(column);
    expect(e!.reason).toMatch(message);
  });

  it('a request size before it becomes a head', () => {
    const limit = planOf(head, 'head 5').sizeLimit!(2);
    expect(limit.name).toBe('head');
    expect(limit.apply(items(6))).toEqual([0, 1]);
  });

  it('plans an unchecked pipe (an AST built by hand) without a count as head 0', () => {
    expect(head.plan({ ...pipeOf('head 1'), args: [] }).apply(items(3))).toEqual([]);
    expect(head.plan({ ...pipeOf('head 1'), args: pipeOf('count x').args }).apply(items(3))).toEqual([]);
  });
});
