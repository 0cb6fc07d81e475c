/**
 * Which exact values a stage needs: most rule stages hold a conjunct such as
 * `process.name : ("a.exe", "b.exe")` or `event.action == "x"`, and cannot
 * match an event whose field has none of those values. A RuleSet indexes
 * stages by such (field, value) pairs, so an event meets only the rules it
 * could satisfy. The index only narrows: every rule it hands an event to still
 * decides with its full condition.
 */
import { foldAscii } from '../semantics/case-folding.js';
import { keywordOf } from '../compile/leaves.js';
import { type ConditionNeed, fieldTier, requirementOf, type RequirementRules, type TextNeed } from '../compile/requirements.js';

/** `field` has one of `values`, or a value containing one of `anchors` (all ASCII-folded keyword text). */
export interface FieldValues {
  readonly field: string;
  readonly values: readonly string[];
  readonly anchors: readonly string[];
}

/** The stage can match only if one of these holds. */
export type Requirement = readonly FieldValues[];

/** Index key of an event value: the same text the literal's key was made from. */
export function valueKey(v: string | number | boolean): string {
  return foldAscii(keywordOf(v));
}

/** How the RuleSet's index files a stage. */
export interface Placement {
  /** What it is filed under; null: it is scanned for every event of its category. */
  readonly requirement: Requirement | null;
  /** A second requirement, on other fields, checked before the stage gets an event ({@link RequirementFinder.guardOf}). */
  readonly guard: Requirement | null;
  /** Fields that must have a value ({@link RequirementFinder.presenceOf}). */
  readonly present: readonly string[];
}

export class RequirementFinder {
  private readonly pinned = new WeakMap<ConditionNeed, ReadonlyMap<string, readonly string[]>>();
  private readonly placements = new WeakMap<ConditionNeed, Placement>();
  private readonly blind = new Map<string, RequirementFinder>();

  /**
   * @param excluded fields whose conjuncts are not requirements here: the
   * RuleSet has already split stages by their values (see {@link excluding}).
   */
  constructor(private readonly excluded: ReadonlySet<string> = new Set()) {}

  /** The same finder, blind to more fields (made once per set of fields). */
  excluding(fields: ReadonlySet<string>): RequirementFinder {
    if (fields.size === 0) return this;
    const key = [...fields].sort().join('\u0000');
    let finder = this.blind.get(key);
    if (!finder) {
      finder = new RequirementFinder(new Set([...this.excluded, ...fields]));
      this.blind.set(key, finder);
    }
    return finder;
  }

  /**
   * Per field, the exact values (ASCII-folded keyword text) one of which it
   * must have for the condition to hold: a conjunction pins what any of its
   * conjuncts pins (to the values they all allow), a disjunction what every
   * branch pins (to the values of any). Fields the condition does not pin to
   * a list of values are absent.
   */
  pinnedValues(need: ConditionNeed): ReadonlyMap<string, readonly string[]> {
    let pinned = this.pinned.get(need);
    if (!pinned) {
      pinned = this.pinnedOf(need);
      this.pinned.set(need, pinned);
    }
    return pinned;
  }

  private pinnedOf(need: ConditionNeed): ReadonlyMap<string, readonly string[]> {
    switch (need.kind) {
      case 'and': {
        const out = new Map<string, readonly string[]>();
        for (const p of need.parts) {
          for (const [field, values] of this.pinnedValues(p)) {
            const before = out.get(field);
            out.set(field, before ? before.filter((v) => values.includes(v)) : values);
          }
        }
        return out;
      }
      case 'or': {
        const [first, ...rest] = need.parts.map((p) => this.pinnedValues(p));
        const out = new Map<string, readonly string[]>();
        for (const [field, values] of first ?? []) {
          if (rest.every((p) => p.has(field))) out.set(field, [...new Set([...values, ...rest.flatMap((p) => p.get(field)!)])]);
        }
        return out;
      }
      case 'text': {
        const r = this.leaf(need);
        const only = r?.length === 1 ? r[0]! : null;
        return only && only.anchors.length === 0 && only.values.length > 0 ? new Map([[only.field, only.values]]) : new Map();
      }
      default:
        return new Map();
    }
  }

  /** Where the index files a stage, and what it checks before handing the stage an event. */
  placement(need: ConditionNeed): Placement {
    let p = this.placements.get(need);
    if (!p) {
      const requirement = this.of(need);
      p = { requirement, guard: requirement && this.guardOf(need, requirement), present: this.presenceOf(need) };
      this.placements.set(need, p);
    }
    return p;
  }

  private readonly rules: RequirementRules<Requirement> = {
    leaf: (need) => this.leaf(need),
    better,
    union: (parts) => parts.flat(),
  };

  /** A requirement of a condition, or null when any event might match. */
  of(need: ConditionNeed): Requirement | null {
    return requirementOf(need, this.rules);
  }

  /**
   * The fields that the condition itself tests for a value, in conjuncts
   * such as `container.id like "?*"` or `process.executable != null`: a rule
   * written so expects events without them, and is not handed those.
   */
  presenceOf(need: ConditionNeed): string[] {
    const out = new Set<string>();
    for (const p of need.kind === 'and' ? need.parts : [need]) if (p.kind === 'present') out.add(p.path);
    return [...out];
  }

  /**
   * A second requirement of the condition, to check before the rule is
   * handed an event that met the first: the best one among the other
   * conjuncts that asks for exact values only, of other fields. Null when
   * there is none.
   */
  guardOf(need: ConditionNeed, first: Requirement): Requirement | null {
    if (need.kind !== 'and') return null;
    const taken = new Set(first.map((r) => r.field));
    let best: Requirement | null = null;
    for (const p of need.parts) {
      const r = requirementOf(p, this.rules);
      if (r === null || r.some((x) => x.anchors.length > 0 || x.values.length === 0 || taken.has(x.field))) continue;
      if (best === null || better(r, best)) best = r;
    }
    return best;
  }

  /**
   * A leaf's requirement as index keys: values ASCII-folded, as the index
   * looks them up. Only literals whose text is certain make keys: strings,
   * booleans, and integers that numbers hold exactly (5 is "5" as text and as
   * a number; a value 5.0 reads as 5).
   */
  private leaf(need: TextNeed): Requirement | null {
    if (this.excluded.has(need.path)) return null;
    const values: string[] = [];
    const anchors: string[] = [];
    for (const t of need.terms) {
      if (t.contains) {
        const anchor = foldAscii(t.text);
        if (anchor === '') return null;
        anchors.push(anchor);
      } else if (t.literal === 'string') values.push(foldAscii(t.text));
      else if (t.literal === 'boolean' || t.literal === 'integer') values.push(t.text);
      else return null;
    }
    return values.length + anchors.length > 0 ? [{ field: need.path, values, anchors }] : null;
  }
}

/** How little a requirement narrows: weak fields, and short anchors, narrow little. */
/** A short anchor occurs in many values, unless it holds a character that is rare in event text (non-ASCII). */
const weakAnchor = (a: string) => a.length < 3 && !/[^\x00-\x7f]/.test(a);

function tier(r: Requirement): number {
  return Math.max(...r.map((x) => Math.max(fieldTier(x.field), x.anchors.some(weakAnchor) ? 2 : 0)));
}

function better(a: Requirement, b: Requirement): boolean {
  const ta = tier(a);
  const tb = tier(b);
  if (ta !== tb) return ta < tb;
  // Exact values narrow more than substrings.
  const cost = (r: Requirement) => r.reduce((n, x) => n + x.values.length + 4 * x.anchors.length, 0);
  return cost(a) < cost(b);
}
