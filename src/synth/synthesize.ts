/**
 * Events from a rule or a query: a witness (events that make it fire) and,
 * on request, near misses (event sets that each break one thing the query
 * asks for, and do not fire). Every set is run through the engine before it
 * is given: a witness must fire, a near miss must not.
 */
import type * as A from '../parser/ast.js';
import { childNodes } from '../parser/ast.js';
import { compile } from '../engine/compiled-query.js';
import { type CompileOptions, optimizedQuery, type QueryPlan } from '../compile/plan.js';
import { RuleLoadError } from '../errors.js';
import { Rule } from '../rules/rule.js';
import type { Event } from '../semantics/fields.js';
import { setField, removeField, withFields } from './events.js';
import { SynthesisError } from './errors.js';
import { categoryLiteral, type Clause, keyDiffersLiteral, keyPresentLiteral, LeafTests, type Literal } from './literal.js';
import { modelOf, type QueryModel, type StageModel } from './model.js';
import { Random } from './random.js';
import { type Bound, type Goal, readerFor, Slot, Solver, State } from './solver.js';
import { fillWildcards, type Value } from './values.js';

export interface SynthesisOptions {
  /** Seeds every choice: the same seed gives the same events. Default 1. */
  readonly seed?: number;
  /** Also build near misses: one event set per thing the query asks for, each breaking just that. */
  readonly nearMiss?: boolean;
  /** How many distinct witnesses to build (fewer when the query allows fewer). Default 1. */
  readonly count?: number;
  /** An event whose fields the synthesized events keep, where the query does not ask for other values. */
  readonly base?: Event;
  /** The time of the first event: a Date, epoch milliseconds or ISO-8601 text. Default 2025-01-01T09:00:00Z. */
  readonly start?: Date | number | string;
  /** How to compile a query given as text or AST (rules use their own fields). */
  readonly compile?: CompileOptions;
}

/** What a near miss breaks. */
export type NearMissKind = 'condition' | 'category' | 'maxspan' | 'until' | 'missing-event' | 'join-key' | 'runs';

/** An event set that misses exactly one thing the query asks for, and that the engine confirmed does not fire. */
export interface NearMiss {
  readonly kind: NearMissKind;
  /** What it breaks, in words: `stage 2: process.name : "cmd.exe" does not hold`. */
  readonly label: string;
  /** The clause it breaks, as written, or null (maxspan, runs). */
  readonly clause: string | null;
  /** Where that clause is in the query, or null. */
  readonly location: A.Location | null;
  /** The stage it concerns, numbered from 1 as written, or null for an event query's condition and the whole sequence. */
  readonly stage: number | null;
  /**
   * Other clauses of the witness that no longer hold either: empty when the
   * set breaks just the one; not, when nothing breaks it alone (another
   * clause asks for the same, or the rest of the query would then fire).
   */
  readonly alsoBreaks: readonly string[];
  readonly events: Event[];
}

/** A near miss that was not given, and why. */
export interface SkippedNearMiss {
  readonly kind: NearMissKind;
  readonly label: string;
  readonly reason: string;
}

export interface Synthesis {
  /** The first witness: events, in time order, on which the rule or query fires. */
  readonly witness: Event[];
  /** Every distinct witness built (`count` of them, or fewer), the first one first. */
  readonly witnesses: Event[][];
  /** With `nearMiss`, the near misses, each confirmed not to fire. */
  readonly nearMisses: NearMiss[];
  /** With `nearMiss`, those that could not be built or that still fired. */
  readonly skippedNearMisses: SkippedNearMiss[];
}

const DEFAULT_START = Date.parse('2025-01-01T09:00:00.000Z');
/** Events are this far apart unless a maxspan asks for less. */
const DEFAULT_GAP_MS = 1000;
const WITNESS_ATTEMPTS = 4;
/** States of one walk tried against the engine before the next attempt starts afresh. */
const STATES_PER_ATTEMPT = 4;
const WITNESS_BUDGET = 40_000;
const NEAR_MISS_BUDGET = 8_000;
/** The steps all near misses of one witness may take together. */
const NEAR_MISS_TOTAL = 400_000;
const MAX_POOL = 40;

interface Target {
  readonly plan: QueryPlan;
  readonly source: string | null;
  readonly options: CompileOptions;
  fires(events: Event[]): boolean;
}

function targetOf(what: string | A.Query | Rule, options: SynthesisOptions): Target {
  if (what instanceof Rule) {
    let compiled: Rule['compiled'];
    try {
      compiled = what.compiled;
    } catch (e) {
      if (e instanceof RuleLoadError) throw new SynthesisError('SYNTH_NOT_RUNNABLE', e.message);
      throw e;
    }
    const o = compiled.plan.options;
    return {
      plan: compiled.plan,
      source: what.query,
      options: { timestampField: o.timestampField, eventCategoryField: o.eventCategoryField, tiebreakerField: o.tiebreakerField ?? undefined, schema: o.schema },
      fires: (events) => what.run(events).length > 0,
    };
  }
  const compiled = compile(what, options.compile);
  return { plan: compiled.plan, source: typeof what === 'string' ? what : null, options: options.compile ?? {}, fires: (events) => compiled.search(events).length > 0 };
}

function startOf(start: SynthesisOptions['start']): number {
  if (start === undefined) return DEFAULT_START;
  const ms = start instanceof Date ? start.getTime() : typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(ms)) throw new TypeError(`synthesize(): start must be a Date, epoch milliseconds or an ISO-8601 date, not ${String(start)}`);
  return ms;
}

/** The events of a near miss, and the other clauses they break. */
interface Broken {
  readonly events: Event[];
  readonly alsoBreaks: readonly string[];
}

/** A witness with what it was made of, for the near misses. */
interface Witness {
  readonly state: State;
  readonly slots: readonly Slot[];
  /** The stage (index into the model's stages) of each slot, and its run. */
  readonly slotStages: readonly { readonly stage: number; readonly run: number }[];
  readonly times: readonly number[];
  readonly events: Event[];
}

class Synthesizer {
  private readonly model: QueryModel;
  private readonly tests: LeafTests;
  private readonly pool: Value[];
  readonly timestampField: string;
  private readonly categoryField: string;
  private readonly tiebreakerField: string | null;
  /** The solver steps the near misses have taken so far. */
  private nearMissSteps = 0;

  constructor(
    private readonly target: Target,
    private readonly base: Event | undefined,
    private readonly seed: number,
  ) {
    this.model = modelOf(target.plan, optimizedQuery(target.plan.query, target.options));
    const resolved = target.plan.options;
    this.timestampField = resolved.timestampField;
    this.categoryField = resolved.eventCategoryField;
    this.tiebreakerField = resolved.tiebreakerField;
    this.tests = new LeafTests(target.options, target.source, optionalNames(target.plan.query));
    this.pool = poolOf(this.model, new Random(seed));
  }

  private clauseOf(node: A.Node, stage: StageModel): Clause {
    return this.tests.clauseOf(node, stage.index);
  }

  /** The `process where` part of a filter, as a clause. */
  private categoryClause(stage: StageModel): Clause {
    const f = stage.filter;
    const text = this.target.source !== null ? this.target.source.slice(f.location.start.offset, f.condition.location.start.offset).trim() : `${f.category} where`;
    const location = this.target.source !== null ? { start: f.location.start, end: f.condition.location.start } : null;
    return { text, location, stage: stage.index };
  }

  /** The literals and goals an event of this stage must satisfy. */
  private stageGoals(stage: StageModel, event: number, want = true): Goal[] {
    const goals: Goal[] = [];
    if (stage.filter.category !== null) goals.push({ event, literal: categoryLiteral(this.categoryField, stage.filter.category, this.categoryClause(stage)) });
    goals.push({ event, stage: stage.index, expression: stage.filter.condition, want });
    return goals;
  }

  private keyVariables(count: number): string[] {
    return Array.from({ length: count }, (_, k) => `k${k}`);
  }

  /** Milliseconds between events: small enough that all of them, and one more, fit in the maxspan. */
  private gap(events: number): number {
    const span = this.model.maxspanMs;
    if (span === null) return DEFAULT_GAP_MS;
    return Math.max(1, Math.min(DEFAULT_GAP_MS, Math.floor(span / (events + 1))));
  }

  witness(seed: number, start: number): Witness {
    const slots: Slot[] = [];
    const slotStages: { stage: number; run: number }[] = [];
    const goals: Goal[] = [];
    this.model.stages.forEach((stage, i) => {
      if (stage.missing) return;
      const first = slots.length;
      for (let run = 0; run < stage.runs; run++) {
        slots.push(new Slot(`s${i}`, stage.keys, this.keyVariables(stage.keys.length)));
        slotStages.push({ stage: i, run });
      }
      goals.push(...this.stageGoals(stage, first));
      if (first === 0) {
        stage.keyNodes.forEach((node, k) => {
          goals.push({ event: 0, literal: keyPresentLiteral(stage.keys[k]!, this.clauseOf(node, stage)) });
        });
      }
    });
    const gap = this.gap(slots.length);
    const times = slots.map((_, i) => start + i * gap);
    let failure: Solver['deepestFailure'] = null;
    let exhausted = false;
    let built = 0;
    for (let attempt = 0; attempt < WITNESS_ATTEMPTS; attempt++) {
      const solver = this.solver(slots, new Set(), new Random(seed * 1_000_003 + attempt), WITNESS_BUDGET);
      let tried = 0;
      for (const state of solver.solve(goals, new State(new Map(), []))) {
        built++;
        const events = this.eventsOf(state, slots, times);
        const matching = events.every((e, i) => this.model.stages[slotStages[i]!.stage]!.plan.matches(e));
        if (matching && this.target.fires(events)) return { state, slots, slotStages, times, events };
        if (++tried >= STATES_PER_ATTEMPT) break;
      }
      failure = solver.deepestFailure ?? failure;
      exhausted ||= solver.exhausted;
    }
    if (built === 0 && failure) {
      const { clause } = failure;
      const own = clause.stage === null ? null : this.model.stages[clause.stage]?.filter.location;
      const copied = own && clause.location && (clause.location.start.offset < own.start.offset || clause.location.end.offset > own.end.offset);
      const where = clause.stage === null ? '' : `in stage ${clause.stage + 1}, `;
      const reason = copied
        ? `${where}no values satisfy this condition together with the rest (a condition on a join key, which Elasticsearch's optimizer copies from its stage to every stage)`
        : `${where}no values satisfy this clause together with the rest`;
      if (exhausted) {
        throw new SynthesisError(
          'SYNTH_SEARCH_LIMIT',
          `${where}the search reached its bound (${WITNESS_BUDGET} steps, ${WITNESS_ATTEMPTS} times) without values for this clause together with the rest`,
          {
            clause: clause.text,
            location: clause.location,
            stage: clause.stage === null ? null : clause.stage + 1,
          },
        );
      }
      throw new SynthesisError('SYNTH_UNSATISFIED', reason, { clause: clause.text, location: clause.location, stage: clause.stage === null ? null : clause.stage + 1 });
    }
    throw new SynthesisError('SYNTH_NOT_CONFIRMED', built === 0 ? 'no events were found that satisfy the conditions' : 'the events built did not make the engine fire');
  }

  private solver(slots: readonly Slot[], pinned: ReadonlySet<string>, rng: Random, budget: number): Solver {
    return new Solver({ slots, base: this.base, pinned, tests: this.tests, pool: this.pool, rng, budget });
  }

  /** The events of a state: each slot's fields, the base event's others, and its time. */
  private eventsOf(state: State, slots: readonly Slot[], times: readonly number[]): Event[] {
    return slots.map((slot, i) => {
      const fields: [string, Value | undefined][] = [];
      for (const [variable, value] of state.values) {
        const name = slot.fieldOf(variable);
        if (name !== null) fields.push([name, value]);
      }
      fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return this.stamped(withFields(this.base, fields), times[i]!, i);
    });
  }

  /** The event with its timestamp (first among its keys) and tiebreaker. */
  private stamped(event: Event, time: number, position: number): Event {
    const iso = new Date(time).toISOString();
    let out: Event;
    if (this.timestampField.includes('.')) {
      removeField(event, this.timestampField);
      setField(event, this.timestampField, iso);
      out = event;
    } else {
      out = { [this.timestampField]: iso, ...event };
      out[this.timestampField] = iso;
    }
    if (this.tiebreakerField) {
      removeField(out, this.tiebreakerField);
      setField(out, this.tiebreakerField, position);
    }
    return out;
  }

  nearMisses(w: Witness): { made: NearMiss[]; skipped: SkippedNearMiss[] } {
    const made: NearMiss[] = [];
    const skipped: SkippedNearMiss[] = [];
    /** Keeps a near miss (or why there is none), labelled `stage N: what`. */
    const add = (kind: NearMissKind, stage: StageModel | null, what: string, clause: Clause | null, result: Event[] | Broken | string): void => {
      const label = `${stage?.index == null ? '' : `stage ${stage.index + 1}: `}${what}`;
      if (typeof result === 'string') {
        skipped.push({ kind, label, reason: result });
        return;
      }
      const { events, alsoBreaks } = Array.isArray(result) ? { events: result, alsoBreaks: [] } : result;
      made.push({ kind, label, clause: clause?.text ?? null, location: clause?.location ?? null, stage: stage?.index == null ? null : stage.index + 1, alsoBreaks, events });
    };
    const unlessFiring = (events: Event[]): Event[] | string => (this.target.fires(events) ? 'the engine still fires' : events);
    let index = 0;
    const rngFor = () => new Random(this.seed * 7_919 + 101 * ++index);

    // Each literal of each stage's event, broken alone.
    this.model.stages.forEach((stage, s) => {
      if (stage.missing) return;
      const first = w.slotStages.findIndex((x) => x.stage === s);
      const last = lastIndexWhere(w.slotStages, (x) => x.stage === s);
      const seen = new Set<string>();
      for (const b of w.state.bound) {
        const literal = b.literal;
        if (b.event !== first || (literal.kind !== 'condition' && literal.kind !== 'category')) continue;
        const id = `${literal.clause.location?.start.offset ?? literal.clause.text}|${literal.want}|${literal.kind}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const text = shortened(literal.clause.text);
        const what =
          literal.kind === 'category' ? `event category is not ${stage.filter.category} (${text})` : literal.want ? `${text} does not hold` : `${text} holds, where the query needs it not to`;
        add(literal.kind === 'category' ? 'category' : 'condition', stage, what, literal.clause, this.breakLiteral(w, stage, first, last, literal, rngFor()));
      }
    });

    const positives = w.slots.length;
    const lastStage = this.model.stages[w.slotStages[positives - 1]!.stage]!;
    if (this.model.maxspanMs !== null && positives >= 2) {
      const times = w.times.slice();
      times[positives - 1] = times[0]! + this.model.maxspanMs + this.gap(positives);
      add('maxspan', lastStage, `too late for maxspan=${this.model.maxspanText}`, null, unlessFiring(this.eventsOf(w.state, w.slots, times)));
    }
    if (this.model.kind !== 'event' && positives >= 2) {
      lastStage.keyNodes.forEach((node, k) => {
        // A field named twice among the keys (`sequence by a … [ … ] by a`) is one value: one near miss.
        if (lastStage.keys.indexOf(lastStage.keys[k]!) !== k) return;
        add('join-key', lastStage, `join key ${lastStage.keys[k]} differs`, this.clauseOf(node, lastStage), this.breakKey(w, k, rngFor()));
      });
    }
    this.model.stages.forEach((stage, s) => {
      if (stage.runs < 2) return;
      const last = lastIndexWhere(w.slotStages, (x) => x.stage === s);
      const keep = w.slots.map((_, i) => i).filter((i) => i !== last);
      const events = keep.map((i) => this.eventsOf(w.state, [w.slots[i]!], [w.times[i]!])[0]!);
      add('runs', stage, `occurs ${stage.runs - 1} times, where runs=${stage.runs} needs ${stage.runs}`, null, unlessFiring(events));
    });
    if (this.model.until) {
      const until = this.model.until;
      const clause = this.tests.clauseOf(until.filter, null);
      add('until', null, `until event in between: ${shortened(clause.text)}`, clause, this.insertEvent(w, until, 'u', this.betweenTime(w, 0), rngFor()));
    }
    this.model.stages.forEach((stage, s) => {
      if (!stage.missing) return;
      const clause = this.tests.clauseOf(stage.filter, s);
      const time = this.missingTime(w, s);
      add(
        'missing-event',
        stage,
        `missing event present: ${shortened(clause.text)}`,
        clause,
        time === null ? 'the events are too close together to place one between them' : this.insertEvent(w, stage, `m${s}`, time, rngFor()),
      );
    });
    return { made, skipped };
  }

  /** The witness's literals, as goals that hold already. */
  private witnessGoals(w: Witness, leaveOut?: (b: Bound) => boolean): Goal[] {
    return w.state.bound.filter((b) => !leaveOut?.(b)).map((b) => ({ event: b.event, literal: b.literal }));
  }

  /** Every variable of the witness: what a near miss keeps. */
  private pinnedExcept(w: Witness, free: (variable: string) => boolean): Set<string> {
    return new Set([...w.state.values.keys()].filter((v) => !free(v)));
  }

  /**
   * Tries the solver's states for a near miss: the first whose events
   * `accept` takes and on which the engine does not fire.
   */
  private firstNotFiring(
    slots: readonly Slot[],
    goals: readonly Goal[],
    initial: Map<string, Value | undefined>,
    pinned: ReadonlySet<string>,
    rng: Random,
    build: (state: State) => Event[] | null,
  ): { events: Event[]; state: State } | string {
    if (this.nearMissSteps >= NEAR_MISS_TOTAL) return `the near misses' search reached its bound (${NEAR_MISS_TOTAL} steps in all)`;
    const solver = this.solver(slots, pinned, rng, NEAR_MISS_BUDGET);
    let tried = 0;
    let fired = false;
    try {
      for (const state of solver.solve(goals, new State(initial, []))) {
        const events = build(state);
        if (events) {
          if (!this.target.fires(events)) return { events, state };
          fired = true;
        }
        if (++tried >= STATES_PER_ATTEMPT) break;
      }
    } finally {
      this.nearMissSteps += solver.steps;
    }
    return fired ? 'the engine still fires (another part of the query is met another way)' : 'no values break it while keeping the rest';
  }

  /**
   * The witness with the last event of a stage changed so that one literal
   * fails: with every other literal of the witness kept if that can be done,
   * else with the stage's condition simply false (and the other clauses that
   * then fail too reported).
   */
  private breakLiteral(w: Witness, stage: StageModel, first: number, last: number, literal: Literal, rng: Random): Broken | string {
    const slot = w.slots[last]!;
    const own = slot.prefix;
    // A join key the literal reads changes in this event alone: the others keep theirs, and the keys then differ.
    const keyVariables = slot.keyVariables.map((v, k) => (literal.fields.includes(slot.keys[k]!) ? `n|#key${k}` : v));
    const slots = w.slots.slice();
    slots[last] = slot.with('n', keyVariables);
    const initial = new Map(w.state.values);
    for (const [v, value] of w.state.values) if (v.startsWith(`${own}|`)) initial.set(`n|${v.slice(own.length + 1)}`, value);
    keyVariables.forEach((v, k) => {
      if (v !== slot.keyVariables[k]) initial.set(v, w.state.values.get(slot.keyVariables[k]!));
    });
    const pinned = this.pinnedExcept(w, (v) => v.startsWith('n|'));
    const stageLiterals = w.state.bound.filter((b) => b.event === first && b.literal !== literal);
    const attempt = (strict: boolean): ReturnType<Synthesizer['firstNotFiring']> => {
      // The other events' literals always hold; this stage's, only when strict.
      const goals = this.witnessGoals(w, (b) => b.event === last && (!strict || b.literal === literal));
      if (strict && first !== last) for (const b of stageLiterals) goals.push({ event: last, literal: b.literal });
      goals.push({ event: last, literal: literal.flipped() });
      if (literal.kind === 'condition') goals.push({ event: last, stage: stage.index, expression: stage.filter.condition, want: false });
      return this.firstNotFiring(slots, goals, new Map(initial), pinned, rng, (state) => {
        const events = this.eventsOf(state, slots, w.times);
        return stage.plan.matches(events[last]!) ? null : events;
      });
    };
    let result = attempt(true);
    if (typeof result === 'string') result = attempt(false);
    if (typeof result === 'string') return result;
    const read = readerFor(slots[last]!, result.state.values, this.base);
    const alsoBreaks = [...new Set(stageLiterals.filter((b) => b.literal.kind === 'condition' && !b.literal.holds(read)).map((b) => b.literal.clause.text))];
    return { events: result.events, alsoBreaks };
  }

  /** The witness with one join key of the last event given another value. */
  private breakKey(w: Witness, k: number, rng: Random): Broken | string {
    const last = w.slots.length - 1;
    const slot = w.slots[last]!;
    const stage = this.model.stages[w.slotStages[last]!.stage]!;
    const first = w.slotStages.findIndex((x) => x.stage === w.slotStages[last]!.stage);
    const keyVariables = slot.keyVariables.map((v, i) => (i === k ? `d${k}` : v));
    const slots = w.slots.slice();
    slots[last] = slot.with('n', keyVariables);
    const initial = new Map(w.state.values);
    for (const [v, value] of w.state.values) if (v.startsWith(`${slot.prefix}|`)) initial.set(`n|${v.slice(slot.prefix.length + 1)}`, value);
    const pinned = this.pinnedExcept(w, (v) => v.startsWith('n|'));
    const goals = this.witnessGoals(w);
    if (first !== last) for (const b of w.state.bound) if (b.event === first) goals.push({ event: last, literal: b.literal });
    const keyValue = w.state.values.get(slot.keyVariables[k]!);
    const clause = this.clauseOf(stage.keyNodes[k]!, stage);
    goals.push({ event: last, literal: keyDiffersLiteral(stage.keys[k]!, keyValue ?? null, clause) });
    const result = this.firstNotFiring(slots, goals, initial, pinned, rng, (state) => {
      const events = this.eventsOf(state, slots, w.times);
      return stage.plan.matches(events[last]!) ? events : null;
    });
    return typeof result === 'string' ? result : { events: result.events, alsoBreaks: [] };
  }

  /** The time halfway between the witness's event `i` and the next, or null when they are under 2 ms apart. */
  private betweenTime(w: Witness, i: number): number | null {
    const a = w.times[i]!;
    const b = w.times[i + 1];
    return b === undefined || b - a < 2 ? null : a + Math.floor((b - a) / 2);
  }

  /** Where a missing stage's event drops the witness: between its neighbours, or just before or after them all. */
  private missingTime(w: Witness, stage: number): number | null {
    const before = lastIndexWhere(w.slotStages, (x) => x.stage < stage);
    const after = w.slotStages.findIndex((x) => x.stage > stage);
    if (before >= 0 && after >= 0) return this.betweenTime(w, before);
    return before < 0 ? w.times[0]! - 1 : w.times[w.times.length - 1]! + 1;
  }

  /** The witness with one more event, matching `stage` (an until or a missing stage), at `time`. */
  private insertEvent(w: Witness, stage: StageModel, prefix: string, time: number | null, rng: Random): Broken | string {
    if (time === null) return 'the events are too close together to place one between them';
    const added = w.slots.length;
    const slots = [...w.slots, new Slot(prefix, stage.keys, this.keyVariables(stage.keys.length))];
    const pinned = this.pinnedExcept(w, () => false);
    const goals = [...this.witnessGoals(w), ...this.stageGoals(stage, added)];
    const times = [...w.times, time];
    const result = this.firstNotFiring(slots, goals, new Map(w.state.values), pinned, rng, (state) => {
      const events = this.eventsOf(state, slots, times);
      if (!stage.plan.matches(events[added]!)) return null;
      const order = events.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
      return order.map((i) => events[i]!);
    });
    return typeof result === 'string' ? result : { events: result.events, alsoBreaks: [] };
  }

  /** How far apart distinct witnesses start, so that one's events cannot join another's. */
  get witnessSpacing(): number {
    const events = this.model.stages.reduce((n, s) => n + (s.missing ? 0 : s.runs), 0);
    return Math.max(3_600_000, 2 * (this.model.maxspanMs ?? 0) + events * DEFAULT_GAP_MS);
  }
}

/** Names written with `?` anywhere: one `?` makes a field optional in every clause. */
function optionalNames(query: A.Query): Set<string> {
  const out = new Set<string>();
  const visit = (n: A.Node): void => {
    if (n.type === 'Field' && n.optional) out.add(n.path.join('.'));
    for (const c of childNodes(n)) visit(c);
  };
  visit(query);
  return out;
}

/** The query's constants (and texts its patterns match): values to try where nothing better is known. */
function poolOf(model: QueryModel, rng: Random): Value[] {
  const out: Value[] = [];
  const seen = new Set<string>();
  const push = (v: Value): void => {
    const id = JSON.stringify(v);
    if (out.length < MAX_POOL && !seen.has(id)) {
      seen.add(id);
      out.push(v);
    }
  };
  const visit = (n: A.Node, pattern: boolean): void => {
    if (n.type === 'String') push(pattern ? fillWildcards(n.value, rng) : n.value);
    else if (n.type === 'Number') push(n.value);
    else if (n.type === 'Match') {
      visit(n.subject, false);
      for (const p of n.patterns) visit(p, n.operator !== 'regex' && n.operator !== 'regex~');
    } else for (const c of childNodes(n)) visit(c, false);
  };
  for (const stage of model.stages) visit(stage.filter, false);
  for (const v of [0, 1, 2, 10, 100, true, false]) push(v);
  return out;
}

/**
 * Builds events on which a rule or query fires (a witness), and with
 * `nearMiss`, event sets that each break one thing it asks for: a condition
 * of one stage, its category, the maxspan, a join key, the runs of a stage,
 * an `until` event, a missing event. Every set is checked with the engine
 * before it is returned: the witness fires, each near miss does not.
 *
 * @param target a rule (from `loadRule`/`parseRule`), a query's text, or a query AST
 * @throws SynthesisError when no witness can be built; it names the clause at fault where one is
 * @throws EqlSyntaxError, EqlSemanticError when a query's text does not compile
 *
 * @example
 * ```ts
 * import { synthesize } from 'eqlkit';
 * const { witness } = synthesize('process where process.name : "cmd.exe" and process.args : "/c"');
 * // [{ '@timestamp': '2025-01-01T09:00:00.000Z', event: { category: 'process' }, process: { args: '/c', name: 'cmd.exe' } }]
 * ```
 */
export function synthesize(target: string | A.Query | Rule, options: SynthesisOptions = {}): Synthesis {
  const seed = options.seed ?? 1;
  const count = Math.max(1, Math.floor(options.count ?? 1));
  const start = startOf(options.start);
  const synthesizer = new Synthesizer(targetOf(target, options), options.base, seed);
  const first = synthesizer.witness(seed, start);
  const witnesses: Event[][] = [first.events];
  const seen = new Set([JSON.stringify(withoutTimes(first.events, synthesizer.timestampField))]);
  for (let k = 1, attempts = 0; witnesses.length < count && attempts < count * 4; attempts++, k++) {
    let next: Witness;
    try {
      next = synthesizer.witness(seed + k, start + witnesses.length * synthesizer.witnessSpacing);
    } catch (e) {
      if (e instanceof SynthesisError) continue;
      throw e;
    }
    const id = JSON.stringify(withoutTimes(next.events, synthesizer.timestampField));
    if (seen.has(id)) continue;
    seen.add(id);
    witnesses.push(next.events);
  }
  const { made, skipped } = options.nearMiss ? synthesizer.nearMisses(first) : { made: [], skipped: [] };
  return { witness: first.events, witnesses, nearMisses: made, skippedNearMisses: skipped };
}

/** A clause for a one-line label: white space run together, and cut past 160 characters. */
function shortened(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function lastIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/** Events compared without their times, which differ between witnesses anyway. */
function withoutTimes(events: readonly Event[], timestampField: string): unknown[] {
  return events.map((e) => {
    const copy = structuredClone(e);
    removeField(copy, timestampField);
    return copy;
  });
}
