/** The synth stage: events that make a rule or query fire, and near misses that do not. */
export { synthesize } from './synthesize.js';
export type { NearMiss, NearMissKind, SkippedNearMiss, Synthesis, SynthesisOptions } from './synthesize.js';
export { SynthesisError } from './errors.js';
export type { SynthesisErrorCode } from './errors.js';
