/** `eqlkit query '<eql>' [events…]` */
import { readFileSync, statSync } from 'node:fs';
import { compile, type CompiledQuery, sizePosition } from '../../engine/compiled-query.js';
import { runPipeline, withRequestSize } from '../../language/pipes/index.js';
import { orderSourceOf } from '../../engine/stream.js';
import type { Match } from '../../engine/match.js';
import type { Event } from '../../semantics/fields.js';
import type { EqlEventError } from '../../errors.js';
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
    throw new UsageError(
      `the first argument is the query itself, and ${JSON.stringify(text)} looks like a file name: write the query first (eqlkit query '<eql>' ${text}), or read it from a file with -f ${text}`,
    );
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
  // The pipes and --size (the most recent matches, as Elasticsearch's default result position):
  // matches go out as they come up to the first pipe that needs the end (a tail), and reading
  // stops once no later match can go out (a head has had its count).
  const pipes = runPipeline<Match>(withRequestSize(q.plan.pipes, size ?? Infinity, sizePosition(q.plan)));
  const summary: Summary = new MatchSummary();
  // Printed with the alert format's key spelling.
  const printable = (m: Match) => ({ kind: m.kind, join_keys: m.joinKeys, events: m.events });
  const emit = async (ms: Match[]): Promise<boolean> => {
    for (const m of ms) {
      feeder.counts.matches++;
      summary.add(m);
      if (pipes.accept(m)) await output.item(printable(m));
    }
    return !output.closed && !pipes.done;
  };

  return finish(
    io,
    session,
    summary,
    values['fail-on-match'] === true,
    async () => {
      await feeder.run(files, orderSourceOf(q.plan), (event) => emit(matcher.push(event as Event)));
      await emit(matcher.flush());
      for (const m of pipes.end()) await output.item(printable(m));
    },
    () => matcher.stats(),
  );
}
