/**
 * Events that cannot be evaluated are never dropped silently: without an
 * `onError` handler, the first one of a search or a matcher is reported as a
 * process warning (Node prints it on stderr; elsewhere `console.warn`), and
 * the rest are counted in its stats.
 */
import type { EqlEventError } from '../errors.js';

/** The warning's code, for `process.on('warning')` listeners and `--disable-warning`. */
export const UNHANDLED_EVENT_ERROR_WARNING = 'EQLKIT_UNHANDLED_EVENT_ERROR';

export function warnUnhandledEventError(error: EqlEventError): void {
  const message = `an event could not be evaluated and no onError handler was given: ${error.message}. Later ones of this search or matcher are only counted (stats().errors, lastStats.skipped); pass onError to see them all.`;
  const process = (globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process;
  if (typeof process?.emitWarning === 'function') process.emitWarning(message, { type: 'EqlkitWarning', code: UNHANDLED_EVENT_ERROR_WARNING });
  else console.warn(`eqlkit: ${message}`);
}
