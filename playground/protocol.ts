/**
 * The messages between the page and the engine's worker. The page sends one
 * request at a time and folds what the user does meanwhile into the next, so
 * that typing over 50,000 events never queues up stale runs.
 */
import type { Explanation } from '../src/browser.js';

export type SourceMode = 'query' | 'rule';

/** Events as the user gave them: text typed or pasted, or a dropped file (read, and gunzipped, in the worker). */
export type EventsInput = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'file'; readonly file: File };

/** What to explain: everything (up to a limit), one event of an event query, or one key of a sequence or sample. */
export type ExplainTarget = { readonly kind: 'all' } | { readonly kind: 'event'; readonly index: number } | { readonly kind: 'key'; readonly key: readonly unknown[] };

export interface Request {
  readonly id: number;
  /** New events, replacing the old ones. */
  readonly events?: EventsInput;
  /** A new query or rule. */
  readonly source?: { readonly mode: SourceMode; readonly text: string };
  /** An explanation, over the current source and events. */
  readonly explain?: ExplainTarget;
  /** Events that make the current source fire, from `synthesize`. */
  readonly synthesize?: true;
}

/** A query or rule that does not compile, at a place in the editor's text. */
export interface Diagnostic {
  readonly name: string;
  readonly code: string;
  /** The whole message, code frame included, as the command line prints it. */
  readonly message: string;
  readonly reason: string;
  /** 1-based, in the editor's text; null when the error has no position. */
  readonly line: number | null;
  readonly column: number | null;
  /** How many characters the caret covers. */
  readonly length: number;
  readonly frame: string | null;
}

/** What the editor holds, once compiled. */
export interface SourceSummary {
  readonly kind: 'event' | 'sequence' | 'sample';
  /** The query (a rule's query), in canonical EQL. */
  readonly canonical: string;
  /** For a rule: its id, name and severity. */
  readonly rule: { readonly ruleId: string; readonly name: string; readonly severity: string | null } | null;
  /** The query as written (a rule's query), which explanations' locations point into. */
  readonly query: string;
  /** Where that query starts in the editor's text; null when a rule's TOML escapes change it there. */
  readonly queryOffset: number | null;
}

/** One match or alert, with its events named by their 0-based position in the events given. */
export interface ResultRow {
  readonly kind: 'event' | 'sequence' | 'sample';
  /** An alert's id; null for a query's match. */
  readonly id: string | null;
  readonly severity: string | null;
  readonly joinKeys: readonly unknown[];
  /** Positions of the events, null for a missing-event stage. */
  readonly events: readonly (number | null)[];
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  /** A short text of the first event, for a glance. */
  readonly preview: string;
}

/** Events that could not be read (not JSON) or used (no timestamp), a few of them named. */
export interface EventProblems {
  readonly count: number;
  readonly first: readonly string[];
}

export interface Response {
  /** The request this answers. */
  readonly id: number;
  /** The events now held, when the request gave new ones. */
  readonly events?: { readonly count: number; readonly bytes: number; readonly unreadable: EventProblems; readonly readMs: number };
  /** The source's state, when the request gave a new one. */
  readonly source?: { readonly ok: true; readonly summary: SourceSummary } | { readonly ok: false; readonly diagnostic: Diagnostic };
  /** The results of the current source over the current events, whenever either changed. */
  readonly results?: {
    readonly total: number;
    /** The first rows only: a page need not draw 50,000 rows. */
    readonly rows: readonly ResultRow[];
    readonly unusable: EventProblems;
    readonly runMs: number;
    readonly eventCount: number;
  } | null;
  readonly explanation?: { readonly ok: true; readonly explanation: Explanation } | { readonly ok: false; readonly message: string };
  readonly synthesized?: { readonly ok: true; readonly ndjson: string; readonly count: number } | { readonly ok: false; readonly message: string };
  /** A failure of the worker itself (a bug): shown as it is. */
  readonly failure?: string;
}

/** Rows sent to the page at most; the total is always exact. */
export const MAX_ROWS = 1000;
