/**
 * Explain over synthesized events, for every corpus rule synth can build
 * events for: on a witness explain says the rule matched, on each near miss
 * that it did not, and it names what the near miss broke, on the stage it
 * broke: the clause among the failed ones (by its place in the query) or the
 * category, in an event explain traced against that stage; the maxspan, the
 * until event or the missing-event stage; or, for a join key, an event under
 * another key that differs in that `by` field.
 */
import { describe, expect, it } from 'vitest';
import { explain, type Explanation, loadRules, type NearMiss, SynthesisError, synthesize } from '../../src/index.js';
import type { ClauseTrace, FilterTrace, OtherKeyCandidate } from '../../src/explain/types.js';
import type { Location } from '../../src/parser/ast.js';
import { sharedPath } from '../helpers/shared.js';

const corpus = sharedPath('explain over synthesized events', 'corpus', 'detection-rules');

const overlaps = (a: Location, b: Location): boolean => a.start.offset < b.end.offset && b.start.offset < a.end.offset;

/** Every clause of a trace that failed, and the combined ones above them. */
function failedClauses(filter: FilterTrace): ClauseTrace[] {
  const out: ClauseTrace[] = [];
  const visit = (c: ClauseTrace): void => {
    if (!c.result || c.kind === 'not') out.push(c);
    if (c.kind !== 'leaf') for (const o of c.operands) visit(o);
  };
  visit(filter.condition);
  return out;
}

/**
 * The filters explain evaluated on the near miss's events, where a broken clause would show, each with its
 * stage (0-based; null for an event query): the closest candidates with the key, those under other keys, the
 * events a partial sequence passed over, and the events left out for want of a key value.
 */
function filtersOf(e: Explanation): Array<{ stage: number | null; filter: FilterTrace }> {
  switch (e.kind) {
    case 'event':
      return e.events.map((v) => ({ stage: null, filter: v.filter }));
    case 'sequence':
      return [
        ...e.unkeyed.flatMap((u) => u.events.map((x) => ({ stage: u.stage, filter: x.filter }))),
        ...e.keys.flatMap((k) => [
          ...[...(k.next?.candidates ?? []), ...(k.next?.otherKeyCandidates ?? [])].map((c) => ({ stage: k.next!.stage, filter: c.filter })),
          ...k.passedOver.map((p) => ({ stage: p.stage, filter: p.filter })),
        ]),
      ];
    case 'sample':
      return [
        ...e.unkeyed.flatMap((u) => u.events.map((x) => ({ stage: u.stage, filter: x.filter }))),
        ...e.keys.flatMap((k) => k.stages.flatMap((s) => [...s.candidates, ...s.otherKeyCandidates].map((c) => ({ stage: s.stage, filter: c.filter })))),
      ];
  }
}

/** The events explain found under other keys, where a join key that differs would show. */
function otherKeyCandidatesOf(e: Explanation): OtherKeyCandidate[] {
  switch (e.kind) {
    case 'event':
      return [];
    case 'sequence':
      return e.keys.flatMap((k) => k.next?.otherKeyCandidates ?? []);
    case 'sample':
      return e.keys.flatMap((k) => k.stages.flatMap((s) => s.otherKeyCandidates));
  }
}

/** Whether the explanation names what the near miss broke, on the stage it broke. */
function names(e: Explanation, miss: NearMiss): boolean {
  const filters = filtersOf(e).filter((f) => miss.stage === null || f.stage === null || f.stage === miss.stage - 1);
  switch (miss.kind) {
    case 'condition':
      return miss.location !== null && filters.some((f) => failedClauses(f.filter).some((c) => overlaps(c.location, miss.location!)));
    case 'category':
      return filters.some((f) => f.filter.category !== null && !f.filter.category.result);
    case 'maxspan':
    case 'missing-event':
      return e.kind === 'sequence' && e.keys.some((k) => k.reason?.kind === miss.kind);
    case 'until':
      // The until event ended the partial sequence shown, or one that an event it passed over would have begun.
      return e.kind === 'sequence' && e.keys.some((k) => k.reason?.kind === 'until' || k.passedOver.some((p) => p.until !== null));
    case 'join-key':
      // An event that would fill the stage, under a key that differs in the field broken.
      return miss.location !== null && otherKeyCandidatesOf(e).some((c) => c.differs.some((d) => overlaps(d.location, miss.location!)));
    case 'runs':
      return e.kind === 'sequence' && e.keys.some((k) => k.next !== null && k.next.run > 0);
  }
}

describe.runIf(corpus !== null)('explain over events synthesized from every corpus rule', () => {
  it('says a witness matched, a near miss did not, and names what each near miss broke', () => {
    const { rules } = loadRules(corpus!);
    let witnesses = 0;
    let misses = 0;
    const unnamed: string[] = [];
    const wrong: string[] = [];
    for (const rule of rules.filter((r) => r.executable)) {
      let synthesis: ReturnType<typeof synthesize>;
      try {
        synthesis = synthesize(rule, { nearMiss: true });
      } catch (e) {
        if (e instanceof SynthesisError) continue;
        throw e;
      }
      const onWitness = explain(rule, synthesis.witness);
      witnesses++;
      if (onWitness.resultCount === 0) wrong.push(`${rule.file}: no match on its witness`);
      for (const miss of synthesis.nearMisses) {
        misses++;
        const e = explain(rule, miss.events);
        if (e.resultCount !== 0) wrong.push(`${rule.file}: a match on the near miss "${miss.label}"`);
        else if (!names(e, miss)) unnamed.push(`${rule.file}: ${miss.label}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(unnamed.slice(0, 10)).toEqual([]);
    expect(witnesses).toBeGreaterThan(1000);
    expect(misses).toBeGreaterThan(9000);
  }, 300_000);
});
