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
import { foldAscii } from '../compile/case-folding.js';
import { keywordOf } from '../compile/leaves.js';
import { resolveField, type Schema } from '../compile/schema.js';
import { anchorOf } from '../compile/wildcard-set.js';
import { regexNeedles } from '../compile/regex.js';
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

export class RequirementFinder {
  constructor(
    private readonly schema: Schema | undefined,
    private readonly timestampField: string,
  ) {}

  /** Only fields read as keyword text (or untyped) compare by their text. */
  private indexable(field: A.Field): string | null {
    const name = fieldName(field);
    // An optional field is read like any other; where a schema lacks it, the type check below says no.
    if (name === this.timestampField) return null;
    if (!this.schema) return name;
    const resolved = resolveField(this.schema, name);
    const type = resolved?.spec?.type;
    return type === 'keyword' || type === 'text' ? resolved!.path : null;
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
