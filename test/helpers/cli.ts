/** Runs the built command line as a child process, the way users run it. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: string[], input?: string | Buffer): CliResult {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, input: typeof input === 'string' ? Buffer.from(input) : input, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

export const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
