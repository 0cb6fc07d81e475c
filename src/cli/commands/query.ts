/** `eqlkit query '<eql>' [events…]` */
import { readFileSync, statSync } from 'node:fs';
import { compile, type CompiledQuery } from '../../engine/compiled-query.js';
import { applyPipes } from '../../engine/pipes.js';
import { orderSourceOf } from '../../engine/stream.js';
import type { Match } from '../../engine/match.js';
import type { Event } from '../../compile/fields.js';
import { EqlEventError } from '../../errors.js';
import { QUERY_HELP } from '../help.js';
import { EVENT_OPTIONS, type Io, parseDurationOption, parseOptions, parseSize, readSchema, reportQueryError } from '../common.js';
import { UsageError } from '../output.js';
import { expandEventInputs } from '../event-files.js';
import { MatchSummary, type Summary } from '../summary.js';
import { finish, openSession } from './finish.js';

const QUERY_OPTIONS = {
  ...EVENT_OPTIONS,
  file: { type: 'string', short: 'f' },
} as const;

/** Looks like a file name rather than EQL: one word ending in an extension. */
const FILE_NAME = /^[^\s"'()=:<>!]+\.(?:ndjson|jsonl|json|gz|eql|txt|toml|log)$/i;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The query text: the first argument, or the file of -f. */
function queryText(file: string | undefined, positionals: string[]): { text: string; files: string[] } {
  if (file !== undefined) {
    try {
      return { text: readFileSync(file, 'utf8'), files: positionals };
    } catch (e) {
      throw new UsageError(`-f: cannot read the query file ${file}: ${(e as Error).message}`);
    }
  }
  const [text, ...files] = positionals;
  if (text === undefined) throw new UsageError("query needs the EQL query as its first argument (eqlkit query '<eql>' [events…]), or -f FILE to read it from a file");
  if (FILE_NAME.test(text.trim()) || isFile(text)) {
    throw new UsageError(`the first argument is the query itself, and ${JSON.stringify(text)} looks like a file name: write the query first (eqlkit query '<eql>' ${text}), or read it from a file with -f ${text}`);
  }
  return { text, files };
}

export async function queryCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, QUERY_OPTIONS);
  if (values.help) {
    io.stdout.write(`${QUERY_HELP}\n`);
    return 0;
  }
  const { text, files: named } = queryText(values.file as string | undefined, positionals);
  const size = parseSize(values.size as string | undefined);
  const schema = readSchema(values.mapping as string | undefined);
  const reorderWindow = parseDurationOption('reorder-window', values['reorder-window'] as string | undefined);
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
  const files = expandEventInputs(named, 'run rules with eqlkit run RULES… --events EVENTS…');

  const session = openSession(io, values, 'match', () => q.linePrefilter(), { timestampField: q.plan.options.timestampField });
  const { feeder, output } = session;
  const matcher = q.matcher({
    reorderWindow,
    onError: (e) => feeder.onEngineError(e),
    onLate: (e: EqlEventError) => feeder.onEngineError(e),
  });
  // Only head pipes can stream; a tail (or a size, which keeps the last results) needs the end.
  const pipes = q.plan.pipes;
  const buffered = size !== undefined || pipes.some((p) => p.name === 'tail');
  const headLimit = Math.min(...pipes.map((p) => p.count));
  const held: Match[] = [];
  const summary: Summary = new MatchSummary();
  let emitted = 0;
  // Printed with the alert format's key spelling.
  const printable = (m: Match) => ({ kind: m.kind, join_keys: m.joinKeys, events: m.events });
  const emit = async (ms: Match[]): Promise<boolean> => {
    for (const m of ms) {
      feeder.counts.matches++;
      summary.add(m);
      if (buffered) held.push(m);
      else if (emitted < headLimit) {
        emitted++;
        await output.item(printable(m));
      }
    }
    return !output.closed && (buffered || emitted < headLimit);
  };

  return finish(io, session, summary, values['fail-on-match'] === true, async () => {
    await feeder.run(files, orderSourceOf(q.plan), (event) => emit(matcher.push(event as Event)));
    await emit(matcher.flush());
    if (buffered) for (const m of applyPipes(held, pipes, size ?? Infinity, 'tail')) await output.item(printable(m));
  });
}
