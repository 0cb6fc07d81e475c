import { describe, expect, it } from 'vitest';
import { columnsFor, defaultColumns, escapeControls, itemKind, parseFields } from '../../src/cli/columns.js';
import { UsageError } from '../../src/cli/output.js';
import { alert, event, match } from './output-fixtures.js';

const cell = (name: string, item: unknown, options = {}) => columnsFor([name], options)[0]!.cell(item);

describe('parseFields', () => {
  it.each([
    ['rule', ['rule']],
    ['rule,severity,process.command_line', ['rule', 'severity', 'process.command_line']],
    [' host , user ', ['host', 'user']],
  ])('reads %j as its names', (text, names) => {
    expect(parseFields(text)).toEqual(names);
  });

  it.each(['', 'a,,b', 'a,', ',a', ' , '])('rejects %j, which has an empty name, as a usage error', (text) => {
    expect(() => parseFields(text)).toThrow(UsageError);
  });
});

describe('columns of an alert', () => {
  const a = alert(
    'Suspicious WMI',
    'high',
    [
      event('2026-01-15T10:01:00.000Z', { host: { name: 'WIN-1' }, process: { name: 'svchost.exe' } }),
      null,
      event('2026-01-15T10:01:01.000Z', { host: { name: 'WIN-1' }, process: { name: 'cmd.exe', command_line: 'cmd /c whoami' }, user: { name: 'bob' } }),
    ],
    ['host-01', 7],
  );

  it.each([
    ['rule', 'Suspicious WMI'],
    ['severity', 'high'],
    ['time', '2026-01-15T10:01:01.000Z'],
    ['kind', 'sequence'],
    ['keys', 'host-01, 7'],
    ['events', '2'],
    ['host', 'WIN-1'],
    ['user', 'bob'],
    ['process', 'svchost.exe, cmd.exe'],
    ['process.command_line', 'cmd /c whoami'],
    ['host.name', 'WIN-1'],
    ['no.such.field', ''],
  ])('%s shows %j', (name, text) => {
    expect(cell(name, a)).toBe(text);
  });
});

describe('event field columns', () => {
  it.each([
    ['a nested object', { process: { args: 'x' } }, 'x'],
    ['a dotted key', { 'process.args': 'x' }, 'x'],
    ['the nested spelling, as the engine does, when a dotted key spells it too', { process: { args: 'y' }, 'process.args': 'x' }, 'y'],
    ['an array of values', { process: { args: ['cmd.exe', '/c', 'whoami'] } }, 'cmd.exe, /c, whoami'],
    ['nested arrays with nulls', { process: { args: [['a', null], [['b']], null] } }, 'a, b'],
    ['an array of objects', { process: [{ args: 'a' }, { args: 'b' }] }, 'a, b'],
    ['numbers and booleans', { process: { args: [1, true] } }, '1, true'],
    ['an object value, as JSON', { process: { args: { x: 1 } } }, '{"x":1}'],
    ['an object in an array, as JSON', { process: { args: [{ x: 1 }, 'a'] } }, '{"x":1}, a'],
    ['null', { process: { args: null } }, ''],
  ])('reads %s', (_, fields, text) => {
    expect(cell('process.args', match('event', [event('t', fields)]))).toBe(text);
  });

  it('shows each value once across the events, in order of first appearance', () => {
    const m = match('sequence', [event('1', { user: { name: 'b' } }), event('2', { user: { name: 'a' } }), event('3', { user: { name: 'b' } })]);
    expect(cell('user', m)).toBe('b, a');
  });
});

describe('columns of a query match', () => {
  const m = match('sequence', [event('2026-01-15T10:01:00.000Z', { ts: 5 }), event('2026-01-15T10:01:02.000Z', { ts: 9 }), null], ['host-01']);

  it.each([
    ['time', {}, '2026-01-15T10:01:02.000Z'],
    ['time', { timestampField: 'ts' }, '9'],
    ['kind', {}, 'sequence'],
    ['keys', {}, 'host-01'],
    ['rule', {}, ''],
    ['severity', {}, ''],
  ])('%s (options %j) shows %j', (name, options, text) => {
    expect(cell(name, m, options)).toBe(text);
  });
});

describe('default columns', () => {
  it.each([
    ['alert', ['rule', 'severity', 'time', 'host', 'user', 'process', 'keys']],
    ['match', ['time', 'kind', 'keys', 'host', 'user', 'process']],
  ] as const)('for a %s are %j, join keys optional', (kind, names) => {
    const columns = defaultColumns(kind);
    expect(columns.map((c) => c.name)).toEqual(names);
    expect(columns.filter((c) => c.optional).map((c) => c.name)).toEqual(['keys']);
  });

  it('an alert is told from a match by its rule', () => {
    expect(itemKind(alert('R', 'low', [event('1')]))).toBe('alert');
    expect(itemKind(match('event', [event('1')]))).toBe('match');
  });
});

describe('escapeControls', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\tb\r', 'a\\tb\\r'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['\u009b', '\\u009b'],
    ['plain é ✓', 'plain é ✓'],
  ])('prints %j as %j', (text, shown) => {
    expect(escapeControls(text)).toBe(shown);
  });
});
