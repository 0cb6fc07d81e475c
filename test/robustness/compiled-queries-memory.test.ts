/**
 * A service that compiles user queries and drops them keeps no memory for
 * them: what the field readers share across queries is bounded. Measured in
 * a fresh process with the collector at hand, on the built package.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const SCRIPT = `
const { compile } = await import(process.argv[1]);
const event = { '@timestamp': 1, event: { category: 'process' } };
const heapAfter = (n, from) => {
  for (let i = from; i < from + n; i++) compile('process where field_' + i + '.name == "x' + i + '" and f' + i + ' : "*a*"').matches(event);
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
globalThis.gc();
const start = process.memoryUsage().heapUsed;
const first = heapAfter(10000, 0);
const later = heapAfter(30000, 10000);
console.log(JSON.stringify({ firstMB: (first - start) / 1e6, laterMB: (later - first) / 1e6 }));
`;

describe('compiling and dropping many queries', () => {
  it('keeps heap bounded whatever the number of distinct field names', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCRIPT, join(REPO_ROOT, 'dist', 'index.js')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { firstMB, laterMB } = JSON.parse(r.stdout) as { firstMB: number; laterMB: number };
    // 30,000 more queries, each on new fields: with a table that grows per name, about 4 KB each (120 MB).
    expect(laterMB).toBeLessThan(30);
    expect(firstMB).toBeLessThan(60);
  });
});
