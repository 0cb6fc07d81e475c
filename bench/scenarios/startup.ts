/**
 * Scenario 7: start-up and corpus loading, each in fresh `node` processes:
 * `node -e 0` (the baseline: Node's own start), `eqlkit --help`, an import of
 * the built package from ESM and a require from CommonJS (by its name, from
 * a scratch project, as an installed package is loaded), and `eqlkit check`
 * over the corpus. The commands run in turns, so that a slow minute of the
 * machine weighs on all of them alike; figures are medians, and differences
 * and ratios against `node -e 0` of the same run.
 *
 * It runs the real build (dist/, from tsup.config.ts), not the bench's
 * bundle: how the package is bundled is part of what it measures. A missing
 * or stale dist/ is built first with `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../paths.js';
import type { Scenario, ScenarioResult } from '../types.js';
import { round } from '../timing.js';

const OUTPUTS = ['dist/cli.js', 'dist/index.js', 'dist/index.cjs'].map((f) => join(repoRoot, f));

function newestUnder(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestUnder(join(path, name)));
  return newest;
}

/** Why dist/ must be built before it is measured, or null when it is current. */
function staleness(): string | null {
  if (!OUTPUTS.every((f) => existsSync(f))) return 'dist/ is missing';
  const built = Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  const sources = Math.max(newestUnder(join(repoRoot, 'src')), ...['tsup.config.ts', 'package.json'].map((f) => statSync(join(repoRoot, f)).mtimeMs));
  return sources > built ? 'dist/ is older than the sources' : null;
}

/** Wall time of one fresh process, in ms, and the last line it printed; throws when it fails. */
function timeProcess(args: readonly string[], cwd: string): { ms: number; last: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, last: r.stdout.trim().split('\n').pop() ?? '' };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const startup: Scenario = {
  name: 'startup',
  title: 'Start-up and corpus loading in fresh processes, against node -e 0',
  run({ quick }): ScenarioResult {
    const stale = staleness();
    if (stale) {
      process.stderr.write(` (${stale}: npm run build…)`);
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      if (build.status !== 0) return { skipped: `npm run build failed: ${build.stderr.slice(0, 300)}` };
    }
    const cli = join(repoRoot, 'dist', 'cli.js');
    const corpus = join(sharedDir, 'corpus', 'detection-rules');
    const haveCorpus = existsSync(corpus);
    if (!haveCorpus) process.stderr.write(` (${corpus} is missing: check of the corpus skipped)`);

    // A scratch project in which `eqlkit` is the package at the repository's root.
    const project = mkdtempSync(join(tmpdir(), 'eqlkit-startup-'));
    try {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(repoRoot, join(project, 'node_modules', 'eqlkit'), 'dir');
      const commands: Record<string, { args: string[]; cwd: string; ms: number[] }> = {
        node: { args: ['-e', '0'], cwd: project, ms: [] },
        help: { args: [cli, '--help'], cwd: project, ms: [] },
        importEsm: { args: ['--input-type=module', '-e', "await import('eqlkit')"], cwd: project, ms: [] },
        requireCjs: { args: ['-e', "require('eqlkit')"], cwd: project, ms: [] },
      };
      if (haveCorpus) commands.checkCorpus = { args: [cli, 'check', '--quiet', corpus], cwd: repoRoot, ms: [] };
      const rounds = quick ? 4 : 15;
      const checkRounds = quick ? 2 : 5;
      // One unmeasured round first: the files' first read from disk is not what is measured.
      let checkSummary = '';
      for (const c of Object.values(commands)) timeProcess(c.args, c.cwd);
      for (let i = 0; i < rounds; i++) {
        for (const [name, c] of Object.entries(commands)) {
          if (name === 'checkCorpus' && i >= checkRounds) continue;
          const { ms, last } = timeProcess(c.args, c.cwd);
          c.ms.push(ms);
          if (name === 'checkCorpus') checkSummary = last;
        }
      }
      const nodeMs = median(commands.node!.ms);
      const figures: Record<string, number | string | boolean> = { rounds, nodeMs: round(nodeMs, 1) };
      for (const [name, c] of Object.entries(commands)) {
        if (name === 'node') continue;
        const ms = median(c.ms);
        figures[`${name}Ms`] = round(ms, 1);
        figures[`${name}OverNodeMs`] = round(ms - nodeMs, 1);
        figures[`${name}Ratio`] = round(ms / nodeMs, 2);
      }
      figures.startupTargetOverNodeMs = 150;
      figures.startupWithinTarget = ['help', 'importEsm', 'requireCjs'].every((n) => (figures[`${n}OverNodeMs`] as number) <= 150);
      if (haveCorpus) {
        figures.checkCorpusSummary = checkSummary;
        figures.checkCorpusRounds = checkRounds;
        figures.checkTargetMs = 1500;
        figures.checkWithinTarget = (figures.checkCorpusMs as number) < 1500;
      } else {
        figures.checkCorpus = `skipped: ${corpus} is missing`;
      }
      return { figures };
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  },
};
