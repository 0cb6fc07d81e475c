/** `eqlkit synth <rule file or query>` */
import { readFileSync, statSync } from 'node:fs';
import { RuleLoadError } from '../../errors.js';
import { loadRule } from '../../rules/load.js';
import type { Rule } from '../../rules/rule.js';
import type { Event } from '../../semantics/fields.js';
import { type NearMiss, type Synthesis, SynthesisError, synthesize } from '../../synth/index.js';
import { SYNTH_HELP } from '../help.js';
import { type Io, parseOptions, readSchema, reportQueryError } from '../common.js';
import { UsageError } from '../output.js';

const SYNTH_OPTIONS = {
  'near-miss': { type: 'boolean' },
  seed: { type: 'string' },
  count: { type: 'string' },
  base: { type: 'string' },
  start: { type: 'string' },
  format: { type: 'string', short: 'F' },
  'timestamp-field': { type: 'string' },
  'tiebreaker-field': { type: 'string' },
  'category-field': { type: 'string' },
  mapping: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The most witnesses one run may ask for: each is a search of its own. */
const MAX_COUNT = 1000;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** The base event of --base: a JSON object in a file. */
function readBase(file: string | undefined): Event | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--base: cannot read ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new UsageError(`--base: ${file} is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--base: ${file} must hold one JSON object (an event)`);
  return value as Event;
}

/** What to synthesize from: a rule file (`.toml`), a file holding a query, or the query itself. */
function targetOf(argument: string): { rule: Rule } | { query: string } {
  if (/\.toml$/i.test(argument)) return { rule: loadRule(argument) };
  if (isFile(argument)) return { query: readFileSync(argument, 'utf8') };
  return { query: argument };
}

/** What a near miss breaks and where (line and column in the query). */
function describeNearMiss(m: NearMiss, index: number): Record<string, unknown> {
  return {
    index,
    kind: m.kind,
    label: m.label,
    clause: m.clause,
    line: m.location?.start.line ?? null,
    column: m.location?.start.column ?? null,
    stage: m.stage,
    also_breaks: m.alsoBreaks,
  };
}

function write(io: Io, result: Synthesis, format: 'ndjson' | 'json', nearMiss: boolean): void {
  if (format === 'json') {
    const doc: Record<string, unknown> = { witnesses: result.witnesses };
    if (nearMiss) {
      doc.near_misses = result.nearMisses.map((m, i) => ({ ...describeNearMiss(m, i + 1), events: m.events }));
      doc.skipped_near_misses = result.skippedNearMisses;
    }
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  result.witnesses.forEach((events, i) => {
    // Labels only where sets must be told apart: with near misses.
    if (nearMiss) lines.push(JSON.stringify({ synth: 'witness', index: i + 1 }));
    for (const e of events) lines.push(JSON.stringify(e));
  });
  if (nearMiss) {
    result.nearMisses.forEach((m, i) => {
      lines.push(JSON.stringify({ synth: 'near-miss', ...describeNearMiss(m, i + 1) }));
      for (const e of m.events) lines.push(JSON.stringify(e));
    });
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}

export async function synthCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, SYNTH_OPTIONS);
  if (values.help) {
    io.stdout.write(`${SYNTH_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("synth takes one rule file or query (eqlkit synth rule.toml, or eqlkit synth '<eql>')");
  const format = (values.format as string | undefined) ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'json') throw new UsageError(`--format must be ndjson or json, not ${JSON.stringify(format)}`);
  const seed = wholeNumber('seed', values.seed as string | undefined, -(2 ** 31), 2 ** 31 - 1);
  const count = wholeNumber('count', values.count as string | undefined, 1, MAX_COUNT);
  const base = readBase(values.base as string | undefined);
  const start = values.start as string | undefined;
  if (start !== undefined && !Number.isFinite(Date.parse(start))) throw new UsageError(`--start must be an ISO-8601 time such as 2025-01-01T09:00:00Z, not ${JSON.stringify(start)}`);
  const nearMiss = values['near-miss'] === true;

  let target: { rule: Rule } | { query: string };
  try {
    target = targetOf(positionals[0]!);
  } catch (e) {
    if (e instanceof RuleLoadError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const fieldOptions = ['timestamp-field', 'tiebreaker-field', 'category-field', 'mapping'] as const;
  if ('rule' in target) {
    const misplaced = fieldOptions.find((o) => values[o] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} does not apply to a rule: rules carry their own fields`);
  }
  const compileOptions = {
    schema: readSchema(values.mapping as string | undefined),
    timestampField: values['timestamp-field'] as string | undefined,
    tiebreakerField: values['tiebreaker-field'] as string | undefined,
    eventCategoryField: values['category-field'] as string | undefined,
  };

  let result: Synthesis;
  try {
    result = synthesize('rule' in target ? target.rule : target.query, { seed, count, base, start, nearMiss, compile: compileOptions });
  } catch (e) {
    if (e instanceof SynthesisError) {
      io.stderr.write(`error: cannot synthesize events: ${e.message}\n`);
      return 1;
    }
    if (reportQueryError(e, io)) return 2;
    throw e;
  }
  write(io, result, format, nearMiss);
  if (count !== undefined && result.witnesses.length < count) {
    io.stderr.write(`note: ${result.witnesses.length} distinct witness${result.witnesses.length === 1 ? '' : 'es'} found, of ${count} asked for\n`);
  }
  for (const s of result.skippedNearMisses) io.stderr.write(`note: no near miss for "${s.label}": ${s.reason}\n`);
  return 0;
}
