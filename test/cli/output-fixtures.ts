/** Streams and results for the output tests: everything in-process. */
import { Writable } from 'node:stream';
import { ALERT_SCHEMA, type Alert } from '../../src/rules/alert.js';
import type { Event } from '../../src/semantics/fields.js';

/**
 * A Writable that keeps what it is given; `isTTY` and `columns` make it pass
 * for a terminal, and `screen` records, in order, what two streams showing on
 * one terminal write.
 */
export class Collector extends Writable {
  text = '';
  isTTY?: boolean;
  columns?: number;
  private readonly screen?: { name: string; log: string[] };

  constructor(options: { isTTY?: boolean; columns?: number; screen?: { name: string; log: string[] } } = {}) {
    super({ decodeStrings: false });
    if (options.isTTY !== undefined) this.isTTY = options.isTTY;
    if (options.columns !== undefined) this.columns = options.columns;
    this.screen = options.screen;
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    // Recorded at the call, as a terminal shows it, not when _write runs.
    this.screen?.log.push(`${this.screen.name}:${String(chunk)}`);
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += String(chunk);
    callback();
  }
}

export function alert(name: string, severity: string | null, events: (Event | null)[], joinKeys: unknown[] = [], ruleId = name): Alert {
  const times = events.filter((e): e is Event => e !== null).map((e) => String(e['@timestamp']));
  return {
    schema: ALERT_SCHEMA,
    id: `${ruleId}-${times.join()}`,
    rule: { rule_id: ruleId, name, severity, risk_score: null, tags: [], threat: [], type: 'eql', building_block_type: null, file: null },
    kind: events.length > 1 ? 'sequence' : 'event',
    events,
    join_keys: joinKeys,
    first_event_time: times[0] ?? null,
    last_event_time: times[times.length - 1] ?? null,
  };
}

export function match(kind: string, events: (Event | null)[], joinKeys: unknown[] = []): { kind: string; join_keys: unknown[]; events: (Event | null)[] } {
  return { kind, join_keys: joinKeys, events };
}

export function event(time: string, fields: Record<string, unknown> = {}): Event {
  return { '@timestamp': time, ...fields };
}
