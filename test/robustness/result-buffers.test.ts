/**
 * `| tail N` and `--size N` over half a million matches keep N of them, not all:
 * the built command line in a child process with a heap cap that so many
 * held matches would far exceed, and a time limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCapped, lines } from '../helpers/cli.js';
import { type Piece, processEvent, writeGzipPieces } from '../helpers/hostile-input.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-result-buffers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVENTS = 500_000;
/** Half a million events of one host, then the last one, told apart by its name; all at one time, so any layout is sorted. */
const pieces: Piece[] = [{ text: `${processEvent(1, 'x.exe')}\n`.repeat(10_000), times: EVENTS / 10_000 }, { text: `${processEvent(1, 'last.exe')}\n` }];
const file = join(dir, 'matches.ndjson.gz');
writeGzipPieces(file, pieces);

const LIMITS = { heapMb: 64, timeoutMs: 60_000 };

/** The match printed, and the counts line. */
async function run(query: string, ...options: string[]) {
  const r = await cliCapped(['query', query, ...options], { ...LIMITS, stdin: { file } });
  expect(r.timedOut).toBe(false);
  expect(r.code).toBe(0);
  return { printed: lines(r.stdout).map((l) => JSON.parse(l) as { kind: string; events: Array<{ process: { name: string } }> }), summary: r.stderr };
}

describe('half a million matching events on stdin', () => {
  it('| tail 1 keeps the last match only', async () => {
    const { printed, summary } = await run('process where true | tail 1');
    expect(printed.map((m) => m.events.map((e) => e.process.name))).toEqual([['last.exe']]);
    expect(summary).toContain(`${EVENTS + 1} read, ${EVENTS + 1} evaluated, 0 reported; ${EVENTS + 1} matches (1 printed)`);
  });

  it('--size 2 keeps the two most recent', async () => {
    const { printed } = await run('process where true', '--size', '2');
    expect(printed.map((m) => m.events[0]!.process.name)).toEqual(['x.exe', 'last.exe']);
  });

  it('a sequence | tail 1 keeps the last sequence only', async () => {
    const { printed, summary } = await run('sequence by host.id [process where true] [process where true] | tail 1');
    expect(printed.map((m) => m.events.map((e) => e.process.name))).toEqual([['x.exe', 'last.exe']]);
    expect(summary).toContain(`${EVENTS} matches (1 printed)`);
  });
});
