import { readFileSync } from 'node:fs';
import TOML from '@iarna/toml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToml, TomlSyntaxError } from '../../src/rules/toml.js';
import { listFiles, sharedPath } from '../helpers/shared.js';

/** What @iarna/toml's own parse gives: the value, or the error's reason and 0-based position. */
function reference(text: string): unknown {
  try {
    return { value: TOML.parse(text) };
  } catch (e) {
    const err = e as { message: string; line: number; col: number; fromTOML?: boolean };
    if (!err.fromTOML) throw e;
    return { error: err.message.split('\n')[0]!.replace(/ at row \d+, col \d+, pos \d+:?$/, ''), line: err.line + 1, col: err.col + 1 };
  }
}

function ours(text: string): unknown {
  try {
    return { value: parseToml(text) };
  } catch (e) {
    if (!(e instanceof TomlSyntaxError)) throw e;
    return { error: e.message, line: e.line, col: e.column };
  }
}

/** Columns are capped at the line's end plus one by parseToml; the reference is capped the same way. */
function capped(text: string, r: unknown): unknown {
  const x = r as { error?: string; line: number; col: number };
  if (x.error === undefined) return r;
  const lineLength = (text.split(/\r?\n/)[x.line - 1] ?? '').length;
  return { ...x, col: Math.min(x.col, lineLength + 1) };
}

describe('parseToml', () => {
  it('reads strings of every kind as @iarna/toml does', () => {
    const text = [
      'a = "plain \\"quoted\\" \\\\ \\t tab\\u00e9 \\U0001F600 end"',
      "b = 'literal \\no escapes'",
      'c = """',
      'first line',
      '  "one" ""two"" \\',
      '    trimmed',
      'astral 😀 and é"""',
      "d = '''",
      "raw ''quotes'' \\n kept",
      "'''",
      'e = ["x", \'y\', """z"""]',
      '[t]',
      'f = """ends with quotes"""""',
      "g = '''ends with apostrophes'''''",
      'h = ""',
      "i = ''",
    ].join('\n');
    expect(parseToml(text)).toEqual(TOML.parse(text));
    expect(parseToml(text).c).toBe('first line\n  "one" ""two"" trimmed\nastral 😀 and é');
  });

  it('keeps CRLF line ends inside multi-line strings and counts lines through them', () => {
    const text = 'a = """\r\none\r\ntwo"""\r\nb = \'\'\'\r\nx\r\ny\'\'\'\r\nc = "bad\x01"';
    expect(ours(text)).toEqual(capped(text, reference(text)));
    expect(ours(text)).toMatchObject({ line: 7 });
  });

  it('reports errors inside strings at the position @iarna/toml reports', () => {
    const cases = [
      'a = "unterminated',
      'a = "line\nbreak"',
      "a = 'line\nbreak'",
      'a = """never closed',
      "a = '''never closed\n\n",
      'x = 1\na = """ok\nstill ok\x7f"""',
      "a = '''tab\tok but\x00not'''",
      'a = "bad \\q escape"',
      'a = """\n\n   \\x"""',
      'a = "text" junk',
    ];
    for (const text of cases) expect(ours(text), JSON.stringify(text)).toEqual(capped(text, reference(text)));
  });

  it('agrees with @iarna/toml on generated documents', () => {
    const piece = fc.constantFrom('a', 'é', '😀', ' ', '\t', '\n', '\r\n', '\r', '"', "'", '\\', '\\n', '\\"', '\\u0041', '\\\n  ', '\x01', '\x7f', '""', "''", '"""', "'''", 'x = 1');
    const body = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
    const value = fc.oneof(
      body.map((b) => `"${b}"`),
      body.map((b) => `'${b}'`),
      body.map((b) => `"""${b}"""`),
      body.map((b) => `'''${b}'''`),
      fc.tuple(body, body).map(([x, y]) => `["${x}", '''${y}''']`),
    );
    const doc = fc.array(value, { minLength: 1, maxLength: 4 }).map((vs) => vs.map((v, i) => `k${i} = ${v}`).join('\n'));
    fc.assert(
      fc.property(doc, (text) => {
        expect(ours(text)).toEqual(capped(text, reference(text)));
      }),
      { numRuns: 3000 },
    );
  });

  const corpus = sharedPath('the TOML corpus comparison', 'corpus');
  it.skipIf(!corpus)('reads every corpus file as @iarna/toml does', () => {
    const files = listFiles(corpus!, '.toml');
    expect(files.length).toBeGreaterThan(1000);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(ours(text), file).toEqual(capped(text, reference(text)));
    }
  });
});
