/** `eqlkit explain <rule file | '<eql>'> --events <events…> [--event N | --key VALUE]` */
import { readFileSync } from 'node:fs';
import type { Event } from '../../semantics/fields.js';
import { RuleLoadError } from '../../errors.js';
import { loadRule } from '../../rules/load.js';
import type { Rule } from '../../rules/rule.js';
import { explain } from '../../explain/explain.js';
import { renderExplanation } from '../../explain/render.js';
import type { ExplainOptions, Explanation } from '../../explain/types.js';
import { EXPLAIN_HELP } from '../help.js';
import { type Io, parseOptions, readSchema, reportQueryError } from '../common.js';
import { UsageError } from '../output.js';
import { expandEventInputs } from '../event-files.js';
import { recordBatchesOf, type InputProgress } from '../input.js';
import { UnreadableInputError } from '../feed.js';
import { splitEvents } from './run.js';

const EXPLAIN_OPTIONS = {
  file: { type: 'string', short: 'f' },
  event: { type: 'string' },
  key: { type: 'string' },
  candidates: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string', short: 'F' },
  mapping: { type: 'string' },
  'timestamp-field': { type: 'string' },
  'tiebreaker-field': { type: 'string' },
  'category-field': { type: 'string' },
  'max-errors': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS = ['text', 'json'];
const DEFAULT_LIMIT = 20;
const DEFAULT_MAX_ERRORS = 20;

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** Where an event was read: its file and line. */
interface Place {
  readonly file: string;
  readonly line: number;
}

/** Every event of the inputs, in the order read, with where each was read; bad lines are reported and left out. */
async function readEvents(files: readonly string[], io: Io, maxErrors: number): Promise<{ events: Event[]; places: Place[] }> {
  const events: Event[] = [];
  const places: Place[] = [];
  const progress: InputProgress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
  let bad = 0;
  for (const name of files) {
    for await (const batch of recordBatchesOf(name, progress, { stdin: io.stdin }, (cause) => new UnreadableInputError(name === '-' ? '<stdin>' : name, cause))) {
      for (const record of batch) {
        if (!record.ok) {
          if (bad++ < maxErrors) io.stderr.write(`${record.file}:${record.line}: ${record.reason}\n`);
          continue;
        }
        events.push(record.event as Event);
        places.push({ file: record.file, line: record.line });
      }
    }
  }
  if (bad > maxErrors) io.stderr.write(`… and ${bad - maxErrors} more bad lines\n`);
  return { events, places };
}

/** `--event N` (a line of the only file) or `--event FILE:LINE`: the 0-based position of that event. */
function eventIndex(value: string, files: readonly string[], places: readonly Place[]): number {
  const m = /^(?:(.*):)?(\d+)$/.exec(value);
  if (!m) throw new UsageError(`--event must be a line number, or FILE:LINE, not ${JSON.stringify(value)}`);
  const line = Number(m[2]);
  let file = m[1];
  if (file === undefined) {
    if (files.length !== 1) throw new UsageError(`--event ${value}: with several event files, name the file as FILE:LINE`);
    file = files[0] === '-' ? '<stdin>' : files[0]!;
  }
  const index = places.findIndex((p) => p.file === file && p.line === line);
  if (index < 0) throw new UsageError(`--event ${value}: no event on line ${line} of ${file}`);
  return index;
}

/** `--key host-1` is that value; `--key '["host-1", 42]'` the values of a key of several fields. */
function keyOf(value: string): unknown {
  if (value.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON: the text itself.
    }
  }
  return value;
}

export async function explainCommand(args: string[], io: Io): Promise<number> {
  const { rest, events: named } = splitEvents(args);
  const { values, positionals } = parseOptions(rest, EXPLAIN_OPTIONS);
  if (values.help) {
    io.stdout.write(`${EXPLAIN_HELP}\n`);
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
  if (values.event !== undefined && values.key !== undefined) throw new UsageError('--event names an event of an event query, --key a key of a sequence or sample: give one');
  const queryFile = values.file as string | undefined;
  const [target, ...extra] = positionals;
  if (queryFile === undefined && target === undefined)
    throw new UsageError("explain needs a rule file or a query (eqlkit explain RULE.toml --events EVENTS, or eqlkit explain '<eql>' --events EVENTS)");
  if ((queryFile !== undefined ? positionals : extra).length > 0) {
    throw new UsageError(`unexpected ${JSON.stringify((queryFile !== undefined ? positionals : extra)[0])}: name events with --events`);
  }
  const schema = readSchema(values.mapping as string | undefined);
  const limit = count('limit', values.limit as string | undefined, DEFAULT_LIMIT);
  const candidates = count('candidates', values.candidates as string | undefined, 3);
  const maxErrors = count('max-errors', values['max-errors'] as string | undefined, DEFAULT_MAX_ERRORS);

  let subject: Rule | string;
  if (queryFile !== undefined) {
    try {
      subject = readFileSync(queryFile, 'utf8');
    } catch (e) {
      throw new UsageError(`-f: cannot read the query file ${queryFile}: ${(e as Error).message}`);
    }
  } else if (/\.toml$/i.test(target!.trim())) {
    for (const field of ['timestamp-field', 'tiebreaker-field', 'category-field'] as const) {
      if (values[field] !== undefined) throw new UsageError(`--${field} does not apply to a rule: rules carry their own fields`);
    }
    try {
      subject = loadRule(target!, { schema });
    } catch (e) {
      if (e instanceof RuleLoadError) {
        io.stderr.write(`error: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  } else {
    subject = target!;
  }

  const files = expandEventInputs(named, 'explain RULE.toml --events EVENTS…');
  let read: { events: Event[]; places: Place[] };
  try {
    read = await readEvents(files, io, maxErrors);
  } catch (e) {
    if (e instanceof UnreadableInputError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const options: ExplainOptions = {
    schema,
    timestampField: values['timestamp-field'] as string | undefined,
    tiebreakerField: values['tiebreaker-field'] as string | undefined,
    eventCategoryField: values['category-field'] as string | undefined,
    limit,
    candidates,
    // A rule is explained as `eqlkit run` runs it: as a stream, with its look-back.
    stream: typeof subject !== 'string',
    event: values.event !== undefined ? eventIndex(values.event as string, files, read.places) : undefined,
    key: values.key !== undefined ? keyOf(values.key as string) : undefined,
  };
  let explanation: Explanation;
  try {
    explanation = explain(subject, read.events, options);
  } catch (e) {
    if (reportQueryError(e, io)) return 2;
    if (e instanceof RuleLoadError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code === 'EQL_INVALID_ARGUMENT') throw new UsageError(e.message.replace(/^explain\(\): options\./, '--'));
    throw e;
  }
  // Events are named by line, with the file when there are several.
  const describe = (index: number): string => {
    const p = read.places[index];
    if (!p) return `event #${index}`;
    return files.length === 1 ? `line ${p.line}` : `${p.file}:${p.line}`;
  };
  io.stdout.write(format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation, { describe }));
  return 0;
}
