/** `eqlkit run [rules…] --events <files…>` */
import type { Event } from '../../compile/fields.js';
import { EqlEventError } from '../../errors.js';
import { loadRules } from '../../rules/load.js';
import { bundledRulesDir } from '../../rules/bundled.js';
import { RuleSet } from '../../rules/ruleset.js';
import type { Alert } from '../../rules/alert.js';
import { RUN_HELP } from '../help.js';
import { EVENT_OPTIONS, type Io, parseDurationOption, parseOptions, parseSize, readSchema } from '../common.js';
import { Output, parseFormat, UsageError } from '../output.js';
import { feederFor } from '../feed.js';
import { Progress } from '../progress.js';
import { finish } from './finish.js';

function alertRow(item: unknown): string {
  const a = item as Alert;
  const keys = a.join_keys.length > 0 ? `  ${a.join_keys.map(String).join(', ')}` : '';
  return `${a.last_event_time ?? '-'}  ${(a.rule.severity ?? '').padEnd(8)} ${a.rule.name}${keys}  (${a.events.length} event${a.events.length === 1 ? '' : 's'})`;
}

/** `--events a b c` takes every following argument up to the next option. */
export function splitEvents(args: string[]): { rest: string[]; events: string[] } {
  const rest: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--events') {
      while (i + 1 < args.length && (!args[i + 1]!.startsWith('--') || args[i + 1] === '-')) events.push(args[++i]!);
      continue;
    }
    rest.push(args[i]!);
  }
  return { rest, events };
}

export async function runCommand(args: string[], io: Io): Promise<number> {
  const { rest, events } = splitEvents(args);
  const { values, positionals } = parseOptions(rest, EVENT_OPTIONS);
  if (values.help) {
    io.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  for (const unsupported of ['timestamp-field', 'tiebreaker-field', 'category-field'] as const) {
    if (values[unsupported] !== undefined) throw new UsageError(`--${unsupported} does not apply to run: rules carry their own fields`);
  }
  const size = parseSize(values.size as string | undefined);
  const quiet = values.quiet === true;
  const schema = readSchema(values.mapping as string | undefined);
  const { rules, errors } = loadRules(positionals.length > 0 ? positionals : [bundledRulesDir()], { schema });
  for (const e of errors) io.stderr.write(`warning: rule not loaded: ${e.message}\n`);
  const set = new RuleSet(rules);
  if (!quiet) for (const r of set.skipped) io.stderr.write(`note: ${r.file ?? r.name}: skipped, ${r.notExecutableReason}\n`);
  if (set.rules.length === 0) {
    io.stderr.write('error: no EQL rule to run\n');
    return 2;
  }

  const output = new Output(io.stdout, parseFormat(values.format as string | undefined, io.stdout), alertRow);
  const feeder = feederFor(values, io.stderr, () => set.linePrefilter());
  const matcher = set.matcher({
    reorderWindow: parseDurationOption('reorder-window', values['reorder-window'] as string | undefined),
    onError: (e) => feeder.onEngineError(e),
    onLate: (e: EqlEventError) => feeder.onEngineError(e),
  });
  const limit = size ?? Infinity;
  const emit = async (alerts: Alert[]): Promise<boolean> => {
    for (const a of alerts) {
      if (feeder.counts.matches >= limit) return false;
      feeder.counts.matches++;
      await output.item(a);
    }
    return feeder.counts.matches < limit;
  };
  const progress = new Progress(feeder.progress, feeder.counts, io.stderr.isTTY === true && !quiet, 'alerts');
  progress.start();
  if (!quiet) io.stderr.write(`running ${set.rules.length} rule${set.rules.length === 1 ? '' : 's'}\n`);
  return finish(io, feeder, progress, output, quiet, values['fail-on-match'] === true, 'alerts', async () => {
    await feeder.run(events, (event) => emit(matcher.push(event as Event)));
    await emit(matcher.flush());
    await output.end();
  });
}
