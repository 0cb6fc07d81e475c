import { describe, expect, it } from 'vitest';
import { compile, format, parse, type Expression, type Query } from '../../src/index.js';
import { withoutLocations } from '../helpers/ast.js';

/** The condition of `any where <text>`, without locations. */
function condition(text: string): Expression {
  const q = parse(`any where ${text}`);
  if (q.type !== 'EventQuery') throw new Error('not an event query');
  return withoutLocations(q.filter.condition);
}

const field = (...path: string[]) => ({ type: 'Field', path, optional: false });
const int = (n: number) => ({ type: 'Number', value: n, integer: true, text: String(n) });
const str = (value: string) => ({ type: 'String', value });

describe('parse: literals', () => {
  it.each([
    ['"a\\tb\\n\\r\\"\\\\"', 'a\tb\n\r"\\'],
    ['"\\u{41}\\u{1F600}"', 'A\u{1F600}'],
    ['"\\u{0000041}"', 'A'],
    ['"""C:\\Windows\\System32"""', 'C:\\Windows\\System32'],
    ['"""say "hi" """', 'say "hi" '],
    ['"""a""""', 'a"'],
    ['""', ''],
    ['"\\u{202E}"', '\u202E'],
  ])('string %s has the value %j', (text, value) => {
    expect(condition(`x == ${text}`)).toMatchObject({ right: { type: 'String', value } });
  });

  it.each([
    ['1', 1, true],
    ['0042', 42, true],
    ['4.5', 4.5, false],
    ['.5', 0.5, false],
    ['1.', 1, false],
    ['1e3', 1000, false],
    ['2.5E-1', 0.25, false],
  ])('number %s is %d (integer: %s)', (text, value, integer) => {
    expect(condition(`x == ${text}`)).toMatchObject({ right: { type: 'Number', value, integer } });
  });

  it('keeps the digits of integers beyond 2^53', () => {
    expect(condition('x == 131509374020000000')).toMatchObject({ right: { type: 'Number', text: '131509374020000000', integer: true } });
  });

  it('reads -1 as unary minus applied to 1, as Elasticsearch does', () => {
    expect(condition('x > -1')).toMatchObject({ right: { type: 'Unary', operator: '-', operand: int(1) } });
  });

  it.each([
    ['true', { type: 'Boolean', value: true }],
    ['false', { type: 'Boolean', value: false }],
    ['null', { type: 'Null' }],
  ])('%s is a literal', (text, node) => {
    expect(condition(`x == ${text}`)).toMatchObject({ right: node });
  });
});

describe('parse: fields', () => {
  it.each([
    ['process.parent.name', ['process', 'parent', 'name'], false],
    ['@timestamp', ['@timestamp'], false],
    ['`sequence`', ['sequence'], false],
    ['`my field`.`x``y`', ['my field', 'x`y'], false],
    ['`a.b`', ['a.b'], false],
    ['?user.id', ['user', 'id'], true],
    ['?`odd name`', ['odd name'], true],
  ])('%s has path %j', (text, path, optional) => {
    expect(condition(`${text} == 1`)).toMatchObject({ left: { type: 'Field', path, optional } });
  });
});

describe('parse: operators and precedence', () => {
  it('binds and tighter than or, and chains each into one node', () => {
    expect(condition('a or b and c or d')).toEqual({
      type: 'Or',
      operands: [field('a'), { type: 'And', operands: [field('b'), field('c')] }, field('d')],
    });
  });

  it('binds not tighter than and', () => {
    expect(condition('not a and b')).toEqual({ type: 'And', operands: [{ type: 'Not', operand: field('a') }, field('b')] });
  });

  it('gives * precedence over + and keeps arithmetic left-associative', () => {
    expect(condition('a - b - c * d == 1')).toEqual({
      type: 'Comparison',
      operator: '==',
      left: {
        type: 'Arithmetic',
        operator: '-',
        left: { type: 'Arithmetic', operator: '-', left: field('a'), right: field('b') },
        right: { type: 'Arithmetic', operator: '*', left: field('c'), right: field('d') },
      },
      right: int(1),
    });
  });

  it.each(['==', '!=', '<', '<=', '>', '>='])('reads the comparison %s', (op) => {
    expect(condition(`a ${op} 1`)).toEqual({ type: 'Comparison', operator: op, left: field('a'), right: int(1) });
  });

  it.each([':', 'like', 'like~', 'regex', 'regex~'])('reads %s with one literal or a list', (op) => {
    expect(condition(`a ${op} "x"`)).toEqual({ type: 'Match', operator: op, subject: field('a'), patterns: [str('x')] });
    expect(condition(`a ${op} ("x", "y")`)).toEqual({ type: 'Match', operator: op, subject: field('a'), patterns: [str('x'), str('y')] });
  });

  it.each([
    ['a in (1, 2)', false, false],
    ['a in~ ("x", "y")', true, false],
    ['a not in (1, 2)', false, true],
    ['a not in~ ("x")', true, true],
  ])('reads %s', (text, caseInsensitive, negated) => {
    expect(condition(text)).toMatchObject({ type: 'In', subject: field('a'), caseInsensitive, negated });
  });

  it('reads not x in (…) as a negation around the membership test', () => {
    expect(condition('not a in (1)')).toMatchObject({ type: 'Not', operand: { type: 'In', negated: false } });
  });

  it('attaches a predicate to any primary, such as a function call', () => {
    expect(condition('string(pid) : "1*"')).toMatchObject({ type: 'Match', subject: { type: 'FunctionCall', name: 'string' } });
  });
});

describe('parse: function calls', () => {
  it('matches names without regard to case and stores the canonical spelling', () => {
    expect(condition('CONCAT(a, "b") == "c"')).toMatchObject({ left: { type: 'FunctionCall', name: 'concat', caseInsensitive: false } });
    expect(condition('STARTSWITH~(a, "b")')).toMatchObject({ type: 'FunctionCall', name: 'startsWith', caseInsensitive: true });
  });

  it('keeps unknown names as written, for the compiler to reject', () => {
    expect(condition('myFunc(a)')).toMatchObject({ type: 'FunctionCall', name: 'myFunc', args: [field('a')] });
  });

  it('allows no arguments', () => {
    expect(condition('f()')).toMatchObject({ type: 'FunctionCall', args: [] });
  });
});

describe('parse: query shapes', () => {
  const shape = (text: string): Query => withoutLocations(parse(text));

  it('reads an event query with a string category and pipes', () => {
    expect(shape('"my-category" where true | head 5 | tail 2')).toMatchObject({
      type: 'EventQuery',
      filter: { category: 'my-category' },
      pipes: [
        { name: 'head', args: [int(5)] },
        { name: 'tail', args: [int(2)] },
      ],
    });
  });

  it('reads any as no category, and "any" as the category named any', () => {
    expect(shape('any where true')).toMatchObject({ filter: { category: null } });
    expect(shape('"any" where true')).toMatchObject({ filter: { category: 'any' } });
  });

  it('reads a full sequence', () => {
    const q = shape(`sequence by host.id with maxspan=2s
      [process where true] by process.pid with runs=3
      ![file where true] by process.pid
      [network where true] by process.pid
      until [process where event.type == "end"] by process.pid
      | tail 1`);
    expect(q).toMatchObject({
      type: 'SequenceQuery',
      by: [field('host', 'id')],
      maxspan: { type: 'TimeSpan', value: 2, unit: 's', text: '2' },
      stages: [
        { filter: { category: 'process' }, runs: 3, missing: false, by: [field('process', 'pid')] },
        { filter: { category: 'file' }, runs: null, missing: true },
        { filter: { category: 'network' }, runs: null, missing: false },
      ],
      until: { type: 'JoinStage', filter: { category: 'process' }, by: [field('process', 'pid')] },
      pipes: [{ name: 'tail', args: [int(1)] }],
    });
  });

  it('reads maxspan with spaces around = and between number and unit', () => {
    expect(shape('sequence with maxspan = 500 ms [a where true] [b where true]')).toMatchObject({ maxspan: { value: 500, unit: 'ms' } });
  });

  it('reads a sample with keys on the query and on stages', () => {
    expect(shape('sample by host [a where true] by user [b where true] by user')).toMatchObject({
      type: 'SampleQuery',
      by: [field('host')],
      stages: [{ by: [field('user')] }, { by: [field('user')] }],
    });
  });

  it('reads Endgame pipes with arguments separated by commas or spaces', () => {
    expect(shape('process where true | unique a b | sort a, b | count | filter x > 1')).toMatchObject({
      pipes: [
        { name: 'unique', args: [field('a'), field('b')] },
        { name: 'sort', args: [field('a'), field('b')] },
        { name: 'count', args: [] },
        { name: 'filter', args: [{ type: 'Comparison' }] },
      ],
    });
  });

  it('reads join, which the compiler rejects', () => {
    expect(shape('join by pid [a where true] [b where true] until [c where true]')).toMatchObject({ type: 'JoinQuery' });
  });

  it('ignores // and nested /* */ comments', () => {
    expect(shape('process /* a /* nested */ comment */ where // to the end\n true')).toEqual(shape('process where true'));
  });
});

describe('parse: locations', () => {
  it('gives every node its offset, line and column span', () => {
    const text = 'process where\n  x == "ab"';
    const q = parse(text);
    if (q.type !== 'EventQuery' || q.filter.condition.type !== 'Comparison') throw new Error('shape');
    const { left, right } = q.filter.condition;
    expect(left.location).toEqual({ start: { offset: 16, line: 2, column: 3 }, end: { offset: 17, line: 2, column: 4 } });
    expect(right.location).toEqual({ start: { offset: 21, line: 2, column: 8 }, end: { offset: 25, line: 2, column: 12 } });
    expect(text.slice(right.location.start.offset, right.location.end.offset)).toBe('"ab"');
    expect(q.location.start.offset).toBe(0);
    expect(q.location.end.offset).toBe(text.length);
  });

  it('serialises to plain JSON and back without loss', () => {
    const q = parse('sequence by a [process where x : ("a*", "b") and y in (1, 2.5)] [file where not z]');
    expect(JSON.parse(JSON.stringify(q))).toEqual(q);
  });
});

describe('format', () => {
  it.each([
    ['process where x == 1', 'process where x == 1'],
    ['process   where   (x==1)', 'process where x == 1'],
    ['"my cat" where `a b` : ("x")', '"my cat" where `a b` : "x"'],
    ['any where (a or b) and c', 'any where (a or b) and c'],
    ['any where a or (b or c)', 'any where a or (b or c)'],
    ['any where not (a and b)', 'any where not (a and b)'],
    ['any where a - (b - c) == 1', 'any where a - (b - c) == 1'],
    ['any where -(a + b) > 1', 'any where -(a + b) > 1'],
    ['any where - -a > 1', 'any where - -a > 1'],
    ['any where (a + 1) in (1, 2)', 'any where (a + 1) in (1, 2)'],
    ['any where (a == 1) == true', 'any where (a == 1) == true'],
    ['any where x == "tab\\there \\"q\\" \\\\"', 'any where x == "tab\\there \\"q\\" \\\\"'],
    ['any where x == """C:\\x"""', 'any where x == "C:\\\\x"'],
    ['any where endswith~(x, "A")', 'any where endsWith~(x, "A")'],
    ['any where `sequence` == 1', 'any where `sequence` == 1'],
  ])('prints %s as %s', (input, output) => {
    expect(format(parse(input))).toBe(output);
  });

  it('prints a sequence with one stage per line', () => {
    expect(format(parse('sequence by a with maxspan=1m [x where true] by b with runs=2 ![y where true] by c until [z where true] by d | head 1'))).toBe(
      'sequence by a with maxspan=1m\n  [x where true] by b with runs=2\n  ![y where true] by c\nuntil [z where true] by d | head 1',
    );
  });
});

describe('what Elasticsearch works out while parsing', () => {
  it.each([
    ['process where true | head 2 * 3', 6],
    ['process where true | head +5', 5],
    ['process where true | head 5 -1', 4],
    ['process where true | tail -0', 0],
    ['process where true | head (7 / 2)', 3],
  ])('%s keeps %i results', (query, count) => {
    const events = Array.from({ length: 10 }, (_, i) => ({ '@timestamp': i + 1, event: { category: 'process' } }));
    expect(compile(query).search(events)).toHaveLength(count);
  });

  it('drops a unary plus before a join key', () => {
    expect(format(parse('sequence by +a [x where true] [y where true]'))).toBe(format(parse('sequence by a [x where true] [y where true]')));
  });
});
