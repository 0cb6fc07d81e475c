/**
 * Values inside scripts, and null logic, written once.
 *
 * Elasticsearch evaluates anything that is not a plain field-versus-literal
 * test (function calls, arithmetic, a comparison on a computed value) as a
 * script. Inside a script null propagates: an operator with a null operand
 * gives null, `not null` is null, `and`/`or` follow three-valued logic. Where
 * a script meets the filter, null counts as "no match" ({@link isTrue}).
 *
 * Numbers keep Elasticsearch's integer/floating distinction: `7 / 2` is 3,
 * `7.0 / 2` is 3.5. A value's kind is known at compile time when it can be
 * (literals, mapped fields); otherwise a whole JavaScript number counts as an
 * integer.
 */

export type ScriptValue = string | number | boolean | null;

/**
 * What is known statically of a script value; `unknown` means decide per
 * value. `number` is number()'s result:
 * declared a double, as Elasticsearch types it (so it fits no integer
 * parameter), while arithmetic goes by the value it gives, long or double.
 */
export type ValueKind = 'integer' | 'float' | 'number' | 'string' | 'boolean' | 'null' | 'unknown';

/** The filter boundary: only a real `true` matches. */
export function isTrue(v: ScriptValue): boolean {
  return v === true;
}

export function not3(v: ScriptValue): ScriptValue {
  return v === null ? null : !v;
}

/** Three-valued `and` over operands taken in order: false wins (the rest are not evaluated), then null. */
export function and3<A>(operands: readonly ((arg: A) => ScriptValue)[], arg: A): ScriptValue {
  let sawNull = false;
  for (const operand of operands) {
    const v = operand(arg);
    if (v === false) return false;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : true;
}

/** Three-valued `or` over operands taken in order: true wins (the rest are not evaluated), then null. */
export function or3<A>(operands: readonly ((arg: A) => ScriptValue)[], arg: A): ScriptValue {
  let sawNull = false;
  for (const operand of operands) {
    const v = operand(arg);
    if (v === true) return true;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : false;
}

/** Whether a number operand counts as floating point, given what is known statically. */
export function isFloat(v: number, kind: ValueKind): boolean {
  return kind === 'float' || (kind !== 'integer' && !Number.isInteger(v));
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/**
 * Java arithmetic on longs and doubles. Integer division truncates toward
 * zero, `%` keeps the dividend's sign, and an integer division by zero (an
 * error in Elasticsearch) gives null here.
 */
export function arithmetic(op: ArithmeticOp, a: ScriptValue, b: ScriptValue, aKind: ValueKind, bKind: ValueKind): ScriptValue {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  if (isFloat(a, aKind) || isFloat(b, bKind)) {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '%':
        return a % b;
    }
  }
  if ((op === '/' || op === '%') && b === 0) return null;
  return asLong(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : a % b);
}

/** A long has no negative zero, which JavaScript's `0 * -1`, `-4 % 2` or `-0` would give. */
export const asLong = (v: number): number => (v === 0 ? 0 : v);

/** The kind of an arithmetic result from its operands' kinds. */
export function arithmeticKind(a: ValueKind, b: ValueKind): ValueKind {
  if (a === 'null' || b === 'null') return 'null';
  if (a === 'float' || b === 'float') return 'float';
  if (a === 'integer' && b === 'integer') return 'integer';
  return 'unknown';
}

/** Compares code point by code point, as Elasticsearch compares keyword terms (UTF-8 byte order). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) sort above every other BMP character in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Script comparison (ql `Comparisons`): numbers in Java's order, strings by
 * UTF-16 code unit (Java `compareTo`), booleans false < true. Mixed types or a
 * null operand give null.
 */
export function compare3(a: ScriptValue, b: ScriptValue): number | null {
  if (a === null || b === null) return null;
  const ta = typeof a;
  if (ta !== typeof b) return null;
  if (ta === 'number') return compareNumbers(a as number, b as number);
  if (ta === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return a === b ? 0 : a ? 1 : -1;
}

/**
 * Numbers in Java's order (Double.compare, which longs agree with): −0.0 below
 * 0.0, and NaN equal to itself and above every other number.
 */
function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a !== 0 || Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

/** Java's `Double.toString` for the values scripts print (`2.0`, `1.0E10`). */
export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Scientific: JavaScript gives 1e+21 / 1.5e-7, Java gives 1.0E21 / 1.5E-7.
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

/** How a script renders a value as text (`string()`, `concat()`). */
export function scriptToString(v: ScriptValue, kind: ValueKind): string | null {
  if (v === null) return null;
  if (typeof v === 'number') return isFloat(v, kind) ? javaDoubleToString(v) : String(v);
  return String(v);
}

/** What each comparison operator asks of a comparison's sign (`compare3`'s result, or any three-way comparison). */
export const COMPARISON_TESTS: Readonly<Record<'==' | '!=' | '<' | '<=' | '>' | '>=', (c: number) => boolean>> = {
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};
