/**
 * Event input that is small on disk and huge, or deep, when read: each run
 * is the built command line in a child process with a heap cap and a time
 * limit, so that memory that grows with the input, a stack overflow or a
 * hang fails the test. Every record read is evaluated or reported with its
 * place, the run goes on, and the exit code says when events could not be
 * evaluated (5); a crash would be 4.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCapped, lines, runCli } from '../helpers/cli.js';
import { depthOf, nestedJson, type Piece, piecesOf, processEvent, writeGzipPieces } from '../helpers/hostile-input.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-input-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERY = 'process where process.name == "cmd.exe"';
const MB = 1 << 20;
/** Enough for the command line and its input's working set; far from enough to hold hundreds of megabytes. */
const HEAP_MB = 64;
const TIME_LIMIT_MS = 30_000;

const RULE = `[rule]
rule_id = "cmd"
name = "Cmd"
type = "eql"
language = "eql"
severity = "low"
risk_score = 21
query = '''
${QUERY}
'''
`;
const ruleFile = join(dir, 'cmd.toml');
writeFileSync(ruleFile, RULE);

/** The counts line of the summary. */
const counts = (stderr: string) => {
  const m = /(\d+) read, (\d+) evaluated, (\d+) reported; (\d+) (?:match|matches|alert|alerts)/.exec(stderr);
  if (!m) throw new Error(`no counts line in: ${stderr}`);
  const [read, evaluated, reported, found] = m.slice(1).map(Number) as [number, number, number, number];
  return { read, evaluated, reported, found };
};

/** An event with `deep` holding a value that makes the whole event `depth` levels deep. */
const deepEvent = (ms: number, depth: number, kind: 'object' | 'array') => `${processEvent(ms, 'cmd.exe').slice(0, -1)},"deep":${nestedJson(depth - 1, kind)}}`;

describe('an event nested thousands of levels deep', () => {
  // Events 1 and 3 are deeper than the limit; 2 is exactly at it; 4 is flat.
  const events = [deepEvent(1, 5_000, 'object'), deepEvent(2, 1_000, 'array'), deepEvent(3, 100_000, 'array'), processEvent(4, 'cmd.exe')];
  const ndjson = join(dir, 'deep.ndjson');
  writeFileSync(ndjson, `${events.join('\n')}\n`);
  const array = join(dir, 'deep.json.gz');
  writeGzipPieces(array, [{ text: `[\n${events.join(',\n')}\n]\n` }]);

  const expectReported = (stderr: string, where: (n: number) => string) => {
    expect(stderr).toContain(`${where(1)}objects and arrays nested more than 1,000 levels deep: not evaluated`);
    expect(stderr).toContain(`${where(3)}objects and arrays nested more than 1,000 levels deep: not evaluated`);
    expect(counts(stderr)).toEqual({ read: 4, evaluated: 2, reported: 2, found: 2 });
    expect(stderr).toContain('2 events could not be evaluated');
  };

  it.each(['ndjson', 'json'])('is reported by its line, and the one at the limit prints whole, as %s (query)', async (format) => {
    const r = await cliCapped(['query', QUERY, ndjson, '--format', format], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
    expect(r.code).toBe(5);
    expectReported(r.stderr, (n) => `${ndjson}:${n}: `);
    const matches = format === 'json' ? (JSON.parse(r.stdout) as unknown[]) : lines(r.stdout).map((l) => JSON.parse(l) as unknown);
    expect(matches.map((m) => depthOf((m as { events: unknown[] }).events[0]))).toEqual([1_000, 2]);
  });

  it.each(['table', 'csv'])('prints a deep field as %s (query)', async (format) => {
    const r = await cliCapped(['query', QUERY, ndjson, '--format', format, '--fields', 'time,deep'], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
    expect(r.code).toBe(5);
    expectReported(r.stderr, (n) => `${ndjson}:${n}: `);
    // The array at the limit shows its one value; the flat event has no `deep`.
    expect(lines(r.stdout).slice(1)).toEqual(format === 'csv' ? ['2,1\r', '4,\r'] : ['2     1', '4']);
  });

  it('gives alerts that print whole (run)', async () => {
    for (const format of ['ndjson', 'table']) {
      const r = await cliCapped(['run', ruleFile, '--events', ndjson, '--format', format], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
      expect(r.code).toBe(5);
      expectReported(r.stderr, (n) => `${ndjson}:${n}: `);
      if (format === 'ndjson') expect(lines(r.stdout).map((l) => depthOf(JSON.parse(l).events[0]))).toEqual([1_000, 2]);
      else expect(lines(r.stdout)).toHaveLength(3);
    }
  });

  it('is reported by its element in a gzip JSON array', async () => {
    const r = await cliCapped(['query', QUERY, array], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
    expect(r.code).toBe(5);
    expectReported(r.stderr, (n) => `${array}:${n + 1}: array element ${n}: `);
    expect(lines(r.stdout).map((l) => depthOf(JSON.parse(l).events[0]))).toEqual([1_000, 2]);
  });
});

/** A string of `mb` megabytes of `x`, as pieces. */
const megabytes = (mb: number): Piece => ({ text: 'x'.repeat(MB), times: mb });

describe('a gzip JSON array that expands to hundreds of megabytes', () => {
  it('passes over an element larger than --max-line-size, reports it by number, and reads the rest in flat memory', async () => {
    const file = join(dir, 'huge-element.json.gz');
    writeGzipPieces(file, [{ text: `[${processEvent(1, 'cmd.exe')},\n{"@timestamp": 2, "big": "` }, megabytes(256), { text: `"},\n${processEvent(3, 'cmd.exe')}]\n` }]);
    const r = await cliCapped(['query', QUERY, file], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${file}:2: array element 2 is longer than 16MB (--max-line-size): not read`);
    expect(counts(r.stderr)).toEqual({ read: 3, evaluated: 2, reported: 1, found: 2 });
    expect(lines(r.stdout).map((l) => JSON.parse(l).events[0]['@timestamp'])).toEqual([1, 3]);
  });

  it('streams its elements: a heap far smaller than the array holds every one of them in turn', async () => {
    const element = processEvent(1, 'x.exe', { message: 'm'.repeat(900) });
    const pieces: Piece[] = [{ text: '[' }, { text: `${element},`.repeat(1000), times: 200 }, { text: `${processEvent(2, 'cmd.exe')}]` }];
    const r = await cliCapped(['query', QUERY, '-'], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS, stdin: () => piecesOf(pieces) });
    expect(r.code).toBe(0);
    expect(counts(r.stderr)).toEqual({ read: 200_001, evaluated: 200_001, reported: 0, found: 1 });
  });
});

describe('a single huge line', () => {
  it('with no line break at all, on stdin, is reported as too long, in flat memory', async () => {
    const r = await cliCapped(['query', QUERY, '-'], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS, stdin: () => piecesOf([{ text: '{"@timestamp": 1, "big": "' }, megabytes(256)]) });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('<stdin>:1: the line is longer than 16MB (--max-line-size): not read');
    expect(counts(r.stderr)).toEqual({ read: 1, evaluated: 0, reported: 1, found: 0 });
  });

  it('between good lines of a gzip file, is reported by its number and the others are read', async () => {
    const file = join(dir, 'huge-line.ndjson.gz');
    writeGzipPieces(file, [{ text: `${processEvent(1, 'cmd.exe')}\n{"@timestamp": 2, "big": "` }, megabytes(256), { text: `"}\n${processEvent(3, 'cmd.exe')}\n` }]);
    const r = await cliCapped(['run', ruleFile, '--events', file], { heapMb: HEAP_MB, timeoutMs: TIME_LIMIT_MS });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${file}:2: the line is longer than 16MB (--max-line-size): not read`);
    expect(counts(r.stderr)).toEqual({ read: 3, evaluated: 2, reported: 1, found: 2 });
  });
});

describe('--max-line-size', () => {
  const line = (length: number, ms: number) => {
    const start = `{"@timestamp": ${ms}, "event": {"category": "process"}, "process": {"name": "cmd.exe"}, "pad": "`;
    return `${start}${'p'.repeat(length - start.length - 2)}"}`;
  };
  const file = join(dir, 'sizes.ndjson');
  writeFileSync(file, `${line(1024, 1)}\n${line(1025, 2)}\n${line(100, 3)}\r\n${line(5000, 4)}`);
  const array = join(dir, 'sizes.json');
  writeFileSync(array, `[${line(1024, 1)}, ${line(1025, 2)},\n${line(100, 3)}]`);

  it('reads lines and elements up to the size, reports longer ones by number, and goes on', async () => {
    const r = await runCli(['query', QUERY, file, '--max-line-size', '1KB']);
    expect(r.code).toBe(5);
    expect(lines(r.stdout).map((l) => JSON.parse(l).events[0]['@timestamp'])).toEqual([1, 3]);
    expect(r.stderr).toContain(`${file}:2: the line is longer than 1KB (--max-line-size): not read`);
    expect(r.stderr).toContain(`${file}:4: the line is longer than 1KB (--max-line-size): not read`);
    expect(counts(r.stderr)).toEqual({ read: 4, evaluated: 2, reported: 2, found: 2 });

    const a = await runCli(['query', QUERY, array, '--max-line-size', '1024']);
    expect(a.stderr).toContain(`${array}:1: array element 2 is longer than 1KB (--max-line-size): not read`);
    expect(counts(a.stderr)).toEqual({ read: 3, evaluated: 2, reported: 1, found: 2 });
  });

  it('is a usage error when it is not a size', async () => {
    for (const bad of ['0', 'big', '', '1.5XB']) {
      const r = await runCli(['query', QUERY, file, '--max-line-size', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-line-size must be/);
    }
  });
});
