/** What the engine returns. */
import type { Event } from '../semantics/fields.js';

/** One result: an event, a sequence or a sample. */
export interface Match {
  readonly kind: 'event' | 'sequence' | 'sample';
  /** The events in stage order; `null` stands for a missing-event stage of a sequence. */
  readonly events: readonly (Event | null)[];
  /** Join-key values of sequences and samples (query-level keys, then the stage keys); empty for events. */
  readonly joinKeys: readonly unknown[];
}
