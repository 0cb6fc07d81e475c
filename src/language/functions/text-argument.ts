/** Shared by the string functions: an argument's text, or null when it is not text. */
import type { ScriptValue } from '../../semantics/null-logic.js';

export const textOf = (v: ScriptValue): string | null => (typeof v === 'string' ? v : null);
