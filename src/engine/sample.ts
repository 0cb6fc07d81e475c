/**
 * `sample by …`: for each combination of key values, up to
 * `maxSamplesPerKey` samples of one event per stage, all with equal keys and
 * no event twice in one sample. Time order plays no part and events need no
 * timestamp. Samples come out ordered by their key values.
 */
import type { Event } from '../semantics/fields.js';
import type { KeyField, SamplePlan } from '../compile/plan.js';
import { type KeyValue, compareKeys, datePositions, keyCombinations, keyId, renderKeys } from './keys.js';
import type { Match } from './match.js';

interface KeySamples {
  readonly values: readonly KeyValue[];
  /** Candidate events per stage, in arrival order, capped. */
  readonly candidates: Event[][];
}

export interface SampleStats {
  liveKeys: number;
  candidates: number;
}

export class SampleMatcher {
  private readonly keys = new Map<string, KeySamples>();
  private readonly cap: number;
  private readonly dates: boolean[];
  /** Per stage: the query's keys followed by the stage's own. */
  private readonly keyFields: KeyField[][];
  private candidateCount = 0;

  constructor(
    private readonly plan: SamplePlan,
    private readonly maxSamplesPerKey: number,
  ) {
    // As Elasticsearch: each filter offers its first (filters + maxSamplesPerKey − 1) events per key.
    this.cap = maxSamplesPerKey + plan.stages.length - 1;
    this.dates = datePositions([...plan.keys, ...(plan.stages[0]?.keys ?? [])]);
    this.keyFields = plan.stages.map((s) => [...plan.keys, ...s.keys]);
  }

  stats(): SampleStats {
    return { liveKeys: this.keys.size, candidates: this.candidateCount };
  }

  push(event: Event): void {
    const stages = this.plan.stages;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]!;
      if (!stage.filter.matches(event)) continue;
      for (const key of keyCombinations(this.keyFields[i]!, event)) {
        const id = keyId(key);
        let k = this.keys.get(id);
        if (!k) {
          k = { values: key, candidates: stages.map(() => []) };
          this.keys.set(id, k);
        }
        const list = k.candidates[i]!;
        if (list.length < this.cap) {
          list.push(event);
          this.candidateCount++;
        }
      }
    }
  }

  /** All samples, ordered by key. */
  flush(): Match[] {
    const out: Match[] = [];
    const ordered = [...this.keys.values()].sort((a, b) => compareKeys(a.values, b.values));
    for (const k of ordered) {
      if (k.candidates.some((c) => c.length === 0)) continue;
      for (const sample of this.samplesOf(k)) out.push({ kind: 'sample', events: sample, joinKeys: renderKeys(k.values, this.dates, 'sample') });
    }
    return out;
  }

  /** The first samples in lexicographic order of candidates, with no event twice in one sample. */
  private samplesOf(k: KeySamples): Event[][] {
    const found: Event[][] = [];
    const chosen: Event[] = [];
    const visit = (stage: number): void => {
      if (found.length >= this.maxSamplesPerKey) return;
      if (stage === k.candidates.length) {
        found.push([...chosen]);
        return;
      }
      for (const e of k.candidates[stage]!) {
        if (chosen.includes(e)) continue;
        chosen.push(e);
        visit(stage + 1);
        chosen.pop();
        if (found.length >= this.maxSamplesPerKey) return;
      }
    };
    visit(0);
    return found;
  }
}
