/**
 * `number(s[, base])`: leading and trailing spaces are ignored in base 10, a
 * sign is allowed, a `0x` prefix means base 16 when no base is given. Base 10
 * reads decimals; other bases read integers. Text that is not a number gives
 * null (Elasticsearch fails the search), and is refused at compile time when
 * it is a constant.
 */
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import type { FunctionDefinition } from './types.js';

/** Java's `Double.valueOf` grammar, which `number()` falls back to in base 10. */
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

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

export const number: FunctionDefinition = {
  name: 'number',
  summary: 'the text read as a number, in base 10 or another base',
  // Declared a double, as in Elasticsearch: it fits no integer parameter.
  signature: signature(1, 2, ['string', 'integer'], 'number'),
  script: (args, context) => {
    const a0 = args[0]!.fn;
    const a1 = args[1]?.fn;
    const fn = a1 ? (s: readonly ScriptValue[]) => toNumber(a0(s), a1(s)) : (s: readonly ScriptValue[]) => toNumber(a0(s), null);
    // A constant that is not a number: Elasticsearch refuses it while planning.
    if (args.every((a) => a.constant) && args[0]!.kind !== 'null') {
      const text = context.fold(a0);
      if (text !== null && context.fold(fn) === null) context.fail('EQL_INVALID_VALUE', `unable to convert [${String(text)}] to a number`);
    }
    return fn;
  },
};
