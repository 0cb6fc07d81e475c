/** `eqlkit query '<eql>' [files…]` */
import { compile, type CompiledQuery } from '../../engine/compiled-query.js';
import { applyPipes } from '../../engine/pipes.js';
import type { Match } from '../../engine/match.js';
import type { Event } from '../../compile/fields.js';
import { EqlEventError } from '../../errors.js';
import { QUERY_HELP } from '../help.js';
import { EVENT_OPTIONS, type Io, parseDurationOption, parseOptions, parseSize, readSchema, reportQueryError } from '../common.js';
import { Output, parseFormat, UsageError } from '../output.js';
import { feederFor } from '../feed.js';
import { Progress } from '../progress.js';
import { finish } from './finish.js';

function matchRow(item: unknown): string {
  const m = item as { kind: string; join_keys: unknown[]; events: (Event | null)[] };
  const ts = (e: Event | null) => (e ? String(e['@timestamp'] ?? '') : '(missing)');
  const keys = m.join_keys.length > 0 ? `  by ${m.join_keys.map(String).join(', ')}` : '';
  return `${m.kind.padEnd(8)} ${m.events.map(ts).join(' → ')}${keys}`;
}

export async function queryCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, EVENT_OPTIONS);
  if (values.help) {
    io.stdout.write(`${QUERY_HELP}\n`);
    return 0;
  }
  const [text, ...files] = positionals;
  if (text === undefined) throw new UsageError('query needs the EQL query as its first argument');
  const size = parseSize(values.size as string | undefined);
  const schema = readSchema(values.mapping as string | undefined);
  let q: CompiledQuery;
  try {
    q = compile(text, {
      schema,
      timestampField: values['timestamp-field'] as string | undefined,
      tiebreakerField: values['tiebreaker-field'] as string | undefined,
      eventCategoryField: values['category-field'] as string | undefined,
    });
  } catch (e) {
    if (reportQueryError(e, io)) return 2;
    throw e;
  }

  const output = new Output(io.stdout, parseFormat(values.format as string | undefined, io.stdout), matchRow);
  const quiet = values.quiet === true;
  const feeder = feederFor(values, io.stderr, () => q.linePrefilter());
  const matcher = q.matcher({
    reorderWindow: parseDurationOption('reorder-window', values['reorder-window'] as string | undefined),
    onError: (e) => feeder.onEngineError(e),
    onLate: (e: EqlEventError) => feeder.onEngineError(e),
  });
  // Only head pipes can stream; a tail (or a size, which keeps the last results) needs the end.
  const pipes = q.plan.pipes;
  const buffered = size !== undefined || pipes.some((p) => p.name === 'tail');
  const headLimit = Math.min(...pipes.map((p) => p.count));
  const held: Match[] = [];
  let emitted = 0;
  // Printed with the alert format's key spelling.
  const printable = (m: Match) => ({ kind: m.kind, join_keys: m.joinKeys, events: m.events });
  const emit = async (ms: Match[]): Promise<boolean> => {
    for (const m of ms) {
      feeder.counts.matches++;
      if (buffered) held.push(m);
      else if (emitted < headLimit) {
        emitted++;
        await output.item(printable(m));
      }
    }
    return buffered || emitted < headLimit;
  };

  const progress = new Progress(feeder.progress, feeder.counts, io.stderr.isTTY === true && !quiet, 'matches');
  progress.start();
  return finish(io, feeder, progress, output, quiet, values['fail-on-match'] === true, 'matches', async () => {
    await feeder.run(files, (event) => emit(matcher.push(event as Event)));
    await emit(matcher.flush());
    if (buffered) for (const m of applyPipes(held, pipes, size ?? Infinity, 'tail')) await output.item(printable(m));
    await output.end();
  });
}
