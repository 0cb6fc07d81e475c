/**
 * Which exact values a stage needs: most rule stages hold a conjunct such as
 * `process.name : ("a.exe", "b.exe")` or `event.action == "x"`, and cannot
 * match an event whose field has none of those values. A RuleSet indexes
 * stages by such (field, value) pairs, so an event meets only the rules it
 * could satisfy. The index only narrows: every rule it hands an event to still
 * decides with its full condition.
 */
import type * as A from '../parser/ast.js';
import { fieldName } from '../parser/ast.js';
import { foldAscii } from '../semantics/case-folding.js';
import { keywordOf } from '../compile/leaves.js';
import { resolveField, type Schema } from '../analyze/schema.js';
import { anchorOf } from '../text/wildcard-set.js';
import { regexNeedles } from '../text/regex.js';
import { fieldTier, requirementOf, type RequirementRules } from '../compile/requirements.js';

/** `field` has one of `values`, or a value containing one of `anchors` (all ASCII-folded keyword text). */
export interface FieldValues {
  readonly field: string;
  readonly values: readonly string[];
  readonly anchors: readonly string[];
}

/** The stage can match only if one of these holds. */
export type Requirement = readonly FieldValues[];

/**
 * The index key of a literal that `==` or `in` compares a keyword (or
 * untyped) field with: the text every value equal to it has as a keyword.
 * Only literals whose text is certain: strings, booleans, and integers that
 * numbers hold exactly (5 is "5" as text and as a number; a value 5.0 reads
 * as 5). Null otherwise.
 */
function literalKey(e: A.Expression): string | null {
  if (e.type === 'String') return foldAscii(e.value);
  if (e.type === 'Boolean') return String(e.value);
  if (e.type === 'Number' && e.integer && Number.isSafeInteger(e.value)) return String(e.value);
  return null;
}

/** A regex needs one of its patterns' required texts somewhere in the value. */
function regexRequirement(field: string, e: A.Match): Requirement | null {
  const patterns: string[] = [];
  for (const p of e.patterns) {
    if (p.type !== 'String') return null;
    patterns.push(p.value);
  }
  const needles = regexNeedles(patterns, e.operator === 'regex~');
  return needles ? [{ field, values: [], anchors: needles.map(foldAscii) }] : null;
}

/** Index key of an event value: the same text the literal's key was made from. */
export function valueKey(v: string | number | boolean): string {
  return foldAscii(keywordOf(v));
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
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
  private readonly pinned = new WeakMap<A.Expression, ReadonlyMap<string, readonly string[]>>();
  private readonly placements = new WeakMap<A.Expression, Placement>();
  private readonly blind = new Map<string, RequirementFinder>();

  /**
   * @param excluded fields whose conjuncts are not requirements here: the
   * RuleSet has already split stages by their values (see {@link excluding}).
   */
  constructor(
    private readonly schema: Schema | undefined,
    private readonly timestampField: string,
    private readonly excluded: ReadonlySet<string> = new Set(),
  ) {}

  /** The same finder, blind to more fields (made once per set of fields). */
  excluding(fields: ReadonlySet<string>): RequirementFinder {
    if (fields.size === 0) return this;
    const key = [...fields].sort().join('\u0000');
    let finder = this.blind.get(key);
    if (!finder) {
      finder = new RequirementFinder(this.schema, this.timestampField, new Set([...this.excluded, ...fields]));
      this.blind.set(key, finder);
    }
    return finder;
  }

  /** Only fields read as keyword text (or untyped) compare by their text. */
  private indexable(field: A.Field): string | null {
    const name = fieldName(field);
    // An optional field is read like any other; where a schema lacks it, the type check below says no.
    if (name === this.timestampField) return null;
    const path = this.schema ? this.keywordPath(name) : name;
    return path !== null && this.excluded.has(path) ? null : path;
  }

  private keywordPath(name: string): string | null {
    const resolved = resolveField(this.schema!, name);
    const spec = resolved?.spec;
    // The event's own text is what the index looks up: not so for a null_value or a constant_keyword.
    if (!spec || spec.nullValue !== undefined || spec.constantValue !== undefined) return null;
    return spec.type === 'keyword' || spec.type === 'text' ? resolved!.path : null;
  }

  /** The path a field name is read at, whatever its type; null when the event's own value is not what the rule sees. */
  private pathOf(name: string): string | null {
    if (!this.schema) return name;
    const resolved = resolveField(this.schema, name);
    if (resolved?.spec?.nullValue !== undefined || resolved?.spec?.constantValue !== undefined) return null;
    return resolved?.path ?? name;
  }

  /**
   * Per field, the exact values (ASCII-folded keyword text) one of which it
   * must have for the condition to hold: a conjunction pins what any of its
   * conjuncts pins (to the values they all allow), a disjunction what every
   * branch pins (to the values of any). Fields the condition does not pin to
   * a list of values are absent.
   */
  pinnedValues(e: A.Expression): ReadonlyMap<string, readonly string[]> {
    let pinned = this.pinned.get(e);
    if (!pinned) {
      pinned = this.pinnedOf(e);
      this.pinned.set(e, pinned);
    }
    return pinned;
  }

  private pinnedOf(e: A.Expression): ReadonlyMap<string, readonly string[]> {
    switch (e.type) {
      case 'And': {
        const out = new Map<string, readonly string[]>();
        for (const o of e.operands) {
          for (const [field, values] of this.pinnedValues(o)) {
            const before = out.get(field);
            out.set(field, before ? before.filter((v) => values.includes(v)) : values);
          }
        }
        return out;
      }
      case 'Or': {
        const [first, ...rest] = e.operands.map((o) => this.pinnedValues(o));
        const out = new Map<string, readonly string[]>();
        for (const [field, values] of first ?? []) {
          if (rest.every((p) => p.has(field))) out.set(field, [...new Set([...values, ...rest.flatMap((p) => p.get(field)!)])]);
        }
        return out;
      }
      case 'Comparison':
      case 'Match':
      case 'In': {
        const r = this.leaf(e);
        const only = r?.length === 1 ? r[0]! : null;
        return only && only.anchors.length === 0 && only.values.length > 0 ? new Map([[only.field, only.values]]) : new Map();
      }
      default:
        return new Map();
    }
  }

  /** Where the index files a stage, and what it checks before handing the stage an event. */
  placement(e: A.Expression): Placement {
    let p = this.placements.get(e);
    if (!p) {
      const requirement = this.of(e);
      p = { requirement, guard: requirement && this.guardOf(e, requirement), present: this.presenceOf(e) };
      this.placements.set(e, p);
    }
    return p;
  }

  private readonly rules: RequirementRules<Requirement> = {
    leaf: (e) => this.leaf(e),
    better,
    union: (parts) => parts.flat(),
  };

  /** A requirement of a condition, or null when any event might match. */
  of(e: A.Expression): Requirement | null {
    return requirementOf(e, this.rules);
  }

  /**
   * The fields that the condition itself tests for a value, in conjuncts
   * such as `container.id like "?*"` or `process.executable != null`: a rule
   * written so expects events without them, and is not handed those.
   */
  presenceOf(e: A.Expression): string[] {
    const out = new Set<string>();
    for (const o of e.type === 'And' ? e.operands : [e]) {
      let field: A.Field | null = null;
      if (o.type === 'Comparison' && o.operator === '!=') {
        if (o.left.type === 'Field' && o.right.type === 'Null') field = o.left;
        else if (o.right.type === 'Field' && o.left.type === 'Null') field = o.right;
      } else if (o.type === 'Match' && (o.operator === ':' || o.operator === 'like' || o.operator === 'like~') && o.subject.type === 'Field') {
        if (o.patterns.length > 0 && o.patterns.every((p) => p.type === 'String' && p.value === '?*')) field = o.subject;
      }
      if (field === null) continue;
      const path = this.pathOf(fieldName(field));
      if (path !== null) out.add(path);
    }
    return [...out];
  }

  /**
   * A second requirement of the condition, to check before the rule is
   * handed an event that met the first: the best one among the other
   * conjuncts that asks for exact values only, of other fields. Null when
   * there is none.
   */
  guardOf(e: A.Expression, first: Requirement): Requirement | null {
    if (e.type !== 'And') return null;
    const taken = new Set(first.map((r) => r.field));
    let best: Requirement | null = null;
    for (const o of e.operands) {
      const r = requirementOf(o, this.rules);
      if (r === null || r.some((x) => x.anchors.length > 0 || x.values.length === 0 || taken.has(x.field))) continue;
      if (best === null || better(r, best)) best = r;
    }
    return best;
  }

  private leaf(e: A.Expression): Requirement | null {
    switch (e.type) {
      case 'Match': {
        if (e.subject.type !== 'Field') return null;
        const field = this.indexable(e.subject);
        if (!field) return null;
        if (e.operator === 'regex' || e.operator === 'regex~') return regexRequirement(field, e);
        const values: string[] = [];
        const anchors: string[] = [];
        for (const p of e.patterns) {
          if (p.type !== 'String') return null;
          const folded = foldAscii(p.value);
          if (!hasWildcard(p.value)) values.push(folded);
          else {
            // A wildcard pattern needs its longest literal run somewhere in the value.
            const anchor = anchorOf(folded);
            if (anchor === '') return null;
            anchors.push(anchor);
          }
        }
        return values.length + anchors.length > 0 ? [{ field, values, anchors }] : null;
      }
      case 'Comparison': {
        if (e.operator !== '==') return null;
        const [f, lit] = e.left.type === 'Field' ? [e.left, e.right] : [e.right, e.left];
        if (f.type !== 'Field') return null;
        const key = literalKey(lit);
        const field = key === null ? null : this.indexable(f);
        return field ? [{ field, values: [key!], anchors: [] }] : null;
      }
      case 'In': {
        if (e.negated || e.subject.type !== 'Field') return null;
        const field = this.indexable(e.subject);
        if (!field) return null;
        const values: string[] = [];
        for (const v of e.values) {
          const key = literalKey(v);
          if (key === null) return null;
          values.push(key);
        }
        return values.length > 0 ? [{ field, values, anchors: [] }] : null;
      }
      default:
        return null;
    }
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
