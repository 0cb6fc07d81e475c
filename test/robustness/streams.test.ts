/**
 * Nothing is lost quietly: a stream with broken lines gives exactly the
 * alerts of its clean part, every bad line is reported with its number, and
 * the counts add up.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, type Event } from '../../src/index.js';
import { lines, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BROKEN = [
  '{"@timestamp": "2026-01-15T10:00:00Z", "event": {"category": "process"', // truncated JSON
  'not json at all',
  '{"event": {"category": ["process"]}, "host": {"id": "x"}}', // no timestamp
  '{"@timestamp": {"nested": true}, "event": {"category": ["network"]}}', // a timestamp of the wrong type
  '["an", "array"]',
  '42',
  '"a string"',
  '{"@timestamp": "yesterday", "event": {"category": ["process"]}}',
  '{"@timestamp": "2026-02-30T00:00:00Z"}',
  '\u0000\u0001binary',
];

describe('a stream with 10% broken lines', () => {
  const clean = lines(readFileSync(join(REPO_ROOT, 'rules/windows/lateral_movement_incoming_wmi.events.ndjson'), 'utf8'));
  // Ten clean copies, shifted in time, so the file is long; one broken line after every nine good ones.
  const good: string[] = [];
  for (let copy = 0; copy < 10; copy++) {
    for (const l of clean) {
      const e = JSON.parse(l) as Record<string, unknown> & { '@timestamp': string; host: { id: string } };
      e['@timestamp'] = new Date(Date.parse(e['@timestamp']) + copy * 86_400_000).toISOString();
      e.host = { ...e.host, id: `${e.host.id}-${copy}` };
      good.push(JSON.stringify(e));
    }
  }
  const mixed: string[] = [];
  const badLines: number[] = [];
  good.forEach((l, i) => {
    mixed.push(l);
    if (i % 9 === 8) {
      mixed.push(BROKEN[badLines.length % BROKEN.length]!);
      badLines.push(mixed.length);
    }
  });
  writeFileSync(join(dir, 'clean.ndjson'), `${good.join('\n')}\n`);
  writeFileSync(join(dir, 'mixed.ndjson'), `${mixed.join('\n')}\n`);

  it('has about one bad line in ten', async () => {
    expect(badLines.length / mixed.length).toBeGreaterThan(0.09);
    expect(badLines.length / mixed.length).toBeLessThan(0.11);
  });

  it('gives exactly the alerts of its clean part, and reports every bad line by number', async () => {
    const fromClean = await runCli(['run', '--events', join(dir, 'clean.ndjson')]);
    const fromMixed = await runCli(['run', '--events', join(dir, 'mixed.ndjson'), '--max-errors', '1000']);
    expect(fromClean.code).toBe(0);
    // The bad lines were not evaluated: exit 5 says so.
    expect(fromMixed.code).toBe(5);
    expect(lines(fromMixed.stdout).map((l) => JSON.parse(l).id)).toEqual(lines(fromClean.stdout).map((l) => JSON.parse(l).id));
    expect(lines(fromClean.stdout)).toHaveLength(40);
    const reported = [...fromMixed.stderr.matchAll(/mixed\.ndjson:(\d+): /g)].map((m) => Number(m[1]));
    expect(reported).toEqual(badLines);
    // read = evaluated + reported
    const summary = /(\d+) read, (\d+) evaluated, (\d+) reported/.exec(fromMixed.stderr)!;
    expect(Number(summary[1])).toBe(mixed.length);
    expect(Number(summary[1])).toBe(Number(summary[2]) + Number(summary[3]));
    expect(Number(summary[3])).toBe(badLines.length);
  });

  it('prints the first 20 problems, then one line with the count of the rest; the counts are whole', async () => {
    const r = await runCli(['run', '--events', join(dir, 'mixed.ndjson')]);
    const shown = [...r.stderr.matchAll(/mixed\.ndjson:(\d+): /g)].map((m) => Number(m[1]));
    expect(shown).toEqual(badLines.slice(0, 20));
    expect(r.stderr).toContain(`… and ${badLines.length - 20} more problems not shown (--max-errors N shows more)`);
    expect(r.stderr).toMatch(new RegExp(`${mixed.length} read, ${mixed.length - badLines.length} evaluated, ${badLines.length} reported`));
    const three = await runCli(['run', '--events', join(dir, 'mixed.ndjson'), '--max-errors', '3']);
    expect([...three.stderr.matchAll(/mixed\.ndjson:(\d+): /g)]).toHaveLength(3);
    expect(three.stderr).toContain(`… and ${badLines.length - 3} more problems not shown`);
  });

  it('with --prefilter, gives the same alerts and counts the lines it skipped by the prefilter', async () => {
    const parsedAll = await runCli(['run', '--events', join(dir, 'mixed.ndjson')]);
    const prefiltered = await runCli(['run', '--prefilter', '--events', join(dir, 'mixed.ndjson')]);
    expect(prefiltered.stdout).toBe(parsedAll.stdout);
    // read = evaluated + skipped by the prefilter + reported
    const summary = /(\d+) read, (\d+) evaluated, (\d+) skipped by the prefilter, (\d+) reported/.exec(prefiltered.stderr)!;
    expect(summary).not.toBeNull();
    const [read, evaluated, unparsed, reported] = summary.slice(1).map(Number) as [number, number, number, number];
    expect(read).toBe(mixed.length);
    expect(read).toBe(evaluated + unparsed + reported);
    expect(unparsed).toBeGreaterThan(0);
    expect(prefiltered.code).toBe(reported > 0 ? 5 : 0);
  });

  it.each([
    ['by default, onError sees every unusable event', { lazyTimestamps: false }],
    ['with lazyTimestamps, onError sees every event a stage used or without a timestamp', { lazyTimestamps: true }],
  ])('through the library too, %s; matches are unchanged', async (_, options) => {
    const q = compile('sequence by host.id with maxspan=2s [network where true] [process where true]');
    const parsed = mixed.flatMap((l) => {
      try {
        return [JSON.parse(l) as Event];
      } catch {
        return [];
      }
    });
    const errors: number[] = [];
    const m = q.matcher({ ...options, onError: (e) => errors.push(e.index) });
    const found = parsed.flatMap((e) => m.push(e)).concat(m.flush());
    const expected = q.search(good.map((l) => JSON.parse(l) as Event));
    expect(found.length).toBe(expected.length);
    expect(m.stats().eventsSeen).toBe(parsed.length);
    expect(m.stats().errors).toBe(errors.length);
    const goodLines = new Set(good);
    const unusable = parsed.flatMap((e, i) => (goodLines.has(JSON.stringify(e)) ? [] : [i]));
    expect(unusable).toHaveLength(parsed.length - good.length);
    if (!options.lazyTimestamps) {
      expect(errors).toEqual(unusable);
    } else {
      // Always reported: what is not an object or has no timestamp at all.
      const always = unusable.filter((i) => typeof parsed[i] !== 'object' || Array.isArray(parsed[i]) || !('@timestamp' in (parsed[i] as object)));
      expect(always.length).toBeGreaterThan(0);
      expect(errors.filter((i) => always.includes(i))).toEqual(always);
      expect(errors.every((i) => unusable.includes(i))).toBe(true);
    }
  });
});
