/** Why events could not be synthesized for a rule or query. */
import { EqlError } from '../errors.js';
import type { Location } from '../parser/ast.js';

export type SynthesisErrorCode =
  /** No events were found that satisfy a clause together with the rest (the clause is named). */
  | 'SYNTH_UNSATISFIED'
  /** The query uses something the generator cannot build values for (the clause is named). */
  | 'SYNTH_UNSUPPORTED'
  /** The search reached its bound before finding values (the clause it was stuck on is named). */
  | 'SYNTH_SEARCH_LIMIT'
  /** Events were built, but the engine did not confirm that they make the query fire. */
  | 'SYNTH_NOT_CONFIRMED'
  /** The rule cannot run (not EQL, or with parts the engine does not apply). */
  | 'SYNTH_NOT_RUNNABLE';

/**
 * Synthesis was refused: no witness is given rather than a wrong one. The
 * clause that defeated the generator is named when one is to blame.
 */
export class SynthesisError extends EqlError {
  declare readonly code: SynthesisErrorCode;
  /** The message without the clause. */
  readonly reason: string;
  /** The text of the clause at fault, as written, or null. */
  readonly clause: string | null;
  /** Where that clause is in the query, or null. */
  readonly location: Location | null;
  /** The stage of a sequence or sample the clause belongs to, numbered from 1 as written, or null. */
  readonly stage: number | null;

  constructor(code: SynthesisErrorCode, reason: string, where: { clause?: string | null; location?: Location | null; stage?: number | null } = {}) {
    const clause = where.clause ?? null;
    const location = where.location ?? null;
    const at = location ? ` at line ${location.start.line}:${location.start.column} of the query` : '';
    super(code, clause === null ? reason : `${reason}: ${clause}${at}`);
    this.reason = reason;
    this.clause = clause;
    this.location = location;
    this.stage = where.stage ?? null;
  }
}
