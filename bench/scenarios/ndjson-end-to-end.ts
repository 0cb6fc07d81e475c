/**
 * Scenario 3: the bundled rule end to end, from an NDJSON file to alerts
 * through the CLI's streaming reader, against a floor pass that only splits
 * lines and calls JSON.parse on the same file.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type Event } from '../../src/index.js';
import { readRecordBatches } from '../../src/cli/input.js';
import { bundledRuleQuery } from '../bundled-rule.js';
import { generateEvents } from '../generate.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

async function floor(file: string): Promise<number> {
  let pending = '';
  let n = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    pending += chunk as string;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      JSON.parse(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      n++;
    }
  }
  return n;
}

export const ndjsonEndToEnd: Scenario = {
  name: 'ndjson-end-to-end',
  title: 'Bundled rule from an NDJSON file, against the JSON.parse floor',
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), 'eql-bench-'));
    const file = join(dir, 'events.ndjson');
    const count = quick ? 100_000 : 500_000;
    const out = createWriteStream(file);
    for (const e of generateEvents({ count, hosts: 10_000, seed: 3, plantRate: 0.002 })) {
      if (!out.write(`${JSON.stringify(e)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const q = compile(bundledRuleQuery());
    try {
      // Warm both paths once on the file, then time each.
      await floor(file);
      const f0 = process.hrtime.bigint();
      await floor(file);
      const floorSeconds = Number(process.hrtime.bigint() - f0) / 1e9;
      const prefilter = q.linePrefilter();
      let alerts = 0;
      let linesPrefiltered = 0;
      const run = async (usePrefilter: boolean) => {
        const m = q.matcher();
        const progress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
        const mayMatch = usePrefilter && prefilter ? (line: string) => prefilter.mayMatch(line) : undefined;
        for await (const batch of readRecordBatches(file, progress, { mayMatch })) {
          for (const r of batch) if (r.ok) alerts += m.push(r.event as Event).length;
        }
        alerts += m.flush().length;
        linesPrefiltered = progress.linesPrefiltered;
      };
      const timed = async (usePrefilter: boolean): Promise<{ seconds: number; alerts: number }> => {
        await run(usePrefilter);
        alerts = 0;
        const e0 = process.hrtime.bigint();
        await run(usePrefilter);
        return { seconds: Number(process.hrtime.bigint() - e0) / 1e9, alerts };
      };
      const parsed = await timed(false);
      const engineSeconds = parsed.seconds;
      const skipping = await timed(true);
      if (skipping.alerts !== parsed.alerts) throw new Error(`the prefilter changed the alerts: ${skipping.alerts} against ${parsed.alerts}`);
      return {
        figures: {
          events: count,
          fileMB: round(statSync(file).size / 2 ** 20, 1),
          alerts,
          floorEventsPerSecond: Math.round(count / floorSeconds),
          engineEventsPerSecond: Math.round(count / engineSeconds),
          ratioToFloor: round(floorSeconds / engineSeconds, 3),
          targetRatio: 0.85,
          prefilteredLines: linesPrefiltered,
          prefilterEventsPerSecond: Math.round(count / skipping.seconds),
          prefilterRatioToFloor: round(floorSeconds / skipping.seconds, 3),
          prefilterTargetRatio: 1.5,
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
