/**
 * `npm run bench [-- --quick] [-- scenario…]`: runs the benchmark scenarios,
 * prints one table and writes bench/results/latest.json (a run of named
 * scenarios writes partial.json instead, and a --quick run quick.json, so
 * that neither replaces the figures of a full run). Figures are ratios or rates measured in the same
 * run, so they compare across machines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCorpus, parseCorpus } from './scenarios/corpus-timing.js';
import { adversarial } from './scenarios/adversarial.js';
import { soak } from './scenarios/soak.js';
import { bundledRuleMemory } from './scenarios/bundled-rule-memory.js';
import { rulesetCorpus } from './scenarios/ruleset-corpus.js';
import { ndjsonEndToEnd } from './scenarios/ndjson-end-to-end.js';
import { startup } from './scenarios/startup.js';
import { snapshot } from './scenarios/snapshot.js';
import type { Scenario, ScenarioResult } from './types.js';
import { resultsDir } from './paths.js';

const SCENARIOS: Scenario[] = [parseCorpus, compileCorpus, bundledRuleMemory, ndjsonEndToEnd, rulesetCorpus, snapshot, soak, adversarial, startup];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const childIndex = args.indexOf('--child');

// Each scenario runs in a process of its own, so that memory figures (and
// JIT state) of one do not leak into the next.
if (childIndex >= 0) {
  const scenario = SCENARIOS.find((s) => s.name === args[childIndex + 1])!;
  const result = await scenario.run({ quick });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const only = args.filter((a) => !a.startsWith('--'));
const results: Record<string, ScenarioResult & { title: string }> = {};
const runStarted = Date.now();
for (const s of SCENARIOS) {
  if (only.length > 0 && !only.includes(s.name)) continue;
  process.stderr.write(`running ${s.name}…`);
  const started = Date.now();
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', s.name, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const last = child.stdout.trim().split('\n').pop() ?? '';
  let result: ScenarioResult;
  try {
    result = JSON.parse(last) as ScenarioResult;
  } catch {
    result = { skipped: `the scenario failed (exit ${child.status})` };
  }
  results[s.name] = { title: s.title, ...result };
}

const rows: string[][] = [['scenario', 'figure', 'value']];
for (const [name, r] of Object.entries(results)) {
  if (r.skipped) rows.push([name, 'skipped', r.skipped]);
  for (const [k, v] of Object.entries(r.figures ?? {})) rows.push([name, k, String(v)]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));

const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  quick,
  // The whole run's wall time: --quick is meant to stay under a minute.
  wallSeconds: Math.round((Date.now() - runStarted) / 100) / 10,
  results,
};
// Only a full-size run of every scenario stands as the latest figures; a
// partial or quick one is written beside them.
const name = only.length > 0 ? 'partial.json' : quick ? 'quick.json' : 'latest.json';
const file = join(resultsDir, name);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwritten to ${file}`);
