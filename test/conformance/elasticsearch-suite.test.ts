/**
 * Elasticsearch's own EQL QA suite, run as Elasticsearch runs it (see the
 * suite's README §2): each runner loads its data and mappings, then every
 * case's ids must come back in order.
 *
 * A case we cannot pass yet must be listed in
 * known-failures.json with its reason; a listed case that starts passing fails
 * the suite, so the list only shrinks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type CaseOutcome, type Runner, casesOf, loadRunners, runCase } from '../helpers/suite.js';
import { sharedPath } from '../helpers/shared.js';

const suiteDir = sharedPath('the Elasticsearch conformance suite', 'conformance', 'elasticsearch-eql');
const known = (JSON.parse(readFileSync(new URL('./known-failures.json', import.meta.url), 'utf8')) as { cases: Record<string, string> }).cases;

const tally = new Map<string, { passed: number; total: number }>();
const seenKnown = new Set<string>();

function count(key: string, field: 'passed' | 'total'): void {
  const t = tally.get(key) ?? { passed: 0, total: 0 };
  t[field]++;
  tally.set(key, t);
}

describe.skipIf(!suiteDir)('Elasticsearch EQL QA suite', () => {
  const runners: Runner[] = suiteDir ? loadRunners(suiteDir) : [];

  for (const runner of runners) {
    describe(runner.name, () => {
      it('loads its events, mappings and cases', () => {
        expect(runner.events.length).toBeGreaterThan(0);
        expect(Object.keys(runner.schema)).toContain('event.category');
        expect(casesOf(suiteDir!, runner).length).toBeGreaterThan(0);
      });

      for (const { file, case: c } of casesOf(suiteDir!, runner)) {
        const id = `${runner.name}/${c.name}`;
        const key = `${runner.name} ${file}`;
        it(c.name, () => {
          count(key, 'total');
          let outcome: CaseOutcome | undefined;
          let error: unknown;
          try {
            outcome = runCase(runner, c);
          } catch (e) {
            error = e;
          }
          if (known[id] !== undefined) {
            seenKnown.add(id);
            expect(outcome?.passed ?? false, `${id} passes now: remove it from known-failures.json`).toBe(false);
            return;
          }
          if (error) throw error;
          expect(outcome!.actual).toEqual(Array.isArray(c.expected_event_ids[0]) ? expect.anything() : c.expected_event_ids);
          expect(outcome!.passed).toBe(true);
          count(key, 'passed');
        });
      }
    });
  }

  it('needs its upstream errata: the stale 500ms case matches on nanosecond data, as Elasticsearch would', () => {
    const nanos = runners.find((r) => r.name === 'EqlDateNanosSpecTestCase')!;
    const stale = casesOf(suiteDir!, nanos).find(({ case: c }) => c.name === 'sequencesOnDifferentEventTypes7')!.case;
    expect(stale.query).toContain('maxspan=500ms');
    const asCopied = runCase(nanos, { ...stale, name: 'asCopied' });
    expect(asCopied.actual).toEqual([67, 68, 69, 70, 72, 73, 74, 75]);
    expect(runCase(nanos, stale).actual).toEqual([]);
  });

  it('lists no known failure that the suite does not run', () => {
    const ids = new Set(runners.flatMap((r) => casesOf(suiteDir!, r).map(({ case: c }) => `${r.name}/${c.name}`)));
    expect(Object.keys(known).filter((k) => !ids.has(k))).toEqual([]);
  });

  afterAll(() => {
    const lines = [...tally].map(([k, t]) => `  ${k}: ${t.passed}/${t.total} passed`);
    console.log(`conformance:\n${lines.join('\n')}\n  known failures: ${Object.keys(known).length}`);
  });
});
