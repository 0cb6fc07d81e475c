/**
 * The RuleSet's index: which stages of which rules an event can meet. Built
 * once per RuleSet from what each stage requires (literal-index.ts) and
 * shared by all its matchers; a matcher only adds the rules' state.
 *
 * Per category field, per category: the stages of that category and the
 * `any` ones, first split by the value of a field with few values that most
 * of them pin (`host.os.type`), then filed by the exact values, substrings or
 * regex texts of the most telling field each needs; stages that need nothing
 * usable are scanned for every event.
 */
import { compileFieldReader, type Event, type FieldReader } from '../semantics/fields.js';
import { type ConditionNeed, FEW_VALUE_FIELDS } from '../compile/requirements.js';
import { filtersOf } from '../compile/plan.js';
import { SubstringIndex } from '../text/substring-index.js';
import { type Requirement, RequirementFinder } from './literal-index.js';
import type { Rule } from './rule.js';

/**
 * A rule reached through one of its stages. `rule` is the rule's place in the
 * set. For sequences, `stage` is that stage's place in the query: the rule is
 * asked whether it wants an event for that stage now (a later stage wants
 * nothing while no sequence waits for it); -1 for rules that always want
 * what their stages match.
 */
export interface Hook {
  readonly rule: number;
  readonly stage: number;
  /** A second requirement of the stage, checked before the rule gets the event; null for none. */
  readonly guard: Guard | null;
  /** Fields that must have a value for the stage to match, checked before the rule gets the event; null for none. */
  readonly present: readonly FieldReader[] | null;
}

/** One of these fields has one of its values (ASCII-folded keyword text). */
export type Guard = ReadonlyArray<{ readonly read: FieldReader; readonly values: ReadonlySet<string> }>;

/** One field of a category index: the stages that need one of its values, or a substring of one. */
export interface FieldIndex {
  readonly read: FieldReader;
  /** Rules by an exact value they need. */
  readonly byValue: Map<string, Hook[]>;
  /** The {@link shapeOf} of every key of byValue. */
  readonly shapes: Set<number>;
  /** Rules by a substring they need; ids index `anchorEntries`. */
  readonly anchors: SubstringIndex;
  readonly anchorEntries: Hook[][];
  readonly anchorIds: Map<string, number>;
}

/**
 * The stages an event of one category may meet: its own and the `any` ones
 * (`any` alone for other categories), either filed by field or first split
 * by the value of one field (see {@link SplitIndex}).
 */
export type CategoryIndex = FieldsIndex | SplitIndex;

export interface FieldsIndex {
  readonly kind: 'fields';
  readonly scan: Hook[];
  readonly fields: Map<string, FieldIndex>;
  /** The same fields grouped by their first name segment, for the per-event walk. */
  fieldGroups: FieldGroup[];
}

/**
 * Stages split by the value they require of one field with few values
 * (`host.os.type` for most endpoint rules): an event reads that field once
 * and walks only the part for its value, which holds the stages that require
 * that value and those that require none, so a Windows event never reads the
 * fields that only Linux rules index, and a Linux rule is not handed it.
 * (Walking the stages that require none as a part of their own, beside the
 * value's part, made building cheaper but dispatch slower: fields both index
 * were then looked at twice.)
 */
export interface SplitIndex {
  readonly kind: 'split';
  readonly field: string;
  readonly read: FieldReader;
  /** Per value: the stages that require it and those that require none. */
  readonly byValue: Map<string, CategoryIndex>;
  /** The stages that require no value of the field: for events with none of the values. */
  readonly rest: CategoryIndex;
}

/** Indexed fields that share a first segment: an event without it has none of them. */
export interface FieldGroup {
  readonly segment: string;
  readonly fields: FieldIndex[];
}

export interface CategoryGroup {
  readonly read: (e: Event) => unknown;
  readonly byCategory: Map<string, CategoryIndex>;
  readonly any: CategoryIndex;
}

/** One stage of one rule, as the index sees it before it files it. */
interface StageSpec {
  readonly rule: number;
  /** The stage's place in a sequence, or -1 (see {@link Hook}). */
  readonly stage: number;
  readonly condition: ConditionNeed;
  readonly finder: RequirementFinder;
  /** Its placements so far, by the finder (blind to the split fields) that made them. */
  readonly placed: Map<RequirementFinder, { readonly hook: Hook; readonly requirement: Requirement | null }>;
}

/**
 * How many splits may nest. The corpus gains from one (by `host.os.type`); a
 * second rarely pays, and each level files the stages that require no value
 * into every part again.
 */
const MAX_SPLIT_DEPTH = 2;

/**
 * Splitting pays when an event would meet clearly fewer stages: with events
 * assumed to carry the values in the proportions that stages ask for them,
 * the expected share of stages an event meets must fall below this.
 */
const SPLIT_GAIN = 0.75;

/** Fewer stages than this are filed as they are: a walk over them costs little. */
const MIN_SPLIT_STAGES = 32;

/**
 * The most times a split may file the stages, all its parts together, as a
 * multiple of their number: it bounds the index's size and the time taken to
 * build it (a split by `data_stream.dataset`, with twenty values each pinned
 * by a few stages, would copy the rest twenty times for little gain).
 */
const MAX_FILINGS = 3;

/** The field to split these stages by, with each stage's values (null: any value); null when no split pays. */
function chooseSplit(specs: readonly StageSpec[], done: ReadonlySet<string>): { field: string; values: Array<readonly string[] | null> } | null {
  let best: { field: string; values: Array<readonly string[] | null>; share: number } | null = null;
  const pinned = specs.map((s) => s.finder.pinnedValues(s.condition));
  for (const field of FEW_VALUE_FIELDS) {
    if (done.has(field)) continue;
    const values = pinned.map((p) => p.get(field) ?? null);
    const demand = new Map<string, number>();
    let open = 0;
    for (const vs of values) {
      if (vs === null) open++;
      else for (const v of vs) demand.set(v, (demand.get(v) ?? 0) + 1);
    }
    let total = 0;
    let met = 0;
    for (const c of demand.values()) {
      total += c;
      met += c * c;
    }
    // Each part holds the stages that require none: many parts of few stages each copy them over and over.
    if (total === 0 || total + (demand.size + 1) * open > MAX_FILINGS * specs.length) continue;
    const share = (open + met / total) / specs.length;
    if (share < SPLIT_GAIN && (best === null || share < best.share)) best = { field, values, share };
  }
  return best;
}

/**
 * A stage's hook and requirement once some fields are split off, made once:
 * the stages that require no value of a split field are filed in every part.
 */
function placementOf(spec: StageSpec, done: ReadonlySet<string>): { readonly hook: Hook; readonly requirement: Requirement | null } {
  const finder = spec.finder.excluding(done);
  let placed = spec.placed.get(finder);
  if (!placed) {
    const { requirement, guard, present } = finder.placement(spec.condition);
    const hook: Hook = {
      rule: spec.rule,
      stage: spec.stage,
      guard: guard === null ? null : guard.map((r) => ({ read: compileFieldReader(r.field), values: new Set(r.values) })),
      present: present.length > 0 ? present.map(compileFieldReader) : null,
    };
    placed = { hook, requirement };
    spec.placed.set(finder, placed);
  }
  return placed;
}

/** Files each stage under its requirement, or splits the stages first when that pays. */
function buildIndex(specs: readonly StageSpec[], done: ReadonlySet<string> = new Set()): CategoryIndex {
  const split = done.size < MAX_SPLIT_DEPTH && specs.length >= MIN_SPLIT_STAGES ? chooseSplit(specs, done) : null;
  if (split === null) {
    const index: FieldsIndex = { kind: 'fields', scan: [], fields: new Map(), fieldGroups: [] };
    for (const spec of specs) {
      // The split fields are known to hold a wanted value here: other conjuncts tell more.
      const { hook, requirement } = placementOf(spec, done);
      addStage(index, hook, requirement);
    }
    index.fieldGroups = groupByFirstSegment(index.fields);
    return index;
  }
  const inner = new Set([...done, split.field]);
  const byValue = new Map<string, StageSpec[]>();
  const other: StageSpec[] = [];
  split.values.forEach((vs, i) => {
    if (vs === null) other.push(specs[i]!);
    else {
      for (const v of new Set(vs)) {
        const list = byValue.get(v);
        if (list) list.push(specs[i]!);
        else byValue.set(v, [specs[i]!]);
      }
    }
  });
  return {
    kind: 'split',
    field: split.field,
    read: compileFieldReader(split.field),
    byValue: new Map([...byValue].map(([v, list]) => [v, buildIndex([...list, ...other], inner)])),
    rest: buildIndex(other, inner),
  };
}

/**
 * The index of a set of rules (those that run, in their order in the set).
 * Each category's index holds the `any` stages too, so that an event of a
 * known category walks one index and reads each field there once.
 */
export function buildRuleIndex(rules: readonly Rule[]): CategoryGroup[] {
  /** Per category field: each stage with its category (null for `any`). */
  const byField = new Map<string, { read: FieldReader; stages: Array<{ category: string | null; spec: StageSpec }> }>();
  // Requirements come from the compiled plans, which settled each field's semantics: one finder serves every rule.
  const finder = new RequirementFinder();
  rules.forEach((rule, position) => {
    const plan = rule.compiled.plan;
    const field = plan.options.eventCategoryField;
    let group = byField.get(field);
    if (!group) {
      group = { read: plan.categoryField, stages: [] };
      byField.set(field, group);
    }
    for (const [stage, filter] of filtersOf(plan).entries()) {
      // Only a sequence's wish for an event changes as it runs.
      group.stages.push({ category: filter.category, spec: { rule: position, stage: plan.kind === 'sequence' ? stage : -1, condition: filter.need, finder, placed: new Map() } });
    }
  });
  const groups: CategoryGroup[] = [];
  for (const { read, stages } of byField.values()) {
    const byCategory = new Map<string, StageSpec[]>();
    for (const { category } of stages) if (category !== null && !byCategory.has(category)) byCategory.set(category, []);
    const any: StageSpec[] = [];
    for (const { category, spec } of stages) {
      if (category !== null) {
        byCategory.get(category)!.push(spec);
        continue;
      }
      any.push(spec);
      for (const list of byCategory.values()) list.push(spec);
    }
    groups.push({ read, byCategory: new Map([...byCategory].map(([c, list]) => [c, buildIndex(list)])), any: buildIndex(any) });
  }
  return groups;
}

/** A UTF-16 unit as ASCII folding leaves it. */
const foldUnit = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * A small integer that is equal for texts equal once ASCII-folded, made of
 * their length and their first and last units, folded: three reads, not the
 * whole text. Different texts may share one (it only rules texts out), and it
 * stays within 30 bits, so no number is allocated for it.
 */
export function shapeOf(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  return ((n << 16) ^ (foldUnit(text.charCodeAt(0)) << 8) ^ foldUnit(text.charCodeAt(n - 1))) & 0x3fffffff;
}

function groupByFirstSegment(fields: ReadonlyMap<string, FieldIndex>): FieldGroup[] {
  const groups = new Map<string, FieldIndex[]>();
  for (const [name, index] of fields) {
    const segment = name.split('.')[0]!;
    const list = groups.get(segment) ?? [];
    list.push(index);
    groups.set(segment, list);
  }
  return [...groups].map(([segment, list]) => ({ segment, fields: list }));
}

/** Adds a hook to a list unless this filing just added it (a requirement may name a value twice). */
function addOnce(list: Hook[], hook: Hook): void {
  if (list[list.length - 1] !== hook) list.push(hook);
}

/**
 * Files a stage under its requirement: by value or substring of a field, or
 * scanned for every event of the index. A stage comes to one index once, so
 * only its own requirement can name a value twice, and its hook is then the
 * last one on that list.
 */
function addStage(index: FieldsIndex, hook: Hook, requirement: Requirement | null): void {
  if (!requirement) {
    index.scan.push(hook);
    return;
  }
  for (const { field: name, values, anchors } of requirement) {
    let byField = index.fields.get(name);
    if (!byField) {
      byField = { read: compileFieldReader(name), byValue: new Map(), shapes: new Set(), anchors: new SubstringIndex(), anchorEntries: [], anchorIds: new Map() };
      index.fields.set(name, byField);
    }
    for (const v of values) {
      byField.shapes.add(shapeOf(v));
      const list = byField.byValue.get(v);
      if (list) addOnce(list, hook);
      else byField.byValue.set(v, [hook]);
    }
    for (const a of anchors) {
      let id = byField.anchorIds.get(a);
      if (id === undefined) {
        id = byField.anchorEntries.length;
        byField.anchorEntries.push([]);
        byField.anchorIds.set(a, id);
        byField.anchors.add(a, id);
      }
      addOnce(byField.anchorEntries[id]!, hook);
    }
  }
}
