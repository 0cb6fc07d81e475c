/**
 * Fuzzing what eqlkit reads: event input (NDJSON and JSON arrays, gzip or
 * not, cut into chunks anywhere, records of every size and depth around the
 * limits, broken ones among them) and rule files (TOML, mutated). Nothing
 * throws; every record read is evaluated, skipped by the prefilter, or
 * reported, each in its place; rule files either load or give a
 * RuleLoadError.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules, parseRule, RuleLoadError } from '../../src/index.js';
import { type InputRecord, readRecordBatches } from '../../src/cli/input.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'eqlkit-input-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAX_LINE = 300;
const MAX_DEPTH = 8;

/** One record as written: its text, and the value it holds when it is JSON. */
interface Written {
  readonly text: string;
  readonly value: { readonly json: true; readonly value: unknown; readonly depth: number } | { readonly json: false };
}

/** Text that makes strings hard to cut: escapes, quotes, brackets, and characters of 2, 3 and 4 UTF-8 bytes. */
const tricky = fc.array(fc.constantFrom('a', 'é', '€', '😀', '"', '\\', '\n', '\t', '{', '}', '[', ']', ',', ' ', '\u2028', '\u0000'), { maxLength: 40 }).map((p) => p.join(''));

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { n: v } : [v];
  return v;
};

const written = (value: unknown, depth: number): Written => ({ text: JSON.stringify(value), value: { json: true, value, depth } });

/** Records that any layout can hold: each keeps the brackets and quotes of an array in balance. */
const record: fc.Arbitrary<Written> = fc.oneof(
  // An event, sometimes long enough to pass the limit.
  fc
    .record({ ts: fc.nat(), s: tricky, pad: fc.oneof(fc.constant(0), fc.integer({ min: 200, max: 400 })) })
    .map(({ ts, s, pad }) => written({ '@timestamp': ts, event: { category: 'process' }, s, pad: 'p'.repeat(pad) }, 2)),
  // Nested around the depth limit: the event itself is the first level.
  fc.integer({ min: 0, max: 12 }).map((depth) => written({ '@timestamp': 1, deep: nested(depth) }, depth + 1)),
  // Not JSON, or JSON that is no object: the reader passes the latter on (the engine refuses it).
  fc.constantFrom('nope', 'tru', '42', '"text"', 'null', '{"a": 1, }', '{"a" 1}').map((text): Written => {
    try {
      return { text, value: { json: true, value: JSON.parse(text), depth: text.startsWith('{') ? 1 : 0 } };
    } catch {
      return { text, value: { json: false } };
    }
  }),
);

/** What reading a record must give, from the length of its line (or element) as read. */
function expected(r: Written, length: number): { ok: true; event: unknown } | { ok: false; reason: RegExp } {
  if (length > MAX_LINE) return { ok: false, reason: /is longer than 300 characters \(--max-line-size\): not read$/ };
  if (!r.value.json) return { ok: false, reason: /not valid JSON/ };
  if (r.value.depth > MAX_DEPTH) return { ok: false, reason: /objects and arrays nested more than 8 levels deep: not evaluated$/ };
  return { ok: true, event: r.value.value };
}

/** Bytes cut into chunks at the given fractions of their length. */
function chunksOf(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const to of at) {
    if (to > from) out.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  out.push(bytes.subarray(from));
  return out;
}

async function readAll(chunks: Buffer[]): Promise<{ records: InputRecord[]; prefiltered: number }> {
  const progress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
  const records: InputRecord[] = [];
  for await (const batch of readRecordBatches('-', progress, { stdin: Readable.from(chunks), maxLineSize: MAX_LINE, maxDepth: MAX_DEPTH })) records.push(...batch);
  return { records, prefiltered: progress.linesPrefiltered };
}

const layout = fc.record({
  records: fc.array(record, { maxLength: 12 }),
  array: fc.boolean(),
  gzip: fc.boolean(),
  crlf: fc.boolean(),
  blankLines: fc.array(fc.boolean(), { maxLength: 12 }),
  finalNewline: fc.boolean(),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
});

describe('the event reader, fuzzed', () => {
  it('gives each record in order, in its place: the event, or the reason it was not read', async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ({ records, array, gzip, crlf, blankLines, finalNewline, cuts }) => {
        let text: string;
        /** Where each record is: its line, and its element number in an array. */
        const places: Array<{ line: number; element: number }> = [];
        if (array) {
          // Whitespace goes before elements only, so that an element's text is its record's.
          text = '[';
          records.forEach((r, i) => {
            const gap = blankLines[i] ? (crlf ? '\r\n ' : '\n ') : '';
            text += `${i > 0 ? ',' : ''}${gap}`;
            places.push({ line: text.split('\n').length, element: i + 1 });
            text += r.text;
          });
          text += finalNewline ? ']\n' : ']';
        } else {
          const eol = crlf ? '\r\n' : '\n';
          const lines: string[] = [];
          records.forEach((r, i) => {
            if (blankLines[i]) lines.push('');
            places.push({ line: lines.length + 1, element: 0 });
            lines.push(r.text);
          });
          text = lines.join(eol) + (finalNewline && lines.length > 0 ? eol : '');
        }
        const bytes = gzip ? gzipSync(text) : Buffer.from(text);
        const { records: read } = await readAll(chunksOf(bytes, cuts));
        // An NDJSON line that starts with `[` would be read as an array: the layouts here never start with one.
        expect(read).toHaveLength(records.length);
        read.forEach((got, i) => {
          // A CRLF line's carriage return is part of it as read; the last line may have no line end.
          const lastWithoutEnd = i === records.length - 1 && !finalNewline;
          const want = expected(records[i]!, records[i]!.text.length + (!array && crlf && !lastWithoutEnd ? 1 : 0));
          expect(got.file).toBe('<stdin>');
          expect(got.line).toBe(places[i]!.line);
          if (want.ok) {
            expect(got).toMatchObject({ ok: true });
            expect((got as { event: unknown }).event).toEqual(want.event);
          } else {
            expect(got.ok).toBe(false);
            const reason = (got as { reason: string }).reason;
            expect(reason).toMatch(want.reason);
            if (array) expect(reason).toMatch(new RegExp(`^array element ${places[i]!.element}[ :]`));
          }
        });
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes, and places every record it gives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), async (raw, gzip, cuts) => {
        const bytes = gzip ? gzipSync(raw) : Buffer.from(raw);
        let records: InputRecord[];
        try {
          ({ records } = await readAll(chunksOf(bytes, cuts)));
        } catch (e) {
          // Bytes that start as gzip does and are not: the input is unreadable, which the command line reports (exit 2).
          expect(bytes[0] === 0x1f && bytes[1] === 0x8b, String(e)).toBe(true);
          return;
        }
        for (const r of records) {
          expect(r.file).toBe('<stdin>');
          expect(r.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { seed: 2026, numRuns: 300 },
    );
  });
});

describe('eqlkit query over fuzzed files', () => {
  const event = fc
    .record({ ts: fc.nat(1000), category: fc.constantFrom('process', 'network'), s: tricky })
    .map(({ ts, category, s }) => JSON.stringify({ '@timestamp': ts, event: { category }, process: { name: s } }));
  const bad = fc.constantFrom('nope', '42', '{"event": {"category": "process"}}', '{"@timestamp": "yesterday", "event": {"category": "process"}}');
  const file = fc.record({
    lines: fc.array(fc.oneof({ weight: 4, arbitrary: event }, { weight: 1, arbitrary: bad }), { maxLength: 30 }),
    array: fc.boolean(),
    gzip: fc.boolean(),
    prefilter: fc.boolean(),
  });

  it('read = evaluated + skipped by the prefilter + reported, read is every record, and the exit code says when some were not evaluated', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(file, async ({ lines, array, gzip, prefilter }) => {
        const text = array ? `[${lines.join(',\n')}]` : lines.join('\n');
        const path = join(dir, `events-${n++}.${array ? 'json' : 'ndjson'}${gzip ? '.gz' : ''}`);
        writeFileSync(path, gzip ? gzipSync(text) : text);
        const r = await runCli(['query', 'process where process.name : "*€*"', path, ...(prefilter ? ['--prefilter'] : [])]);
        const m = /(\d+) read, (\d+) evaluated(?:, (\d+) skipped by the prefilter)?, (\d+) reported; (\d+) match/.exec(r.stderr);
        expect(m, r.stderr).not.toBeNull();
        const [read, evaluated, skipped, reported] = [m![1], m![2], m![3] ?? '0', m![4]].map(Number) as [number, number, number, number];
        expect(read).toBe(lines.length);
        expect(read).toBe(evaluated + skipped + reported);
        expect(r.code).toBe(reported > 0 ? 5 : 0);
      }),
      { seed: 2026, numRuns: 60 },
    );
  });
});

const RULE = `[metadata]
creation_date = "2020/01/01"

[rule]
author = ["Elastic"]
description = """
Detects "cmd" \\ with 'quotes'.
"""
rule_id = "fuzz"
name = "Fuzz"
type = "eql"
language = "eql"
risk_score = 21
severity = "low"
tags = ["a", "b"]
query = '''
sequence by host.id with maxspan=5s
  [process where process.name : "cmd.exe"]
  [network where true]
'''

[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"
`;

/** Edits of a rule file: a slice removed, text put in, a line repeated, the rest cut off. */
const edit = fc.oneof(
  fc.record({ at: fc.nat(RULE.length), length: fc.nat(20) }).map(
    ({ at, length }) =>
      (text: string) =>
        text.slice(0, at) + text.slice(at + length),
  ),
  fc
    .record({
      at: fc.nat(RULE.length),
      piece: fc.constantFrom('"', "'", "'''", '"""', '[', ']', '[[', '=', '\n', '\r\n', '\\', '\\u', '#', ',', '{', '}', 'x = 1', '\u0000', '\uFEFF', '\uD800', 'é', '😀'),
    })
    .map(
      ({ at, piece }) =>
        (text: string) =>
          text.slice(0, at) + piece + text.slice(at),
    ),
  fc.nat(40).map((line) => (text: string) => {
    const lines = text.split('\n');
    lines.splice(line % lines.length, 0, lines[line % lines.length]!);
    return lines.join('\n');
  }),
  fc.nat(RULE.length).map((at) => (text: string) => text.slice(0, at)),
);

describe('rule files, fuzzed', () => {
  it('parse into a rule or give a RuleLoadError, with a position inside the text when there is one', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = edits.reduce((t, e) => e(t), RULE);
        try {
          parseRule(text);
        } catch (e) {
          expect(e).toBeInstanceOf(RuleLoadError);
          const { line } = e as RuleLoadError;
          if (line !== null) expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length + 1);
        }
      }),
      { seed: 2026, numRuns: 1_000 },
    );
  });

  it('load from files of any bytes, one error for each file that does not load', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.array(edit, { maxLength: 4 }).map((edits) => Buffer.from(edits.reduce((t, e) => e(t), RULE))),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (files) => {
          const folder = mkdtempSync(join(dir, 'rules-'));
          for (const [i, bytes] of files.entries()) writeFileSync(join(folder, `r${i}.toml`), bytes);
          const { rules, errors } = loadRules(folder);
          expect(rules.length + errors.length).toBe(files.length);
          for (const e of errors) {
            expect(e).toBeInstanceOf(RuleLoadError);
            expect(e.file).toMatch(/r\d\.toml$/);
          }
          rmSync(folder, { recursive: true, force: true });
        },
      ),
      { seed: 2026, numRuns: 100 },
    );
  });
});
