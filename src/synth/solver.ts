/**
 * The search for field values that satisfy conditions: a depth-first walk
 * over the conditions' `and`/`or`/`not`, choosing one side of each `or`
 * (one operand to break, under `not … and …`), that gathers literals (leaves
 * wanted true or false) and keeps, at every step, values that satisfy all
 * literals gathered so far. A literal that no value can join with the others
 * ends the branch, and the walk takes the next choice.
 *
 * Values live in variables. A field of one event is one variable; a join
 * key is one variable shared by every event of a sequence or sample, so it
 * takes one value across stages; the events of a stage repeated by `runs`
 * share all their variables.
 */
import type * as A from '../parser/ast.js';
import type { Event } from '../semantics/fields.js';
import type { Assignment } from './candidates.js';
import type { FieldRead } from './evaluate.js';
import { readField } from './events.js';
import type { Clause, LeafTests, Literal } from './literal.js';
import type { Random } from './random.js';
import { sameValue, type Value } from './values.js';

/** One event being built: which variable holds each of its fields. */
export class Slot {
  constructor(
    /** Names this event's own variables. */
    readonly prefix: string,
    /** The fields that are join keys, by position. */
    readonly keys: readonly string[],
    /** The variables of those keys, shared with the other events. */
    readonly keyVariables: readonly string[],
  ) {}

  variableOf(name: string): string {
    const k = this.keys.indexOf(name);
    return k >= 0 ? this.keyVariables[k]! : `${this.prefix}|${name}`;
  }

  /** The field a variable holds in this event, or null when it is not this event's. */
  fieldOf(variable: string): string | null {
    const k = this.keyVariables.indexOf(variable);
    if (k >= 0) return this.keys[k]!;
    return variable.startsWith(`${this.prefix}|`) ? variable.slice(this.prefix.length + 1) : null;
  }

  /** The same event under other variables (`prefix`), or with other key variables. */
  with(prefix: string, keyVariables: readonly string[] = this.keyVariables): Slot {
    return new Slot(prefix, this.keys, keyVariables);
  }
}

/** An event's field values: its variables' values, else the base event's. */
export function readerFor(slot: Slot, values: ReadonlyMap<string, Value | undefined>, base: Event | undefined): FieldRead {
  return (name) => {
    const v = slot.variableOf(name);
    if (values.has(v)) return values.get(v);
    return base ? readField(base, name) : undefined;
  };
}

/** What the walk must make true: a condition (wanted true or false) of one event, or a literal. */
export type Goal = { readonly event: number; readonly stage: number | null; readonly expression: A.Expression; readonly want: boolean } | { readonly event: number; readonly literal: Literal };

/** A literal taken, with the event it is about and the variables it reads. */
export interface Bound {
  readonly event: number;
  readonly literal: Literal;
  readonly variables: readonly string[];
}

/** Values of variables (undefined: the field is absent) and the literals they satisfy. */
export class State {
  constructor(
    readonly values: Map<string, Value | undefined>,
    readonly bound: Bound[],
  ) {}

  clone(): State {
    return new State(new Map(this.values), this.bound.slice());
  }
}

export interface SolverSetup {
  readonly slots: readonly Slot[];
  /** The base event, whose values fields have until something sets them. */
  readonly base: Event | undefined;
  /** Variables that must keep their values in `initial`. */
  readonly pinned: ReadonlySet<string>;
  readonly tests: LeafTests;
  /** The query's constants and values near them: the last values tried for a field. */
  readonly pool: readonly Value[];
  readonly rng: Random;
  /** The most literal tests one walk may make. */
  readonly budget: number;
}

/** How many candidates of one literal are tried on their own. */
const MAX_CANDIDATES = 24;
/** How many values are tried for one variable against all its literals together. */
const MAX_JOINT_VALUES = 120;

export class Solver {
  private work = 0;
  /** The clause at which the deepest failed branch stopped, for the error. */
  deepestFailure: { clause: Clause; depth: number } | null = null;

  constructor(private readonly setup: SolverSetup) {}

  /** The literal tests made so far. */
  get steps(): number {
    return this.work;
  }

  get exhausted(): boolean {
    return this.work > this.setup.budget;
  }

  /** The values a slot's fields have in a state. */
  reader(state: State, event: number, values: ReadonlyMap<string, Value | undefined> = state.values): FieldRead {
    return readerFor(this.setup.slots[event]!, values, this.setup.base);
  }

  /** Every state that satisfies the goals, from `initial`, in the order of the walk. */
  *solve(goals: readonly Goal[], initial: State): Generator<State> {
    yield* this.search(goals.slice(), initial);
  }

  private isChoice(g: Goal): boolean {
    if (!('expression' in g)) return false;
    const e = g.expression;
    return (e.type === 'Or' && g.want) || (e.type === 'And' && !g.want);
  }

  private *search(queue: Goal[], state: State): Generator<State> {
    for (;;) {
      if (this.exhausted) return;
      const next = queue.findIndex((g) => !this.isChoice(g));
      if (next < 0) {
        if (queue.length === 0) {
          yield state;
          return;
        }
        // Branch on the choice with the fewest sides: a wrong choice is found out sooner.
        let at = 0;
        queue.forEach((g, i) => {
          if (optionsOf(g).length < optionsOf(queue[at]!).length) at = i;
        });
        const choice = queue[at] as Extract<Goal, { expression: A.Expression }>;
        const rest = queue.filter((_, i) => i !== at);
        for (const side of this.ordered(choice, state)) {
          yield* this.search([{ ...choice, expression: side }, ...rest], state.clone());
          if (this.exhausted) return;
        }
        return;
      }
      const goal = queue.splice(next, 1)[0]!;
      if ('literal' in goal) {
        if (!this.add(state, goal.event, goal.literal)) return;
        continue;
      }
      const { expression: e, want } = goal;
      switch (e.type) {
        case 'Not':
          queue.splice(next, 0, { ...goal, expression: e.operand, want: !want });
          break;
        case 'And':
        case 'Or':
          queue.splice(next, 0, ...e.operands.map((o) => ({ ...goal, expression: o })));
          break;
        case 'Boolean':
          if (e.value !== want) {
            this.failed(this.setup.tests.clauseOf(e, goal.stage), state);
            return;
          }
          break;
        case 'Null':
          // A null condition drops every event, and so does `not` of it.
          this.failed(this.setup.tests.clauseOf(e, goal.stage), state);
          return;
        default:
          if (!this.add(state, goal.event, this.setup.tests.condition(e, want, goal.stage))) return;
      }
    }
  }

  /**
   * The sides of a choice in random order, those that the current values
   * satisfy more of first: a near miss then changes what it must and no
   * more, and a base event keeps what it has.
   */
  private ordered(choice: Extract<Goal, { expression: A.Expression }>, state: State): A.Expression[] {
    const sides = this.setup.rng.shuffled(optionsOf(choice));
    if (sides.reduce((n, side) => n + leafCount(side), 0) > MAX_SCORED_LEAVES) return sides;
    const read = this.reader(state, choice.event);
    const scores = new Map(sides.map((side) => [side, this.score(side, choice.want, read, choice.stage)]));
    return sides.sort((a, b) => scores.get(b)! - scores.get(a)!);
  }

  /** How much of a condition the values satisfy: 1 when all of it, down to 0. */
  private score(e: A.Expression, want: boolean, read: FieldRead, stage: number | null): number {
    switch (e.type) {
      case 'Not':
        return this.score(e.operand, !want, read, stage);
      case 'And':
      case 'Or': {
        const scores = e.operands.map((o) => this.score(o, want, read, stage));
        return (e.type === 'And') === want ? scores.reduce((a, b) => a + b, 0) / scores.length : Math.max(...scores);
      }
      case 'Boolean':
        return e.value === want ? 1 : 0;
      default:
        this.work++;
        return this.setup.tests.holds(e, want, read, stage) ? 1 : 0;
    }
  }

  private failed(clause: Clause, state: State): void {
    const depth = state.bound.length;
    if (!this.deepestFailure || depth >= this.deepestFailure.depth) this.deepestFailure = { clause, depth };
  }

  /** Takes a literal into the state, changing values if it must; false when no values satisfy it with the rest. */
  add(state: State, event: number, literal: Literal): boolean {
    const slot = this.setup.slots[event]!;
    const variables = [...new Set(literal.fields.map((n) => slot.variableOf(n)))];
    const bound: Bound = { event, literal, variables };
    this.work++;
    const read = this.reader(state, event);
    if (literal.holds(read)) {
      // A key holds one value for every event, even one the base event gave.
      if (literal.kind === 'key-present') for (const v of variables) if (!state.values.has(v)) state.values.set(v, read(literal.fields[0]!));
      state.bound.push(bound);
      return true;
    }
    const ctx = { rng: this.setup.rng, read };
    for (const candidate of literal.candidates(ctx).slice(0, MAX_CANDIDATES)) {
      if (this.tryValues(state, this.toVariables(slot, candidate), bound)) return true;
      if (this.exhausted) return false;
    }
    for (const variable of variables) {
      if (this.setup.pinned.has(variable)) continue;
      if (this.joint(state, variable, bound)) return true;
      if (this.exhausted) return false;
    }
    this.failed(literal.clause, state);
    return false;
  }

  private toVariables(slot: Slot, assignment: Assignment): Map<string, Value | undefined> {
    const out = new Map<string, Value | undefined>();
    for (const [name, value] of assignment) out.set(slot.variableOf(name), value);
    return out;
  }

  /**
   * Sets the values if every literal that reads them still holds, and the
   * new one too. A literal they break may be mended by changing other fields
   * it reads (`startsWith~(host.name, user.name)` once `user.name` changed),
   * up to `repairs` levels deep.
   */
  private tryValues(state: State, changes: ReadonlyMap<string, Value | undefined>, bound: Bound, repairs = 2): boolean {
    for (const [v, value] of changes) {
      if (this.setup.pinned.has(v) && !sameValue(state.values.get(v), value)) return false;
    }
    const trial = new Map(state.values);
    for (const [v, value] of changes) trial.set(v, value);
    // The new literal first: most values tried fail it, and then nothing else is tested.
    const affected = [bound, ...state.bound.filter((b) => b.variables.some((v) => changes.has(v)))];
    const failing: Bound[] = [];
    for (const b of affected) {
      this.work++;
      if (!b.literal.holds(this.reader(state, b.event, trial))) {
        if (b === bound || repairs === 0) return false;
        failing.push(b);
      }
    }
    if (failing.length === 0) {
      for (const [v, value] of changes) state.values.set(v, value);
      state.bound.push(bound);
      return true;
    }
    const broken = failing[0]!;
    const slot = this.setup.slots[broken.event]!;
    for (const candidate of broken.literal.candidates({ rng: this.setup.rng, read: this.reader(state, broken.event, trial) }).slice(0, 8)) {
      const extra = this.toVariables(slot, candidate);
      if ([...extra.keys()].some((v) => changes.has(v))) continue;
      if (this.tryValues(state, new Map([...changes, ...extra]), bound, repairs - 1)) return true;
      if (this.exhausted) return false;
    }
    return false;
  }

  /**
   * One variable against every literal that reads it: values proposed by
   * any of them, texts that join two proposals, the query's constants, and
   * at last several values at once (an array, as ECS fields such as
   * `process.args` hold), one for each literal that wants a value.
   */
  private joint(state: State, variable: string, bound: Bound): boolean {
    const related = [...state.bound.filter((b) => b.variables.includes(variable)), bound];
    const proposals: Value[][] = related.map((b) => this.proposals(state, variable, b));
    const tried: Value[] = [];
    const tryOne = (value: Value | undefined): boolean => {
      if (tried.length >= MAX_JOINT_VALUES || tried.some((t) => sameValue(t, value as Value))) return false;
      tried.push(value as Value);
      return this.tryValues(state, new Map([[variable, value]]), bound);
    };
    for (const list of proposals) for (const value of list) if (tryOne(value)) return true;
    const texts = proposals.map((list) => list.filter((v): v is string => typeof v === 'string').slice(0, 3));
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < texts.length; j++) {
        if (i === j) continue;
        for (const a of texts[i]!) for (const b of texts[j]!) if (tryOne(`${a}${b}`)) return true;
      }
    }
    for (const value of this.setup.pool) if (tryOne(value)) return true;
    return this.severalValues(state, variable, related, proposals, bound);
  }

  /** The values a literal proposes for one variable. */
  private proposals(state: State, variable: string, b: Bound): Value[] {
    const slot = this.setup.slots[b.event]!;
    const name = b.literal.fields.find((n) => slot.variableOf(n) === variable);
    if (name === undefined) return [];
    const out: Value[] = [];
    for (const candidate of b.literal.candidates({ rng: this.setup.rng, read: this.reader(state, b.event) }).slice(0, 12)) {
      if (!candidate.has(name)) continue;
      const v = candidate.get(name);
      if (v !== undefined && !Array.isArray(v)) out.push(v);
    }
    return out;
  }

  private severalValues(state: State, variable: string, related: readonly Bound[], proposals: readonly Value[][], bound: Bound): boolean {
    const values: Value[] = [];
    related.forEach((b, i) => {
      const read = (list: Value[]) => this.reader(state, b.event, new Map([...state.values, [variable, list.length === 1 ? list[0]! : list]]));
      if (values.length > 0 && b.literal.holds(read(values))) return;
      const fit = proposals[i]!.find((v) => b.literal.holds(read([...values, v])));
      if (fit !== undefined) values.push(fit);
    });
    if (values.length < 2) return false;
    return this.tryValues(state, new Map([[variable, values]]), bound);
  }
}

/** Leaves counted for scoring: beyond this many, the sides of a choice are only shuffled. */
const MAX_SCORED_LEAVES = 400;

function leafCount(e: A.Expression): number {
  return e.type === 'And' || e.type === 'Or' ? e.operands.reduce((n, o) => n + leafCount(o), 0) : e.type === 'Not' ? leafCount(e.operand) : 1;
}

/** The sides of a choice: the operands of an `or` to make true, or of an `and` to break. */
function optionsOf(g: Goal): readonly A.Expression[] {
  if (!('expression' in g)) return [];
  const e = g.expression;
  return e.type === 'Or' || e.type === 'And' ? e.operands : [];
}
