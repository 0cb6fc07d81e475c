/**
 * The `eqlkit` command. It reads files or stdin, writes results to stdout
 * and diagnostics to stderr, and exits with 0 (success), 1 (problems found, a
 * failed rule test, --fail-on-match, or no events synthesized), 2 (usage,
 * invalid query, unreadable event file, or a rule test file that cannot run)
 * or 3 (bad input with --strict).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledRulesDir } from '../rules/bundled.js';
import { COMMAND_HELP, MAIN_HELP } from './help.js';
import type { Io } from './common.js';
import { UsageError } from './output.js';
import { queryCommand } from './commands/query.js';
import { runCommand } from './commands/run.js';
import { checkCommand } from './commands/check.js';
import { testCommand } from './commands/test.js';
import { parseCommand } from './commands/parse.js';
import { synthCommand } from './commands/synth.js';
import { explainCommand } from './commands/explain.js';

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  query: queryCommand,
  run: runCommand,
  check: checkCommand,
  test: testCommand,
  parse: parseCommand,
  synth: synthCommand,
  explain: explainCommand,
};

function version(): string {
  const manifest = join(bundledRulesDir(), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'help' && args.length > 0) {
    const help = COMMAND_HELP[args[0]!];
    if (help === undefined) {
      io.stderr.write(`error: no command "${args[0]}"; the commands are ${Object.keys(COMMAND_HELP).join(', ')}\n`);
      return 2;
    }
    io.stdout.write(`${help}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"; use ${Object.keys(COMMANDS).join(', ')}`);
    return await run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\nRun "eqlkit ${run ? `${command} ` : ''}--help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return 4;
  }
}
