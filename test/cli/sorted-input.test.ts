import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { orderBatch, orderSourceOf } from '../../src/engine/stream.js';
import type { Event } from '../../src/semantics/fields.js';
import { SortedInput } from '../../src/cli/sorted-input.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-sorted-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Layout {
  /** Each file's events, in the order written. */
  readonly files: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>;
  readonly gzip: readonly boolean[];
  readonly array: readonly boolean[];
}

let written = 0;
function writeLayout(layout: Layout): string[] {
  const folder = join(dir, `layout-${written++}`);
  mkdirSync(folder);
  return layout.files.map((events, i) => {
    const text = layout.array[i] ? `[\n${events.map((e) => JSON.stringify(e, null, 1)).join(',\n')}\n]\n` : `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const path = join(folder, `part-${i}.${layout.array[i] ? 'json' : 'ndjson'}${layout.gzip[i] ? '.gz' : ''}`);
    writeFileSync(path, layout.gzip[i] ? gzipSync(text) : text);
    return path;
  });
}

/** Runs the sorter and returns the `id` of each event in the order it gives them, and what it reported. */
async function sortedIds(files: string[], budget: number, fanIn: number, query: string, tempParent: string) {
  const source = orderSourceOf(compile(query, { tiebreakerField: 'seq' }).plan);
  const reported: string[] = [];
  const sorter = new SortedInput(files, {
    source,
    memoryBudget: budget,
    tempParent,
    fanIn,
    progress: { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 },
    onUnusable: (e, file, line) => reported.push(`${file}:${line}: ${e.code}`),
    onUnreadable: (file, cause) => new Error(`${file}: ${String(cause)}`),
  });
  const ids: unknown[] = [];
  for await (const batch of sorter.events()) for (const e of batch) ids.push((e.event as { id: unknown }).id);
  return { ids, reported, stats: sorter.stats };
}

/** The order a search over the files' concatenation gives. */
function expectedIds(layout: Layout, query: string): unknown[] {
  const source = orderSourceOf(compile(query, { tiebreakerField: 'seq' }).plan);
  const all = layout.files.flat() as Event[];
  return orderBatch(all, source).items.map((i) => (i.event as { id: unknown }).id);
}

const event = fc.record(
  {
    // Few distinct times, so that ties between files and within files are common.
    '@timestamp': fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 0, max: 12 }).map((s) => `2024-01-01T00:00:${String(s).padStart(2, '0')}Z`) },
      { weight: 1, arbitrary: fc.constantFrom('not a time', null) },
    ),
    seq: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    pad: fc.string({ maxLength: 40 }),
    neg: fc.constantFrom(0, -0, 1.5),
  },
  { requiredKeys: ['@timestamp', 'pad', 'neg'] },
);

const layout: fc.Arbitrary<Layout> = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    files: fc.array(fc.array(event, { maxLength: 40 }), { minLength: n, maxLength: n }),
    gzip: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    array: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

function numbered(l: Layout): Layout {
  let id = 0;
  return { ...l, files: l.files.map((f) => f.map((e) => ({ ...e, id: id++ }))) };
}

describe('sorting file inputs into the engine order', () => {
  it.each([
    ['an event query (missing tiebreakers first)', 'any where true'],
    ['a sequence (missing tiebreakers last)', 'sequence [any where true] [any where true]'],
  ])('gives the order of one search over the union, for any layout and any memory budget: %s', async (_name, query) => {
    const temp = join(dir, 'temp');
    mkdirSync(temp, { recursive: true });
    await fc.assert(
      fc.asyncProperty(layout.map(numbered), fc.constantFrom(1, 200, 2_000, 1 << 30), fc.constantFrom(2, 3, 64), async (l, budget, fanIn) => {
        const files = writeLayout(l);
        const { ids } = await sortedIds(files, budget, fanIn, query, temp);
        expect(ids).toEqual(expectedIds(l, query));
        expect(readdirSync(temp)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps an event text as it was, -0 included, when its run goes through the temporary folder', async () => {
    // JSON.stringify writes -0 as 0: the file is written by hand.
    const file = join(dir, 'negative-zero.ndjson');
    writeFileSync(file, '{"@timestamp": 2, "neg": -0}\n{"@timestamp": 1, "neg": -0.0}\n');
    const source = orderSourceOf(compile('any where true').plan);
    const sorter = new SortedInput([file!], {
      source,
      memoryBudget: 1,
      tempParent: dir,
      progress: { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 },
      onUnusable: () => {},
      onUnreadable: (f) => new Error(f),
    });
    const events: Event[] = [];
    for await (const batch of sorter.events()) for (const e of batch) events.push(e.event);
    expect(sorter.stats.spilledRuns).toBeGreaterThan(0);
    expect(events.map((e) => Object.is(e.neg, -0))).toEqual([true, true]);
  });

  it('reports each unusable event once, with its file and line, and leaves it out', async () => {
    const l = numbered({ files: [[{ '@timestamp': 3 }, { '@timestamp': 'soon' }, { '@timestamp': 1 }]], gzip: [false], array: [false] });
    const files = writeLayout(l);
    const { ids, reported } = await sortedIds(files, 1, 64, 'any where true', dir);
    expect(ids).toEqual([2, 0]);
    expect(reported).toEqual([`${files[0]}:2: EQL_EVENT_TIMESTAMP`]);
  });

  it('leaves sorted files where they are when they do not fit, and writes out only what is unsorted', async () => {
    const sorted = Array.from({ length: 50 }, (_, i) => ({ '@timestamp': i, pad: 'x'.repeat(50) }));
    const shuffled = [...sorted].reverse();
    const l = numbered({ files: [sorted, shuffled], gzip: [false, true], array: [false, false] });
    const files = writeLayout(l);
    const { ids, stats } = await sortedIds(files, 1_000, 64, 'any where true', dir);
    expect(ids).toEqual(expectedIds(l, 'any where true'));
    expect(stats.fileRuns).toBeGreaterThanOrEqual(1);
    expect(stats.spilledRuns).toBeGreaterThan(1);
    // Only the reversed file's events are written out (the sorted file's 50 would make it 50 or more), and not all of them: its first event is a sorted stretch of its own.
    expect(stats.spilledEvents).toBeGreaterThan(0);
    expect(stats.spilledEvents).toBeLessThan(50);
  });

  it('removes its temporary folder when the reader stops early', async () => {
    const temp = join(dir, 'early');
    mkdirSync(temp);
    const events = Array.from({ length: 200 }, (_, i) => ({ '@timestamp': 200 - i, id: i }));
    const files = writeLayout({ files: [events], gzip: [false], array: [false] });
    const source = orderSourceOf(compile('any where true').plan);
    const sorter = new SortedInput(files, {
      source,
      memoryBudget: 100,
      tempParent: temp,
      progress: { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 },
      onUnusable: () => {},
      onUnreadable: (f) => new Error(f),
    });
    for await (const batch of sorter.events()) {
      expect(readdirSync(temp).length).toBe(1);
      expect(batch[0]!.index).toBe(199);
      break;
    }
    expect(existsSync(temp) && readdirSync(temp)).toEqual([]);
  });
});
