/**
 * An event query explained: each event's condition as the optimizer leaves
 * it, every node with its result, every leaf with the values it read; the
 * root's result is what the engine decides.
 */
import { describe, expect, it } from 'vitest';
import { type ClauseTrace, compile, EqlInvalidArgumentError, type EventQueryExplanation, explain, type ExplainOptions, schemaFromMapping } from '../../src/index.js';

const T = '2026-01-01T00:00:00.000Z';

/** The tree as lines: `✓ and`, `✗ process.name : "cmd.exe"`, indented by depth. */
function lines(node: ClauseTrace, depth = 0): string[] {
  const mark = node.result ? '✓' : '✗';
  const own = `${'  '.repeat(depth)}${mark} ${node.kind === 'leaf' ? node.text : node.kind}`;
  return node.kind === 'leaf' ? [own] : [own, ...node.operands.flatMap((o) => lines(o, depth + 1))];
}

function explainOne(query: string, event: Record<string, unknown>, options: ExplainOptions = {}) {
  const e = explain(query, [{ '@timestamp': T, ...event }], options) as EventQueryExplanation;
  expect(e.kind).toBe('event');
  return e.events[0]!;
}

describe('the tree of an event query', () => {
  it.each([
    {
      name: 'and, or and not, each with its result',
      query: 'process where (process.name : "cmd.exe" or process.name == "pwsh.exe") and not process.args : "/c"',
      event: { process: { name: 'CMD.EXE', args: ['/c', 'dir'] } },
      tree: ['✗ and', '  ✓ or', '    ✓ process.name : "cmd.exe"', '    ✗ process.name == "pwsh.exe"', '  ✗ not', '    ✓ process.args : "/c"'],
    },
    {
      name: 'in and in~, and not in',
      query: 'any where user.name in ("root", "admin") and host.name in~ ("WEB-1") and process.name not in ("bash")',
      event: { user: { name: 'admin' }, host: { name: 'web-1' }, process: { name: 'sh' } },
      tree: ['✓ and', '  ✓ user.name in ("root", "admin")', '  ✓ host.name in~ ("WEB-1")', '  ✓ process.name not in ("bash")'],
    },
    {
      name: 'wildcards: case-insensitive :, case-sensitive like',
      query: 'any where file.path : "C:\\\\Windows\\\\*.EXE" and file.name like "a?c*"',
      event: { file: { path: 'c:\\windows\\cmd.exe', name: 'Abcd' } },
      tree: ['✗ and', '  ✓ file.path : "C:\\\\Windows\\\\*.EXE"', '  ✗ file.name like "a?c*"'],
    },
    {
      name: 'a regular expression',
      query: 'any where process.command_line regex~ ".*-ENC [a-z0-9]+"',
      event: { process: { command_line: 'powershell -enc ZQB4AA' } },
      tree: ['✓ process.command_line regex~ ".*-ENC [a-z0-9]+"'],
    },
    {
      name: 'functions: an index query and a script',
      query: 'any where startsWith~(process.name, "POWER") and length(process.name) > 20',
      event: { process: { name: 'powershell.exe' } },
      tree: ['✗ and', '  ✓ startsWith~(process.name, "POWER")', '  ✗ length(process.name) > 20'],
    },
    {
      name: 'null checks as the optimizer makes them (IsNull), on an absent and a present field',
      query: 'any where process.parent.name == null and user.id != null',
      event: { user: { id: 'S-1' } },
      tree: ['✓ and', '  ✓ process.parent.name == null', '  ✓ user.id != null'],
    },
    {
      name: 'an array: any value satisfies a positive leaf, and != holds when no value equals',
      query: 'any where process.args : "-nop" and process.args != "-c"',
      event: { process: { args: ['powershell', '-NoP', '-nop'] } },
      tree: ['✓ and', '  ✓ process.args : "-nop"', '  ✓ process.args != "-c"'],
    },
    {
      name: 'not of a leaf on an absent field holds',
      query: 'any where not process.name : "cmd.exe"',
      event: {},
      tree: ['✓ not', '  ✗ process.name : "cmd.exe"'],
    },
    {
      name: 'the optimizer moves a literal to the right',
      query: 'any where 5 < process.pid',
      event: { process: { pid: 6 } },
      tree: ['✓ process.pid > 5'],
    },
    {
      name: 'the optimizer moves arithmetic across a comparison',
      query: 'any where process.pid + 1 != 5',
      event: { process: { pid: 4 } },
      tree: ['✗ process.pid != 4'],
    },
    {
      name: 'not of a condition that folds to null drops every event',
      query: 'any where not process.name in (null)',
      event: { process: { name: 'x' } },
      tree: ['✗ not', '  ✗ process.name in (null)'],
    },
    {
      name: 'a boolean field as a condition',
      query: 'any where dll.code_signature.trusted',
      event: { dll: { code_signature: { trusted: 'true' } } },
      tree: ['✓ dll.code_signature.trusted'],
    },
  ])('$name', ({ query, event, tree }) => {
    const v = explainOne(query, event);
    expect(lines(v.filter.condition)).toEqual(tree);
    const engine = compile(query).matches({ '@timestamp': T, ...event });
    expect(v.filter.result).toBe(engine);
    expect(v.matched).toBe(engine);
  });
});

describe('the values a leaf reads', () => {
  it.each([
    { query: 'any where process.name : "cmd.exe"', event: { process: { name: 'bash' } }, values: [{ field: 'process.name', absent: false, value: 'bash' }] },
    { query: 'any where process.name : "cmd.exe"', event: {}, values: [{ field: 'process.name', absent: true, value: null }] },
    { query: 'any where process.args : "/c"', event: { process: { args: ['a', null, '/c'] } }, values: [{ field: 'process.args', absent: false, value: ['a', null, '/c'] }] },
    {
      query: 'any where concat(user.domain, "\\\\", user.name) : "corp\\\\admin"',
      event: { user: { domain: 'CORP', name: 'x' } },
      values: [
        { field: 'user.domain', absent: false, value: 'CORP' },
        { field: 'user.name', absent: false, value: 'x' },
      ],
    },
    { query: 'any where `my field` == 1', event: { 'my field': 1 }, values: [{ field: 'my field', absent: false, value: 1 }] },
  ])('$query on $event', ({ query, event, values }) => {
    const leaf = explainOne(query, event).filter.condition;
    expect(leaf.kind).toBe('leaf');
    if (leaf.kind === 'leaf') expect(leaf.values).toEqual(values);
  });

  it('reads values as the schema types them: a long field written as text is a number', () => {
    const schema = schemaFromMapping({ properties: { '@timestamp': { type: 'date' }, process: { properties: { pid: { type: 'long' } } } } });
    const leaf = explainOne('any where process.pid > 10', { process: { pid: '12' } }, { schema }).filter.condition;
    expect(leaf).toMatchObject({ kind: 'leaf', result: true, values: [{ field: 'process.pid', value: 12 }] });
  });
});

describe('each node of the tree', () => {
  it('has its place in the query text, and what its leaf expects', () => {
    const v = explainOne('process where\n  process.name : "cmd.exe" and\n  process.pid >= 4', { process: { name: 'cmd.exe', pid: 3 } });
    const root = v.filter.condition;
    expect(root).toMatchObject({ kind: 'and', location: { start: { line: 2, column: 3 } } });
    if (root.kind !== 'and') throw new Error('an and');
    expect(root.operands.map((o) => [o.text, o.location.start.line, o.location.start.column, o.kind === 'leaf' ? o.expected : null])).toEqual([
      ['process.name : "cmd.exe"', 2, 3, ': "cmd.exe"'],
      ['process.pid >= 4', 3, 3, '>= 4'],
    ]);
  });

  it('gives the category check apart from the condition, and both make the result', () => {
    const v = explainOne('process where true', { event: { category: ['network', 'file'] } });
    expect(v.filter.category).toEqual({ expected: 'process', field: 'event.category', value: ['network', 'file'], result: false });
    expect(v.filter.condition.result).toBe(true);
    expect(v.filter.result).toBe(false);
  });

  it('names the clauses that failed: false leaves under and, and a not whose operand held', () => {
    const v = explainOne('any where a == 1 and (b == 2 or c == 3) and not d == 4', { a: 1, b: 0, c: 0, d: 4 });
    expect(v.filter.failed.map((c) => c.text)).toEqual(['b == 2', 'c == 3', 'not d == 4']);
  });
});

describe('the verdict of an event query', () => {
  const events = [
    { '@timestamp': '2026-01-01T00:00:01Z', event: { category: 'process' }, process: { name: 'cmd.exe' } },
    { '@timestamp': '2026-01-01T00:00:02Z', event: { category: 'process' }, process: { name: 'cmd.exe' } },
    { event: { category: 'process' }, process: { name: 'cmd.exe' } },
    { '@timestamp': '2026-01-01T00:00:03Z', event: { category: 'process' }, process: { name: 'bash' } },
  ];

  it('is the engine’s: a filter that holds on an event without a timestamp, or cut by a pipe, is no result, and says why', () => {
    const e = explain('process where process.name : "cmd.exe" | tail 1', events) as EventQueryExplanation;
    expect(e.events.map((v) => [v.event.index, v.filter.result, v.matched])).toEqual([
      [0, true, false],
      [1, true, true],
      [2, true, false],
      [3, false, false],
    ]);
    expect(e.events[0]!.note).toMatch(/pipes \(\| tail 1\) leave the event out/);
    expect(e.events[2]!.note).toMatch(/cannot be used: no readable timestamp/);
    expect(e.unusable).toEqual([{ index: 2, reason: 'no readable timestamp in [@timestamp]' }]);
    expect(e.resultCount).toBe(1);
  });

  it('explains one event with options.event, and counts the rest under a limit', () => {
    const one = explain('process where true', events, { event: 3 }) as EventQueryExplanation;
    expect(one.events.map((v) => v.event.index)).toEqual([3]);
    const limited = explain('process where true', events, { limit: 1 }) as EventQueryExplanation;
    expect([limited.events.length, limited.omitted]).toEqual([1, 3]);
  });

  it.each([
    [{ event: 4 }, 'options.event'],
    [{ event: -1 }, 'options.event'],
    [{ key: 'a' }, 'options.key'],
    [{ candidates: 1.5 }, 'options.candidates'],
  ])('refuses %o', (options, argument) => {
    expect(() => explain('process where true', events, options)).toThrow(EqlInvalidArgumentError);
    expect(() => explain('process where true', events, options)).toThrow(argument);
  });

  it('refuses what is neither a rule nor a query, and events that are not iterable', () => {
    expect(() => explain(42 as unknown as string, [])).toThrow(EqlInvalidArgumentError);
    expect(() => explain('any where true', 5 as unknown as [])).toThrow(EqlInvalidArgumentError);
  });

  it('takes a compiled query with its own fields', () => {
    const q = compile('process where process.name == "x"', { eventCategoryField: 'kind' });
    const e = explain(q, [{ '@timestamp': T, kind: 'process', process: { name: 'x' } }]) as EventQueryExplanation;
    expect(e.events[0]).toMatchObject({ matched: true, filter: { category: { field: 'kind', result: true } } });
  });
});
