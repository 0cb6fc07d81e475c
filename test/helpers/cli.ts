/** Runs the built command line as a child process, the way users run it. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
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

/**
 * Runs the command line in this process, through `main(argv, io)`, with
 * in-memory streams: what a spawned run gives, without the cost of a process.
 */
export async function runCli(args: string[], input?: string | Buffer): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const { PassThrough, Readable } = await import('node:stream');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = Readable.from(input === undefined ? [] : [typeof input === 'string' ? Buffer.from(input) : input]);
  const code = await main(args, { stdout, stderr, stdin });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** What a run of the built command line in a child process is given: a heap cap, a time limit, and stdin. */
export interface CappedRunOptions {
  /** V8's old-space limit, in MB: a run whose memory grows with its input dies of it. */
  readonly heapMb: number;
  /** The run is killed after this long: a hang fails the test instead of stalling it. */
  readonly timeoutMs: number;
  /** stdin: a file's bytes (given as the descriptor itself), or chunks written with back-pressure. */
  readonly stdin?: { readonly file: string } | (() => AsyncIterable<Buffer | string>);
}

export interface CappedRunResult extends CliResult {
  /** The signal that ended the run (SIGKILL when it was killed for time), or null. */
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

/**
 * Runs the built command line as a child process with a heap cap and a time
 * limit, as a test of bounded memory and of no hang: an out-of-memory crash
 * or a kill shows in `code`, `signal` and `timedOut`.
 */
export async function cliCapped(args: string[], options: CappedRunOptions): Promise<CappedRunResult> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
  const feed = typeof options.stdin === 'function' ? options.stdin : null;
  const stdinFd = options.stdin !== undefined && typeof options.stdin === 'object' ? openSync(options.stdin.file, 'r') : null;
  try {
    const child = spawn(process.execPath, [`--max-old-space-size=${options.heapMb}`, CLI, ...args], {
      cwd: REPO_ROOT,
      stdio: [stdinFd ?? (feed ? 'pipe' : 'ignore'), 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const input = child.stdin;
    if (feed && input) {
      // A run that stops reading early (or dies) closes the pipe: the writing stops there.
      input.on('error', () => {});
      (async () => {
        for await (const chunk of feed()) {
          if (input.destroyed) return;
          if (!input.write(chunk)) {
            await new Promise<void>((resolve) => {
              input.once('drain', resolve);
              input.once('close', resolve);
            });
          }
        }
        input.end();
      })().catch(() => input.destroy());
    }
    const { code, signal } = await ended;
    clearTimeout(timer);
    return { code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  } finally {
    if (stdinFd !== null) closeSync(stdinFd);
  }
}
