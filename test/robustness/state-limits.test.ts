/** Bounded state: limits hold under load, and nothing leaves without being counted. */
import { describe, expect, it } from 'vitest';
import { compile, type Event } from '../../src/index.js';

// Times in milliseconds from a base past the four-digit numbers, which Elasticsearch reads as years.
const ev = (t: number, cat: string, h: number): Event => ({ '@timestamp': 1_000_000 + t, event: { category: cat }, h });

describe('state limits', () => {
  it('keep pending sequences under maxPendingSequences and count every eviction', () => {
    const m = compile('sequence by h [a where true] [b where true]').matcher({ maxPendingSequences: 1000 });
    for (let i = 0; i < 100_000; i++) m.push(ev(i, 'a', i));
    const s = m.stats();
    expect(s.pendingSequences).toBeLessThanOrEqual(1000);
    expect(s.pendingSequences + s.evictions).toBe(100_000);
    // The policy: the keys idle longest go first; recent ones still complete.
    expect(m.push(ev(100_001, 'b', 99_999))).toHaveLength(1);
    expect(m.push(ev(100_002, 'b', 5))).toHaveLength(0);
  });

  it('forget partial sequences past maxspan, so a million keys cost no more than the live ones', () => {
    const m = compile('sequence by h with maxspan=1s [a where true] [b where true]').matcher();
    for (let i = 0; i < 1_000_000; i++) m.push(ev(i, 'a', i));
    expect(m.stats().liveKeys).toBeLessThan(1500);
    expect(m.stats().evictions).toBe(0);
  });

  it('hand every late event to onLate and count it', () => {
    const late: number[] = [];
    const m = compile('any where true').matcher({ reorderWindow: '10ms', onLate: (e) => late.push(e.index) });
    const times = [100, 200, 50, 190, 300, 150, 299];
    for (const t of times) m.push(ev(t, 'a', 0));
    const out = m.flush();
    expect(late).toEqual([2, 5]);
    expect(m.stats().late).toBe(2);
    expect(m.stats().matches + m.stats().late).toBe(times.length);
    expect(out.length).toBeGreaterThan(0);
  });
});
