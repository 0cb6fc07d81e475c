import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { columnsFor } from '../../src/cli/columns.js';
import { csvCell } from '../../src/cli/formats/csv.js';
import { FORMATS, findFormat, formatNames } from '../../src/cli/formats/index.js';
import { defaultFormat, Output, type OutputOptions, parseFormat, UsageError } from '../../src/cli/output.js';
import { bundledRules, type Event } from '../../src/index.js';
import { alert, Collector, event, match } from './output-fixtures.js';

async function render(items: unknown[], options: OutputOptions, stream = new Collector()): Promise<string> {
  const output = new Output(stream, options);
  for (const item of items) await output.item(item);
  await output.end();
  return stream.text;
}

const rows = (text: string) => text.split('\n').filter((l) => l !== '');

/** Where each column starts in a table line: after a run of two spaces. */
function starts(line: string): number[] {
  const out = [0];
  for (const m of line.matchAll(/ {2,}(?=\S)/g)) out.push(m.index + m[0].length);
  return out;
}

const wmi = alert(
  'WMI Incoming Lateral Movement',
  'medium',
  [
    event('2026-01-15T10:01:00.000Z', { host: { name: 'WIN-1' }, process: { name: 'svchost.exe' } }),
    event('2026-01-15T10:01:01.000Z', { host: { name: 'WIN-1' }, process: { name: 'cmd.exe' }, user: { name: 'bob' } }),
  ],
  ['host-01'],
);
const other = alert('Other', 'critical', [event('2026-01-15T11:00:00.000Z', { host: { name: 'WIN-22' } })]);

describe('the format registry', () => {
  it('holds ndjson, json, table and csv, each found by name', () => {
    expect(formatNames()).toEqual(['ndjson', 'json', 'table', 'csv']);
    for (const f of FORMATS) expect(findFormat(f.name)).toBe(f);
  });

  it('marks table and csv as the formats with columns', () => {
    expect(FORMATS.filter((f) => f.columnar).map((f) => f.name)).toEqual(['table', 'csv']);
  });

  it('refuses an unknown format with a usage error that lists the formats', () => {
    expect(() => parseFormat('xml', {})).toThrow(UsageError);
    expect(() => parseFormat('xml', {})).toThrow(/ndjson, json, table, csv, not "xml"/);
    expect(() => new Output(new Collector(), { format: 'yaml' })).toThrow(/ndjson, json, table, csv, not "yaml"/);
  });

  it.each([
    [undefined, true, 'table'],
    [undefined, false, 'ndjson'],
    ['csv', true, 'csv'],
    ['json', false, 'json'],
  ])('--format %s on a terminal (%s) is %s', (value, isTTY, name) => {
    expect(parseFormat(value, { isTTY })).toBe(name);
    if (value === undefined) expect(defaultFormat({ isTTY })).toBe(name);
  });
});

describe('ndjson and json', () => {
  it('ndjson prints each result whole on its own line', async () => {
    const text = await render([wmi, match('event', [event('1')])], { format: 'ndjson' });
    expect(rows(text).map((l) => JSON.parse(l))).toEqual([wmi, match('event', [event('1')])]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it.each([
    ['no result', []],
    ['one result', [wmi]],
    ['two results', [wmi, other]],
  ])('json prints one array for %s', async (_, items) => {
    const text = await render(items, { format: 'json' });
    expect(JSON.parse(text)).toEqual(items);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [' spaced ', ' spaced '],
  ])('writes the cell %j as %j', (text, written) => {
    expect(csvCell(text)).toBe(written);
  });

  it('prints a header row, then a row per alert, with CRLF line ends', async () => {
    const text = await render([wmi, other], { format: 'csv', kind: 'alert' });
    expect(text.split('\r\n')).toEqual([
      'rule,severity,time,host,user,process,keys',
      'WMI Incoming Lateral Movement,medium,2026-01-15T10:01:01.000Z,WIN-1,bob,"svchost.exe, cmd.exe",host-01',
      'Other,critical,2026-01-15T11:00:00.000Z,WIN-22,,,',
      '',
    ]);
  });

  it('prints the header alone when nothing matched, for the kind of result given', async () => {
    expect(await render([], { format: 'csv', kind: 'alert' })).toBe('rule,severity,time,host,user,process,keys\r\n');
    expect(await render([], { format: 'csv', kind: 'match' })).toBe('time,kind,keys,host,user,process\r\n');
  });

  it('prints the chosen columns, and never cuts a cell', async () => {
    const long = 'x'.repeat(300);
    const m = match('event', [event('1', { process: { command_line: long }, user: { name: 'bob' } })]);
    const text = await render([m], { format: 'csv', columns: columnsFor(['events', 'user', 'process.command_line']), maxCellWidth: 10 });
    expect(text).toBe(`events,user,process.command_line\r\n1,bob,${long}\r\n`);
  });
});

describe('table', () => {
  it('prints an upper-case header and aligned columns sized to the widest cell', async () => {
    const text = await render([wmi, other], { format: 'table', kind: 'alert' });
    const lines = rows(text);
    expect(lines).toEqual([
      'RULE                           SEVERITY  TIME                      HOST    USER  PROCESS               KEYS',
      'WMI Incoming Lateral Movement  medium    2026-01-15T10:01:01.000Z  WIN-1   bob   svchost.exe, cmd.exe  host-01',
      'Other                          critical  2026-01-15T11:00:00.000Z  WIN-22',
    ]);
  });

  it('leaves join keys out when no result has any', async () => {
    const lines = rows(await render([other], { format: 'table', kind: 'alert' }));
    expect(lines[0]).toBe('RULE   SEVERITY  TIME                      HOST    USER  PROCESS');
  });

  it('keeps a chosen column even when it is empty', async () => {
    const lines = rows(await render([other], { format: 'table', columns: columnsFor(['rule', 'keys']) }));
    expect(lines).toEqual(['RULE   KEYS', 'Other']);
  });

  it('cuts a cell wider than the widest allowed, with "…"', async () => {
    const m = match('event', [event('1', { process: { command_line: 'abcdefghijklmnop' } })]);
    const lines = rows(await render([m], { format: 'table', columns: columnsFor(['process.command_line', 'events']), maxCellWidth: 8 }));
    // The header is cut like any cell: the column is as wide as allowed, no wider.
    expect(lines).toEqual(['PROCESS…  EVENTS', 'abcdefg…  1']);
  });

  it('holds rows until it has enough to size the columns, then keeps those widths', async () => {
    const stream = new Collector();
    const output = new Output(stream, { format: 'table', columns: columnsFor(['user', 'events']), bufferRows: 2 });
    const m = (user: string) => match('event', [event('1', { user: { name: user } })]);
    await output.item(m('ann'));
    expect(stream.text).toBe('');
    await output.item(m('bo'));
    expect(rows(stream.text)).toEqual(['USER  EVENTS', 'ann   1', 'bo    1']);
    await output.item(m('christopher'));
    await output.end();
    expect(rows(stream.text).slice(3)).toEqual(['chr…  1']);
    expect(output.count).toBe(3);
  });

  it('prints the rows it holds at the end of input', async () => {
    const text = await render([match('event', [event('1', { user: { name: 'ann' } })])], { format: 'table', columns: columnsFor(['user']), bufferRows: 500 });
    expect(rows(text)).toEqual(['USER', 'ann']);
  });

  it('prints nothing when nothing matched', async () => {
    expect(await render([], { format: 'table', kind: 'match' })).toBe('');
  });

  it.each([
    ['a line break', 'a\nb', 'a\\nb'],
    ['a terminal escape sequence', '\u001b[2Jx', '\\u001b[2Jx'],
  ])('prints %s in a value escaped, on one line', async (_, value, shown) => {
    const text = await render([match('event', [event('1', { user: { name: value } })])], { format: 'table', columns: columnsFor(['user']) });
    expect(rows(text)).toEqual(['USER', shown]);
  });

  it('aligns every row of a query match table on the same column starts', async () => {
    const ms = [
      match('sequence', [event('2026-01-15T10:01:00.000Z', { host: { name: 'WIN-1' } }), event('2026-01-15T10:01:01.000Z', { host: { name: 'WIN-1' }, process: { name: 'cmd.exe' } })], ['host-01']),
      match('sequence', [event('2026-01-15T10:02:00.000Z', { host: { name: 'WIN-222' }, user: { name: 'x' } }), null], ['host-02']),
    ];
    const lines = rows(await render(ms, { format: 'table', kind: 'match' }));
    expect(lines[0]).toBe('TIME                      KIND      KEYS     HOST     USER  PROCESS');
    for (const line of lines.slice(1)) for (const s of starts(line)) expect(starts(lines[0]!)).toContain(s);
  });

  describe('on a terminal', () => {
    const wide = (width: number) => new Collector({ isTTY: true, columns: width });

    it('leaves join keys out first when the table is wider than the terminal', async () => {
      const lines = rows(await render([wmi], { format: 'table', kind: 'alert' }, wide(100)));
      expect(lines[0]).toBe('RULE                           SEVERITY  TIME                      HOST   USER  PROCESS');
      expect(lines.every((l) => l.length <= 100)).toBe(true);
    });

    it('then narrows the widest text columns to fit, and keeps the time whole', async () => {
      const lines = rows(await render([wmi], { format: 'table', kind: 'alert' }, wide(70)));
      // 100 characters wide without keys: rule (29) and process (20) give up 30 between them, the wider first.
      expect(lines).toEqual(['RULE       SEVERITY  TIME                      HOST   USER  PROCESS', 'WMI Inco…  medium    2026-01-15T10:01:01.000Z  WIN-1  bob   svchost.e…']);
      expect(lines.every((l) => l.length <= 70)).toBe(true);
    });

    it('does not narrow a column below a few characters, even on a very narrow terminal', async () => {
      const lines = rows(await render([wmi], { format: 'table', columns: columnsFor(['rule', 'severity']) }, wide(5)));
      expect(lines).toEqual(['RULE      SEVERITY', 'WMI Inc…  medium']);
    });

    it('uses the whole table when it fits', async () => {
      const lines = rows(await render([wmi], { format: 'table', kind: 'alert' }, wide(200)));
      expect(lines[0]!.endsWith('KEYS')).toBe(true);
    });
  });

  it('shows the alerts of the bundled rule over its sample events, one row each', async () => {
    const [rule] = bundledRules();
    const file = join(import.meta.dirname, '../../rules/windows/lateral_movement_incoming_wmi.events.ndjson');
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Event);
    const alerts = rule!.run(events);
    const lines = rows(await render(alerts, { format: 'table', kind: 'alert' }));
    expect(lines).toHaveLength(alerts.length + 1);
    expect(lines[0]).toMatch(/^RULE +SEVERITY +TIME +HOST +USER +PROCESS/);
    for (const [i, a] of alerts.entries()) {
      expect(lines[i + 1]).toContain(a.rule.name);
      expect(lines[i + 1]).toContain(a.last_event_time);
    }
  });
});

describe('Output', () => {
  it('waits for the stream to take a write it cannot hold before the next result', async () => {
    const pending: (() => void)[] = [];
    const written: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      decodeStrings: false,
      write(chunk, _encoding, callback) {
        written.push(String(chunk));
        pending.push(callback);
      },
    });
    const output = new Output(slow, { format: 'ndjson' });
    let done = false;
    const first = output.item({ n: 1 }).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    pending.shift()!();
    await first;
    expect(done).toBe(true);
    expect(written).toEqual(['{"n":1}\n']);
  });

  it('ends quietly when the reader goes away (EPIPE), and writes no more', async () => {
    let writes = 0;
    const pipe = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = new Output(pipe, { format: 'json' });
    await output.item({ n: 1 });
    await new Promise((r) => setImmediate(r));
    expect(output.closed).toBe(true);
    await output.item({ n: 2 });
    await expect(output.end()).resolves.toBeUndefined();
    expect(writes).toBe(1);
  });

  it('fails on any other write error, as for a full disk', async () => {
    const full = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    const output = new Output(full, { format: 'ndjson' });
    // A stream may report the error on the failed write or after it: it surfaces by end() at the latest.
    const writeAll = async () => {
      await output.item({ n: 1 });
      await output.item({ n: 2 });
      await output.end();
    };
    await expect(writeAll()).rejects.toThrow(/no space left/);
  });

  it('ends a file it was asked to end, once everything is written', async () => {
    const file = new Collector();
    const output = new Output(file, { format: 'json', endStream: true });
    await output.item({ n: 1 });
    await output.end();
    expect(file.writableFinished).toBe(true);
    expect(JSON.parse(file.text)).toEqual([{ n: 1 }]);
  });

  it('leaves stdout open when not asked to end it', async () => {
    const stdout = new Collector();
    await render([{ n: 1 }], { format: 'ndjson' }, stdout);
    expect(stdout.writableEnded).toBe(false);
  });

  it('calls beforeWrite before each write, and not for rows a table holds back', async () => {
    const stream = new Collector();
    const seen: string[] = [];
    const output = new Output(stream, { format: 'table', columns: columnsFor(['kind']), bufferRows: 2, beforeWrite: () => seen.push(stream.text) });
    await output.item(match('event', []));
    expect(seen).toEqual([]);
    await output.item(match('event', []));
    await output.item(match('sequence', []));
    await output.end();
    // Called with what was on the stream before each write: nothing, then the first two rows.
    expect(seen).toEqual(['', 'KIND\nevent\nevent\n']);
  });

  it('takes the default columns of the first result when told no kind', async () => {
    expect(rows(await render([other], { format: 'csv' }))[0]).toBe('rule,severity,time,host,user,process,keys\r');
    expect(rows(await render([match('event', [])], { format: 'csv' }))[0]).toBe('time,kind,keys,host,user,process\r');
  });
});
