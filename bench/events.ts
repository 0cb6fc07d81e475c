/**
 * A shared in-memory batch of generated events, made once per bench run.
 *
 * Events go through JSON text and back, as every real source hands them to
 * the engine (files, queues, HTTP bodies). Objects straight from the
 * generator are laid out in memory quite unlike parsed ones (spread copies
 * interleaved with scratch allocations), which made even a bare loop over
 * them several times slower than over the same events parsed from JSON.
 */
import type { Event } from '../src/index.js';
import { generateEvents } from './generate.js';

const cache = new Map<string, Event[]>();

export function memoryEvents(count: number, hosts = 10_000, seed = 1): Event[] {
  const key = `${count}/${hosts}/${seed}`;
  let events = cache.get(key);
  if (!events) {
    events = [];
    for (const e of generateEvents({ count, hosts, seed, plantRate: 0.002 })) events.push(JSON.parse(JSON.stringify(e)) as Event);
    cache.set(key, events);
  }
  return events;
}
