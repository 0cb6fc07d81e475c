/**
 * `sample by …`: for each combination of key values, up to
 * `maxSamplesPerKey` samples of one event per stage, all with equal keys and
 * no event twice in one sample. Time order plays no part and events need no
 * timestamp. Samples come out ordered by their key values.
 */
import type { Event } from '../semantics/fields.js';
import type { KeyField, SamplePlan } from '../compile/plan.js';
import { type KeyCutCounter, type KeyValue, compareKeys, datePositions, keyCombinations, keyId, renderKeys } from './keys.js';
import type { Match } from './match.js';
import { type SnapshotData, type SnapshotReader, type SnapshotWriter, array, corrupt, count, keyValue, record, saveValue } from './snapshot.js';

interface KeySamples {
  readonly values: readonly KeyValue[];
  /** Candidate events per stage, in arrival order, capped. */
  readonly candidates: Event[][];
}

export interface SampleStats {
  liveKeys: number;
  candidates: number;
  /** Events whose join-key combinations were cut off at MAX_KEY_COMBINATIONS. */
  keyCutEvents: number;
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

  private readonly keyCut: KeyCutCounter = { count: 0 };

  stats(): SampleStats {
    return { liveKeys: this.keys.size, candidates: this.candidateCount, keyCutEvents: this.keyCut.count };
  }

  push(event: Event): void {
    const stages = this.plan.stages;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i]!;
      if (!stage.filter.matches(event)) continue;
      for (const key of keyCombinations(this.keyFields[i]!, event, this.keyCut)) {
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

  /** The state for a snapshot, or null when it is as new: each key's values and candidate events per stage, keys in the map's order. */
  save(w: SnapshotWriter): SnapshotData {
    if (this.keys.size === 0 && this.keyCut.count === 0) return null;
    const keys: SnapshotData[] = [];
    for (const k of this.keys.values()) keys.push({ key: k.values.map(saveValue), candidates: k.candidates.map((list) => list.map(w.event)) });
    return { keys, keyCutEvents: this.keyCut.count };
  }

  /** Reads a state {@link save} wrote (for this query), checking it, and returns its stats and what puts it in place. */
  restore(r: SnapshotReader, data: unknown, at: string): { readonly stats: SampleStats; commit(): void } {
    const keys = new Map<string, KeySamples>();
    let candidateCount = 0;
    const keyLength = this.keyFields[0]?.length ?? 0;
    const saved = data === null ? [] : array(record(data, at).keys, `${at}.keys`);
    const keyCutEvents = data === null ? 0 : count(record(data, at).keyCutEvents, `${at}.keyCutEvents`);
    for (const [i, x] of saved.entries()) {
      const where = `${at}.keys[${i}]`;
      const k = record(x, where);
      const values = array(k.key, `${where}.key`).map((v, j) => keyValue(v, `${where}.key[${j}]`));
      if (values.length !== keyLength) corrupt(`${where}.key`, `a key of this query has ${keyLength} values`);
      const lists = array(k.candidates, `${where}.candidates`);
      if (lists.length !== this.plan.stages.length) corrupt(`${where}.candidates`, `this query has ${this.plan.stages.length} stages`);
      const candidates = lists.map((list, stage) => {
        const refs = array(list, `${where}.candidates[${stage}]`);
        if (refs.length > this.cap) corrupt(`${where}.candidates[${stage}]`, `a stage keeps at most ${this.cap} candidates`);
        candidateCount += refs.length;
        return refs.map((ref, j) => r.event(ref, `${where}.candidates[${stage}][${j}]`));
      });
      const id = keyId(values);
      if (keys.has(id)) corrupt(`${where}.key`, 'a key listed twice');
      keys.set(id, { values, candidates });
    }
    return {
      stats: { liveKeys: keys.size, candidates: candidateCount, keyCutEvents },
      commit: () => {
        this.keys.clear();
        for (const [id, k] of keys) this.keys.set(id, k);
        this.candidateCount = candidateCount;
        this.keyCut.count = keyCutEvents;
      },
    };
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
