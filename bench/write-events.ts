/**
 * `npx tsx bench/write-events.ts [count] [file.ndjson] [hosts] [seed]`: writes
 * the bench's generated events as NDJSON, so that other engines can read the
 * same data.
 */
import { createWriteStream } from 'node:fs';
import { generateEvents } from './generate.js';

const [count = '100000', file = 'bench/results/events.ndjson', hosts = '1000', seed = '1'] = process.argv.slice(2);
const out = createWriteStream(file);
let n = 0;
for (const e of generateEvents({ count: Number(count), hosts: Number(hosts), seed: Number(seed) })) {
  if (!out.write(`${JSON.stringify(e)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  n++;
}
out.end();
console.error(`wrote ${n} events to ${file}`);
