/**
 * The structural rules that Elasticsearch's parser enforces once a query has
 * parsed: sequence and sample shapes, maxspan units, runs limits, join-key
 * counts, and pipes (names and arguments, from the pipe registry). They are
 * checked on the AST, so each error points at the node at fault.
 */
import type * as A from './ast.js';
import { fieldName } from './ast.js';
import { EqlSyntaxError } from '../errors.js';
import { checkPipe } from '../language/pipes/index.js';

export const MAXSPAN_UNITS = ['ms', 's', 'm', 'h', 'd'] as const;
export const MAX_RUNS = 100;
export const MAX_SEQUENCE_QUERIES = 256;
export const MAX_SAMPLE_QUERIES = 5;

export function checkStructure(query: A.Query, source: string): void {
  const fail = (reason: string, at: A.Location): never => {
    throw new EqlSyntaxError(reason, source, at.start, { length: Math.max(1, at.end.offset - at.start.offset) });
  };

  const checkKeyCounts = (stages: readonly { by: readonly A.Field[]; location: A.Location }[]): void => {
    const expected = stages[0]?.by.length ?? 0;
    for (const s of stages) {
      if (s.by.length !== expected) {
        fail(`every stage needs the same number of 'by' keys: the first has ${expected}, this one ${s.by.length}`, s.by[0]?.location ?? s.location);
      }
    }
  };

  switch (query.type) {
    case 'SequenceQuery': {
      if (query.maxspan) checkMaxspan(query.maxspan, fail);
      const withUntil = query.until ? [...query.stages, query.until] : query.stages;
      checkKeyCounts(withUntil);
      let total = query.until ? 1 : 0;
      for (const s of query.stages) {
        if (s.runs !== null && (s.runs < 1 || s.runs > MAX_RUNS)) fail(`runs must be between 1 and ${MAX_RUNS}; found ${s.runs}`, s.location);
        total += s.runs ?? 1;
        if (total > MAX_SEQUENCE_QUERIES) fail(`a sequence cannot have more than ${MAX_SEQUENCE_QUERIES} stages (counting runs); found ${total}`, s.location);
      }
      if (total < 2) fail('a sequence needs at least 2 stages; to repeat one stage, write [ … ] with runs=N', query.location);
      const missing = query.stages.filter((s) => s.missing);
      if (missing.length > 0 && !query.maxspan) fail("a sequence with missing-event stages '![ … ]' needs 'with maxspan'", missing[0]!.location);
      if (missing.length === query.stages.length) fail("a sequence needs at least one stage that is not a missing event '![ … ]'", query.location);
      break;
    }
    case 'SampleQuery': {
      checkKeyCounts(query.stages);
      query.stages.forEach((s, i) => {
        if (i >= MAX_SAMPLE_QUERIES) fail(`a sample cannot have more than ${MAX_SAMPLE_QUERIES} stages`, s.location);
        const keys = [...query.by, ...s.by].map(fieldName);
        const dup = keys.find((k, j) => keys.indexOf(k) !== j);
        if (dup !== undefined) fail(`each 'by' key may appear only once per stage; '${dup}' appears twice`, s.by[0]?.location ?? s.location);
      });
      if (query.stages.length < 2) fail('a sample needs at least 2 stages', query.location);
      const keyless = query.stages.find((s) => query.by.length + s.by.length === 0);
      if (keyless) fail("a sample needs at least one 'by' key", keyless.location);
      break;
    }
    case 'JoinQuery':
      checkKeyCounts(query.until ? [...query.stages, query.until] : query.stages);
      if (query.stages.length < 2) fail('a join needs at least 2 stages', query.location);
      break;
    case 'EventQuery':
      break;
  }

  // Pipe names and arguments: the pipe registry (language/pipes).
  for (const pipe of query.pipes) checkPipe(pipe, fail);
}

function checkMaxspan(span: A.TimeSpan, fail: (reason: string, at: A.Location) => never): void {
  if (!/^\d+$/.test(span.text)) fail(`maxspan must be a whole number; ${span.text} is not`, span.location);
  if (span.value <= 0) fail(`maxspan must be positive; found ${span.text}`, span.location);
  if (span.unit === null) fail(`maxspan needs a time unit, such as ${span.text}s (one of ${MAXSPAN_UNITS.join(', ')})`, span.location);
  if (!(MAXSPAN_UNITS as readonly string[]).includes(span.unit)) {
    fail(`unknown time unit '${span.unit}' in maxspan; use one of ${MAXSPAN_UNITS.join(', ')}`, span.location);
  }
}
