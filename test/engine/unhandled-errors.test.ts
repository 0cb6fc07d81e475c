/**
 * Without an onError handler, events that cannot be evaluated are not lost
 * silently: the first of a search or a matcher is a process warning, the
 * rest are counted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile, RuleSet } from '../../src/index.js';
import { testRule } from '../helpers/rules.js';

const good = { '@timestamp': '2026-01-01T00:00:00Z', event: { category: 'process' } };
const noTime = { event: { category: 'process' } };

afterEach(() => {
  vi.restoreAllMocks();
});

function warnings(): { calls: unknown[][] } {
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  return spy.mock as unknown as { calls: unknown[][] };
}

describe('events that cannot be evaluated, without onError', () => {
  it('make one warning per search, and are counted', () => {
    const seen = warnings();
    const q = compile('process where true');
    expect(q.search([noTime, good, noTime])).toHaveLength(1);
    expect(q.lastStats.skipped).toBe(2);
    expect(seen.calls).toHaveLength(1);
    expect(String(seen.calls[0]![0])).toMatch(/no onError handler was given/);
    expect(seen.calls[0]![1]).toMatchObject({ code: 'EQLKIT_UNHANDLED_EVENT_ERROR' });
  });

  it('make one warning per matcher, and are counted in its stats', () => {
    const seen = warnings();
    const m = compile('process where true').matcher();
    m.push(noTime as never);
    m.push(noTime as never);
    m.push(good);
    expect(m.stats().errors).toBe(2);
    expect(seen.calls).toHaveLength(1);
  });

  it('make a warning in a RuleSet matcher too', () => {
    const seen = warnings();
    const set = new RuleSet([testRule('r1', 'process where true')]);
    const m = set.matcher();
    m.push(noTime as never);
    expect(seen.calls).toHaveLength(1);
  });

  it('go to onError alone when one is given', () => {
    const seen = warnings();
    const errors: unknown[] = [];
    compile('process where true').search([noTime, good], { onError: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(seen.calls).toHaveLength(0);
  });
});
