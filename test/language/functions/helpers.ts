/** Running one condition over one event, and the error a condition raises, for the function tables. */
import { compile, EqlSemanticError, type Event, type Schema } from '../../../src/index.js';

/** Whether `event` matches `any where <condition>`. */
export function matches(condition: string, event: Event, schema?: Schema): boolean {
  return compile(`any where ${condition}`, schema ? { schema } : {}).matches({ '@timestamp': 1, ...event });
}

/** The semantic error `any where <condition>` raises, as code, reason and column; null when it compiles. */
export function errorOf(condition: string, schema?: Schema): { code: string; reason: string; column: number | null } | null {
  try {
    compile(`any where ${condition}`, schema ? { schema } : {});
    return null;
  } catch (e) {
    if (!(e instanceof EqlSemanticError)) throw e;
    return { code: e.code, reason: e.reason, column: e.column };
  }
}

/** A schema that types the timestamp and the given fields. */
export const schemaOf = (fields: Record<string, string>): Schema => ({ '@timestamp': 'date', ...fields }) as Schema;
