/**
 * Scenario 5: the streaming soak. The bundled rule over millions of generated
 * events across a million hosts, through matcher().push. Reports peak RSS and
 * live state over time; after the first maxspan, state must stay flat.
 */
import { compile } from '../../src/index.js';
import { generateEvents } from '../generate.js';
import { bundledRuleQuery } from '../bundled-rule.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

export const soak: Scenario = {
  name: 'soak',
  title: 'Streaming soak: bundled rule, 5M events, 1M host.ids',
  run({ quick }) {
    const count = quick ? 200_000 : 5_000_000;
    const hosts = 1_000_000;
    const q = compile(bundledRuleQuery());
    const m = q.matcher();
    const samples: Array<{ events: number; rssMB: number; liveKeys: number; pending: number }> = [];
    let peakRss = 0;
    let matches = 0;
    let n = 0;
    const every = count / 20;
    const t0 = process.hrtime.bigint();
    // plantRate 0.05: one event in twenty opens a sequence, so there is real state to keep bounded.
    for (const e of generateEvents({ count, hosts, seed: 7, plantRate: 0.05 })) {
      matches += m.push(e).length;
      if (++n % every === 0) {
        const rss = process.memoryUsage().rss / 2 ** 20;
        peakRss = Math.max(peakRss, rss);
        const s = m.stats();
        samples.push({ events: n, rssMB: round(rss, 1), liveKeys: s.liveKeys, pending: s.pendingSequences });
      }
    }
    matches += m.flush().length;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const later = samples.slice(samples.length / 2);
    const state = later.map((s) => s.pending);
    return {
      figures: {
        events: count,
        hosts,
        matches,
        eventsPerSecond: Math.round(count / seconds),
        peakRssMB: round(peakRss, 1),
        maxPendingSecondHalf: Math.max(...state),
        minPendingSecondHalf: Math.min(...state),
        liveKeysAtEnd: samples[samples.length - 1]?.liveKeys ?? 0,
        rssMBOverTime: samples.map((s) => s.rssMB).join(' '),
        pendingOverTime: samples.map((s) => s.pending).join(' '),
      },
    };
  },
};
