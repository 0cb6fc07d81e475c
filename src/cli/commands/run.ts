/** `eqlkit run [rules…] --events <events…>` */
import type { Event } from '../../semantics/fields.js';
import type { EqlEventError } from '../../errors.js';
import { loadRules } from '../../rules/load.js';
import { bundledRulesDir } from '../../rules/bundled.js';
import { RuleSet } from '../../rules/ruleset.js';
import { type RuleSelection, SEVERITIES, selectRules, severityOf } from '../../rules/select.js';
import type { Alert } from '../../rules/alert.js';
import { RUN_HELP } from '../help.js';
import { EVENT_OPTIONS, type Io, parseDurationOption, parseOptions, parseSize, readSchema } from '../common.js';
import { UsageError } from '../output.js';
import { expandEventInputs } from '../event-files.js';
import { AlertSummary } from '../summary.js';
import { plural } from '../plural.js';
import { loadingLine } from '../loading.js';
import { finish, openSession } from './finish.js';

const RUN_OPTIONS = {
  ...EVENT_OPTIONS,
  'min-severity': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'no-building-blocks': { type: 'boolean' },
} as const;

/** Event files where rules belong: `run events.ndjson` instead of `run --events events.ndjson`. */
const EVENT_FILE = /\.(?:ndjson|jsonl|json)(?:\.gz)?$/i;

/** `--events a b c` takes every following argument up to the next option. */
export function splitEvents(args: string[]): { rest: string[]; events: string[] } {
  const rest: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--events') {
      while (i + 1 < args.length && (!args[i + 1]!.startsWith('-') || args[i + 1] === '-')) events.push(args[++i]!);
      continue;
    }
    rest.push(args[i]!);
  }
  return { rest, events };
}

function ruleSelection(values: Record<string, unknown>): RuleSelection {
  const min = values['min-severity'] as string | undefined;
  const minSeverity = min === undefined ? undefined : severityOf(min);
  if (minSeverity === null) throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(min)}`);
  const tags = values.tag as string[] | undefined;
  return { minSeverity, tags, excludeBuildingBlocks: values['no-building-blocks'] === true };
}

export async function runCommand(args: string[], io: Io): Promise<number> {
  const { rest, events: named } = splitEvents(args);
  const { values, positionals } = parseOptions(rest, RUN_OPTIONS);
  if (values.help) {
    io.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  for (const unsupported of ['timestamp-field', 'tiebreaker-field', 'category-field'] as const) {
    if (values[unsupported] !== undefined) throw new UsageError(`--${unsupported} does not apply to run: rules carry their own fields`);
  }
  const misplaced = positionals.find((p) => EVENT_FILE.test(p));
  if (misplaced !== undefined) {
    throw new UsageError(`${misplaced} looks like an event file, named where rules go: name events with --events (eqlkit run [RULES…] --events ${misplaced})`);
  }
  const size = parseSize(values.size as string | undefined);
  const quiet = values.quiet === true;
  const schema = readSchema(values.mapping as string | undefined);
  const reorderWindow = parseDurationOption('reorder-window', values['reorder-window'] as string | undefined);
  const files = expandEventInputs(named, 'name rules before --events (eqlkit run RULES… --events EVENTS…)');
  const selection = ruleSelection(values);
  // Only exclusions ("!**/_deprecated/**") narrow the default rules.
  const patterns = positionals.some((p) => !p.startsWith('!')) ? positionals : [bundledRulesDir(), ...positionals];
  const loading = loadingLine(io.stderr, { quiet });
  const { rules: loaded, errors } = loadRules(patterns, { schema, onProgress: loading.update });
  loading.end();
  for (const e of errors) io.stderr.write(`warning: rule not loaded: ${e.message}\n`);
  const rules = selectRules(loaded, selection);
  const set = new RuleSet(rules);
  if (!quiet) {
    for (const r of set.skipped) io.stderr.write(`note: ${r.file ?? r.name}: skipped, ${r.notExecutableReason}\n`);
    if (rules.length < loaded.length) io.stderr.write(`note: ${plural(loaded.length - rules.length, 'rule')} left out by --min-severity, --tag or --no-building-blocks\n`);
  }
  if (set.rules.length === 0) {
    io.stderr.write(`error: no EQL rule to run${loaded.length > rules.length ? ` (the selection left out all ${plural(loaded.length, 'rule')} loaded)` : ''}\n`);
    return 2;
  }

  const session = openSession(io, values, 'alert', () => set.linePrefilter());
  const { feeder, output } = session;
  const matcher = set.matcher({
    reorderWindow,
    onError: (e) => feeder.onEngineError(e),
    onLate: (e: EqlEventError) => feeder.onEngineError(e),
  });
  const limit = size ?? Infinity;
  const summary = new AlertSummary();
  const emit = async (alerts: Alert[]): Promise<boolean> => {
    for (const a of alerts) {
      if (feeder.counts.matches >= limit) return false;
      feeder.counts.matches++;
      summary.add(a);
      await output.item(a);
    }
    return !output.closed && feeder.counts.matches < limit;
  };
  if (!quiet) io.stderr.write(`running ${plural(set.rules.length, 'rule')}\n`);
  return finish(
    io,
    session,
    summary,
    values['fail-on-match'] === true,
    async () => {
      await feeder.run(files, set.orderSource(), (event) => emit(matcher.push(event as Event)));
      await emit(matcher.flush());
    },
    () => matcher.stats(),
  );
}
