/**
 * The function registry: every function is complete, names are unique, the
 * parser and the compiler know exactly the registry's functions, every
 * function is exercised by a test, and index-query forms agree with the
 * scripts wherever Elasticsearch's two agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/index.js';
import { canonicalFunctionName, ENDGAME_ONLY_FUNCTIONS, FUNCTION_NAMES, FUNCTIONS, functionDefinition } from '../../../src/language/functions/index.js';
import type * as A from '../../../src/parser/ast.js';
import { errorOf, matches } from './helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A condition that calls each function, over a field `x`. */
const SAMPLE_CALL: Readonly<Record<string, string>> = {
  add: 'add(x, 1) == 2',
  between: 'between(x, "a", "c") == "b"',
  cidrMatch: 'cidrMatch(x, "10.0.0.0/8")',
  concat: 'concat(x, "a") == "ba"',
  divide: 'divide(x, 2) == 1',
  endsWith: 'endsWith(x, "a")',
  indexOf: 'indexOf(x, "a") == 0',
  length: 'length(x) == 1',
  modulo: 'modulo(x, 2) == 1',
  multiply: 'multiply(x, 2) == 2',
  number: 'number(x) == 1',
  startsWith: 'startsWith(x, "a")',
  string: 'string(x) == "1"',
  stringContains: 'stringContains(x, "a")',
  substring: 'substring(x, 1) == "a"',
  subtract: 'subtract(x, 1) == 0',
};

/** The function call at the top of `any where <condition>`, or under its comparison. */
function callIn(condition: string): A.FunctionCall {
  const q = parse(`any where ${condition}`);
  if (q.type !== 'EventQuery') throw new Error('not an event query');
  const c = q.filter.condition;
  const call = c.type === 'Comparison' ? c.left : c;
  if (call.type !== 'FunctionCall') throw new Error(`no call in ${condition}`);
  return call;
}

describe('the function registry', () => {
  it('lists the functions Elasticsearch runs, and the Endgame functions it refuses', () => {
    expect(FUNCTIONS.map((f) => f.name)).toEqual([
      'add',
      'between',
      'cidrMatch',
      'concat',
      'divide',
      'endsWith',
      'indexOf',
      'length',
      'modulo',
      'multiply',
      'number',
      'startsWith',
      'string',
      'stringContains',
      'substring',
      'subtract',
    ]);
    expect(ENDGAME_ONLY_FUNCTIONS).toEqual(['arrayContains', 'arrayCount', 'arraySearch', 'match', 'matchLite', 'safe', 'wildcard']);
  });

  it('has names unique without regard to case, none of them also an Endgame-only function', () => {
    expect(FUNCTION_NAMES).toEqual([...FUNCTIONS.map((f) => f.name), ...ENDGAME_ONLY_FUNCTIONS]);
    expect(new Set(FUNCTION_NAMES.map((n) => n.toLowerCase())).size).toBe(FUNCTION_NAMES.length);
    for (const name of FUNCTION_NAMES) expect(name).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s has a name, a summary, a signature and a script implementation', (name, definition) => {
    expect(functionDefinition(name)).toBe(definition);
    expect(functionDefinition(name.toUpperCase())).toBe(definition);
    expect(definition.summary.length).toBeGreaterThan(10);
    const { signature } = definition;
    expect(signature.minArgs).toBeGreaterThanOrEqual(1);
    expect(signature.maxArgs).toBeGreaterThanOrEqual(signature.minArgs);
    // One type per parameter; a variadic function's last type repeats.
    expect(signature.params.length).toBe(signature.maxArgs === Infinity ? signature.params.length : signature.maxArgs);
    expect(signature.params.length).toBeGreaterThanOrEqual(1);
    expect(['string', 'function']).toContain(typeof signature.result);
    expect(typeof definition.script).toBe('function');
    if (definition.indexQuery) {
      expect(['keyword', 'ip']).toContain(definition.indexQuery.on);
      expect(['prefix', 'wildcard', 'terms']).toContain(definition.indexQuery.query);
      expect(typeof definition.indexQuery.test).toBe('function');
    }
    expect(definition.arithmetic !== undefined).toBe(['add', 'subtract', 'multiply', 'divide', 'modulo'].includes(name));
  });

  it('gives index-query forms to the functions Elasticsearch runs as index queries on a field', () => {
    expect(FUNCTIONS.filter((f) => f.indexQuery).map((f) => `${f.name}: ${f.indexQuery!.query} on ${f.indexQuery!.on}`)).toEqual([
      'cidrMatch: terms on ip',
      'endsWith: wildcard on keyword',
      'startsWith: prefix on keyword',
      'stringContains: wildcard on keyword',
    ]);
  });

  describe('the parser knows exactly the registry’s names', () => {
    const probes = new Set<string>(['foo', 'contains', 'lower', 'upper', 'trim', 'sum', 'starts', 'cidr', 'arrays', 'wildcards']);
    for (const name of FUNCTION_NAMES) {
      probes.add(name);
      probes.add(name.toUpperCase());
      probes.add(name.toLowerCase());
      probes.add(`${name}s`);
      probes.add(name.slice(1));
    }
    it.each([...probes])('%s', (written) => {
      const known = FUNCTION_NAMES.find((n) => n.toLowerCase() === written.toLowerCase());
      expect(callIn(`${written}(x)`).name).toBe(known ?? written);
      expect(canonicalFunctionName(written)).toBe(known ?? written);
    });
  });

  describe('the compiler runs every registered function', () => {
    it.each(FUNCTIONS.map((f) => f.name))('%s', (name) => {
      const sample = SAMPLE_CALL[name];
      expect(sample, `a sample call of ${name} in this test`).toBeDefined();
      expect(errorOf(sample!)).toBeNull();
      expect(errorOf(sample!.replace(name, name.toUpperCase()))).toBeNull();
      const tilde = sample!.replace(`${name}(`, `${name}~(`);
      if (functionDefinition(name)!.signature.caseInsensitiveVariant) expect(errorOf(tilde)).toBeNull();
      else expect(errorOf(tilde)).toEqual({ code: 'EQL_UNSUPPORTED', reason: `function [${name}] has no case-insensitive variant '~'`, column: 11 });
    });

    it.each(FUNCTIONS.map((f) => [f.name, f.signature] as const))('%s checks its number of arguments', (name, signature) => {
      const call = (n: number) => `${name}(${Array.from({ length: n }, () => 'x').join(', ')})`;
      const expects =
        signature.minArgs === signature.maxArgs ? `exactly ${signature.minArgs}` : signature.maxArgs === Infinity ? `at least ${signature.minArgs}` : `${signature.minArgs} to ${signature.maxArgs}`;
      const plural = signature.maxArgs === 1 ? '' : 's';
      expect(errorOf(call(signature.minArgs - 1))).toEqual({ code: 'EQL_ARITY', reason: `function [${name}] expects ${expects} argument${plural}, found ${signature.minArgs - 1}`, column: 11 });
      if (signature.maxArgs !== Infinity) {
        expect(errorOf(call(signature.maxArgs + 1))).toEqual({ code: 'EQL_ARITY', reason: `function [${name}] expects ${expects} argument${plural}, found ${signature.maxArgs + 1}`, column: 11 });
      }
    });
  });

  it.each(ENDGAME_ONLY_FUNCTIONS)('the compiler refuses %s, saying it is Endgame’s', (name) => {
    for (const written of [name, name.toUpperCase()]) {
      expect(errorOf(`${written}(x)`)).toEqual({ code: 'EQL_UNKNOWN_FUNCTION', reason: `unknown function [${name}]: it exists only in Endgame EQL, not in Elasticsearch`, column: 11 });
    }
  });

  it.each([
    ['foo(x)', 'unknown function [foo]'],
    ['str(x)', 'unknown function [str], did you mean any of [string, stringContains]?'],
    ['Lenght(x)', 'unknown function [Lenght], did you mean [length]?'],
  ])('the compiler refuses %s', (condition, reason) => {
    expect(errorOf(condition)).toEqual({ code: 'EQL_UNKNOWN_FUNCTION', reason, column: 11 });
  });

  it.each(FUNCTIONS.map((f) => f.name))('%s is exercised by test/compile/functions.test.ts or its own test', (name) => {
    const texts = [readFileSync(join(HERE, '../../compile/functions.test.ts'), 'utf8')];
    const own = readdirSync(HERE).filter((f) => f === `${name}.test.ts`);
    for (const f of own) texts.push(readFileSync(join(HERE, f), 'utf8'));
    expect(texts.some((t) => new RegExp(`['"\`]${name}~?\\(`).test(t))).toBe(true);
  });
});

describe('index-query forms agree with the scripts where Elasticsearch’s do', () => {
  // ASCII text without wildcard characters, and a non-empty argument: there the
  // prefix and wildcard queries and the scripts give the same answers.
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', '.', ' '), maxLength: 6 });
  const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.constant(undefined));
  const keywordForms = FUNCTIONS.filter((f) => f.indexQuery?.on === 'keyword').map((f) => f.name);

  it.each(keywordForms.flatMap((name) => [name, `${name}~`]))('%s(x, "…")', (call) => {
    fc.assert(
      fc.property(
        value,
        text.filter((t) => t !== ''),
        (x, arg) => {
          const event = x === undefined ? {} : { x };
          const literal = JSON.stringify(arg);
          // `== (1 == 1)` keeps the call a script: the other side is not a literal.
          expect(matches(`${call}(x, ${literal})`, event)).toBe(matches(`${call}(x, ${literal}) == (1 == 1)`, event));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('cidrMatch(x, "…")', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const address = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const block = fc.tuple(address, fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `${a}/${bits}`);
    fc.assert(
      fc.property(fc.oneof(address, fc.array(address, { maxLength: 3 }), fc.constant('x')), fc.array(block, { minLength: 1, maxLength: 3 }), (x, blocks) => {
        const args = blocks.map((b) => JSON.stringify(b)).join(', ');
        expect(matches(`cidrMatch(x, ${args})`, { x })).toBe(matches(`cidrMatch(x, ${args}) == (1 == 1)`, { x }));
      }),
      { numRuns: 200 },
    );
  });
});
