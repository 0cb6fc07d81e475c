/**
 * The parser is total: on any input it returns an AST or throws an
 * EqlSyntaxError whose position lies inside the text, nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EqlSyntaxError, format, parse } from '../../src/index.js';
import { eqlLexer } from '../../src/parser/tokens.js';
import { withoutLocations } from '../helpers/ast.js';
import { corpusRuleQueries } from '../helpers/corpus.js';
import { sharedPath } from '../helpers/shared.js';
import { queryArbitrary } from '../helpers/arbitrary-ast.js';

function checkTotal(text: string): void {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof EqlSyntaxError)) throw new Error(`${(e as Error).name} instead of EqlSyntaxError for ${JSON.stringify(text.slice(0, 200))}: ${(e as Error).message}`);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(text.length);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
  }
}

const SEED = 20261129;

describe('parser totality', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => checkTotal(s)),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('on strings made of EQL-ish pieces', () => {
    const piece = fc.constantFrom(
      'process',
      'where',
      'sequence',
      'sample',
      'by',
      'with',
      'maxspan',
      '=',
      '==',
      '!=',
      ':',
      'like~',
      'regex',
      'in',
      'in~',
      'not',
      'and',
      'or',
      '(',
      ')',
      '[',
      ']',
      '![',
      ',',
      '|',
      'head',
      'tail',
      '"a*"',
      '"""r"""',
      "'x'",
      '`f`',
      '?x',
      'x.y',
      '1',
      '2.5',
      '-',
      '+',
      '*',
      '/',
      '%',
      'true',
      'null',
      'until',
      'runs',
      '5s',
      'f(',
      'startsWith~(',
      ' ',
      '\n',
      '/*',
      '*/',
      '//',
      '\\u{41}',
      '"\\q"',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => checkTotal(parts.join(' '))),
      { seed: SEED, numRuns: 3000 },
    );
  });

  const rulesDir = sharedPath('the corpus mutation tests', 'corpus', 'detection-rules');
  it.skipIf(!rulesDir)('on corpus queries with tokens deleted, duplicated or swapped', () => {
    const queries = corpusRuleQueries(rulesDir!).map((q) => q.query);
    const tokenized = queries.map((q) => eqlLexer.tokenize(q).tokens.map((t) => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 })));
    const mutation = fc.record({ query: fc.nat({ max: queries.length - 1 }), op: fc.constantFrom('delete', 'duplicate', 'swap'), at: fc.nat(), other: fc.nat() });
    fc.assert(
      fc.property(mutation, ({ query, op, at, other }) => {
        const text = queries[query]!;
        const toks = tokenized[query]!;
        if (toks.length < 2) return;
        const a = toks[at % toks.length]!;
        const b = toks[other % toks.length]!;
        const piece = (t: { start: number; end: number }) => text.slice(t.start, t.end);
        let mutated: string;
        if (op === 'delete') mutated = text.slice(0, a.start) + text.slice(a.end);
        else if (op === 'duplicate') mutated = `${text.slice(0, a.end)} ${piece(a)}${text.slice(a.end)}`;
        else {
          const [x, y] = a.start < b.start ? [a, b] : [b, a];
          if (x === y) return;
          mutated = text.slice(0, x.start) + piece(y) + text.slice(x.end, y.start) + piece(x) + text.slice(y.end);
        }
        checkTotal(mutated);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it.each([
    ['deep parentheses', `any where ${'('.repeat(50_000)}x${')'.repeat(50_000)}`],
    ['a long chain of not', `any where ${'not '.repeat(50_000)}x`],
    ['unclosed brackets', `sequence ${'['.repeat(50_000)}`],
    ['unclosed strings', '"'.repeat(10_001)],
    ['nested comments', `any where ${'/*'.repeat(10_000)}x`],
  ])('on %s: an EqlSyntaxError, never a RangeError', (_what, text) => {
    expect(() => parse(text)).toThrow(EqlSyntaxError);
  });

  it('parses a 1 MB query and a 50,000-item list', () => {
    const items = Array.from({ length: 50_000 }, (_, i) => `"*C:\\\\Path\\\\to\\\\file-number-${i}.exe"`).join(', ');
    const text = `process where process.executable : (${items})`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const q = parse(text);
    expect(q.type === 'EventQuery' && q.filter.condition.type === 'Match' && q.filter.condition.patterns.length).toBe(50_000);
    const inList = `any where x in (${Array.from({ length: 50_000 }, (_, i) => i).join(', ')})`;
    expect(parse(inList).type).toBe('EventQuery');
  });
});

describe('round trip on generated ASTs', () => {
  it('parse(format(ast)) equals ast', () => {
    fc.assert(
      fc.property(queryArbitrary, (ast) => {
        const text = format(ast);
        let again: ReturnType<typeof parse>;
        try {
          again = parse(text);
        } catch (e) {
          throw new Error(`${text}\n${(e as Error).message}`);
        }
        expect(withoutLocations(again)).toEqual(withoutLocations(ast));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
