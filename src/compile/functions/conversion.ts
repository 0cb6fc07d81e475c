/** Conversion functions: `string`, `concat` and `number`. */
import { type ScriptValue, type ValueKind, scriptToString } from '../null-logic.js';

export function toString(v: ScriptValue, kind: ValueKind): ScriptValue {
  return scriptToString(v, kind);
}

/** concat: any null argument gives null; numbers and booleans render as text. */
export function concat(values: readonly ScriptValue[], kinds: readonly ValueKind[]): ScriptValue {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const s = scriptToString(values[i]!, kinds[i]!);
    if (s === null) return null;
    out += s;
  }
  return out;
}

/** Java's `Double.valueOf` grammar, which `number()` falls back to in base 10. */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/**
 * number(s[, base]): leading and trailing spaces are ignored in base 10, a
 * sign is allowed, a `0x` prefix means base 16 when no base is given. Base 10
 * reads decimals; other bases read integers. Returns null (Elasticsearch
 * fails the search) when the text is not a number.
 */
export function toNumber(s: ScriptValue, base: ScriptValue): ScriptValue {
  if (typeof s !== 'string') return null;
  if (base !== null && (typeof base !== 'number' || !Number.isInteger(base))) return null;
  let text = s;
  // Only an unsigned `0x` is a prefix: Elasticsearch cannot read `-0x1F`, in any base.
  const hex = text.startsWith('0x');
  const radix = base === null ? (hex ? 16 : 10) : base;
  if (radix === 16 && hex) text = text.slice(2);
  if (radix === 10) {
    if (/^[+-]?\d+$/.test(text)) return Number(text);
    // Java's trim: only characters up to U+0020 (a no-break space stays, and fails).
    const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    if (!JAVA_DOUBLE.test(trimmed)) return null;
    return Number(trimmed.replace(/[fFdD]$/, ''));
  }
  if (radix < 2 || radix > 36) return null;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  const m = /^([+-]?)(.+)$/.exec(text);
  if (!m || ![...m[2]!.toLowerCase()].every((c) => digits.includes(c))) return null;
  const value = parseInt(m[2]!, radix);
  return m[1] === '-' ? -value : value;
}
