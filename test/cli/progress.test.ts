import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { columnsFor } from '../../src/cli/columns.js';
import type { InputProgress } from '../../src/cli/input.js';
import { Output } from '../../src/cli/output.js';
import { Progress, type ProgressOptions } from '../../src/cli/progress.js';
import { Collector, event, match } from './output-fixtures.js';

const MB = 1024 * 1024;
const CLEAR = '\r\u001b[K';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(options: Partial<Omit<ProgressOptions, 'input'>> & { input?: Partial<InputProgress> } = {}) {
  const stream = options.stream ?? new Collector({ isTTY: true });
  const input: InputProgress = { bytesRead: 4 * MB, bytesTotal: 8 * MB, linesPrefiltered: 0, ...options.input };
  const counts = { events: 0, matches: 0 };
  const progress = new Progress({ word: 'match', ...options, stream, input, counts });
  return { stream: stream as Collector, input, counts, progress };
}

describe('Progress', () => {
  it('draws bytes read, the share of the input, events per second and results so far on its own stream', () => {
    const { stream, counts, progress } = setup();
    progress.start();
    counts.events = 1000;
    counts.matches = 1;
    vi.advanceTimersByTime(500);
    expect(stream.text.split('\r').at(-1)).toBe('[############............]  50% 4.0 MB / 8.0 MB  2,000 events/s  1 match\u001b[K');
    counts.matches = 2;
    vi.advanceTimersByTime(250);
    expect(stream.text).toMatch(/2 matches\u001b\[K$/);
    progress.stop();
  });

  it('shows bytes alone when the size of the input is unknown (stdin)', () => {
    const { stream, progress } = setup({ input: { bytesRead: 5 * MB, bytesTotal: 0 } });
    progress.start();
    vi.advanceTimersByTime(250);
    expect(stream.text).toBe('\r5.0 MB  0 events/s  0 matches\u001b[K');
    progress.stop();
  });

  it.each([
    ['stderr is not a terminal', { stream: new Collector({ isTTY: false }) }],
    ['--quiet', { quiet: true }],
    ['the input is small', { input: { bytesRead: 1000, bytesTotal: 2000 } }],
  ])('draws nothing when %s', (_, options) => {
    const { stream, progress } = setup(options);
    progress.start();
    vi.advanceTimersByTime(2000);
    progress.stop();
    expect(stream.text).toBe('');
  });

  it('starts drawing once a stream of unknown size has passed the threshold', () => {
    const { stream, input, progress } = setup({ input: { bytesRead: 0, bytesTotal: 0 }, minBytes: 100 });
    progress.start();
    vi.advanceTimersByTime(1000);
    expect(stream.text).toBe('');
    input.bytesRead = 150;
    vi.advanceTimersByTime(250);
    expect(stream.text).toContain('0.0 MB');
    progress.stop();
  });

  it('takes its line away at stop, and draws no more', () => {
    const { stream, progress } = setup();
    progress.start();
    vi.advanceTimersByTime(250);
    progress.stop();
    expect(stream.text.endsWith(CLEAR)).toBe(true);
    const before = stream.text;
    vi.advanceTimersByTime(1000);
    expect(stream.text).toBe(before);
  });

  describe('clear()', () => {
    it('takes the line off a terminal that results share, once, and the next tick draws it again', () => {
      const { stream, progress } = setup({ results: { isTTY: true } });
      progress.start();
      vi.advanceTimersByTime(250);
      const drawn = stream.text;
      progress.clear();
      progress.clear();
      expect(stream.text).toBe(drawn + CLEAR);
      vi.advanceTimersByTime(250);
      expect(stream.text.length).toBeGreaterThan((drawn + CLEAR).length);
      expect(stream.text.endsWith('\u001b[K')).toBe(true);
      progress.stop();
    });

    it('does nothing when results go elsewhere (a pipe or a file)', () => {
      const { stream, progress } = setup({ results: { isTTY: false } });
      progress.start();
      vi.advanceTimersByTime(250);
      const drawn = stream.text;
      progress.clear();
      expect(stream.text).toBe(drawn);
      progress.stop();
    });

    it('does nothing before the line is drawn', () => {
      const { stream, progress } = setup({ results: { isTTY: true } });
      progress.start();
      progress.clear();
      expect(stream.text).toBe('');
      progress.stop();
    });
  });

  it('never leaves a result row on the progress line when both write to one terminal', async () => {
    const log: string[] = [];
    const stdout = new Collector({ isTTY: true, screen: { name: 'out', log } });
    const stderr = new Collector({ isTTY: true, screen: { name: 'err', log } });
    const { progress } = setup({ stream: stderr, results: stdout });
    const output = new Output(stdout, { format: 'ndjson', beforeWrite: () => progress.clear() });
    progress.start();
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(250);
      await output.item(match('event', [event(String(i))]));
    }
    await output.end();
    progress.stop();
    // Each row is written where a line starts: right after the progress line was cleared.
    const rows = log.flatMap((entry, i) => (entry.startsWith('out:') ? [i] : []));
    expect(rows).toHaveLength(3);
    for (const i of rows) expect(log[i - 1]).toBe(`err:${CLEAR}`);
  });

  it('clears before a table releases its held rows, not for each row it holds', async () => {
    const log: string[] = [];
    const stdout = new Collector({ isTTY: true, screen: { name: 'out', log } });
    const stderr = new Collector({ isTTY: true, screen: { name: 'err', log } });
    const { progress } = setup({ stream: stderr, results: stdout });
    const output = new Output(stdout, { format: 'table', columns: columnsFor(['kind']), beforeWrite: () => progress.clear() });
    progress.start();
    vi.advanceTimersByTime(250);
    await output.item(match('event', []));
    await output.item(match('event', []));
    expect(log.filter((e) => e === `err:${CLEAR}`)).toHaveLength(0);
    await output.end();
    expect(log.slice(-2)).toEqual([`err:${CLEAR}`, 'out:KIND\nevent\nevent\n']);
    progress.stop();
  });
});
