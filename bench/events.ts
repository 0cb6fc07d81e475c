/** A shared in-memory batch of generated events, made once per bench run. */
import type { Event } from '../src/index.js';
import { generateEvents } from './generate.js';

const cache = new Map<string, Event[]>();

export function memoryEvents(count: number, hosts = 10_000, seed = 1): Event[] {
  const key = `${count}/${hosts}/${seed}`;
  let events = cache.get(key);
  if (!events) {
    events = [...generateEvents({ count, hosts, seed, plantRate: 0.002 })] as Event[];
    cache.set(key, events);
  }
  return events;
}
