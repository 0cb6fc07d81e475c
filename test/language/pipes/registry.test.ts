/**
 * The pipe registry: every pipe is complete, names are unique, and the parser
 * and the compiler know exactly the registry's pipes.
 */
import { describe, expect, it } from 'vitest';
import { compile, EqlSemanticError } from '../../../src/index.js';
import { ENDGAME_ONLY_PIPES, PIPE_NAMES, PIPES, pipeDefinition } from '../../../src/language/pipes/index.js';
import { items, planOf, streamed, syntaxErrorOf } from './helpers.js';

/** An argument each runnable pipe accepts, for probing. */
const SAMPLE_ARGUMENT: Readonly<Record<string, string>> = { head: '2', tail: '2' };

describe('the pipe registry', () => {
  it('lists head and tail, and the Endgame pipes Elasticsearch refuses', () => {
    expect(PIPES.map((p) => p.name)).toEqual(['head', 'tail']);
    expect(ENDGAME_ONLY_PIPES).toEqual(['count', 'filter', 'sort', 'unique', 'unique_count', 'window']);
  });

  it('has unique, lower-case names, none of them also an Endgame-only pipe', () => {
    expect(new Set(PIPE_NAMES).size).toBe(PIPE_NAMES.length);
    for (const name of PIPE_NAMES) expect(name).toMatch(/^[a-z][a-z_]*$/);
    expect(PIPE_NAMES).toEqual([...PIPES.map((p) => p.name), ...ENDGAME_ONLY_PIPES]);
  });

  it.each(PIPES.map((p) => [p.name, p] as const))('%s has a name, a summary, checks, a plan, an apply, and streams as it says', (name, definition) => {
    expect(pipeDefinition(name)).toBe(definition);
    expect(definition.summary.length).toBeGreaterThan(10);
    expect(typeof definition.check).toBe('function');
    expect(typeof definition.plan).toBe('function');
    const argument = SAMPLE_ARGUMENT[name];
    expect(argument, `a sample argument for ${name} in this test`).toBeDefined();
    const instance = planOf(definition, `${name} ${argument}`);
    expect(instance.name).toBe(name);
    expect(instance.text).toBe(`${name} ${argument}`);
    expect(typeof instance.apply).toBe('function');
    expect(instance.stream !== undefined).toBe(definition.streams);
    // Streamed or in batch, the same results.
    expect(streamed(instance, items(7)).out).toEqual(instance.apply(items(7)));
  });

  describe('the parser knows exactly the registry’s pipes', () => {
    const probes = new Set<string>(['foo', 'limit', 'first', 'last', 'take', 'uniq', 'distinct', 'head_', 'tails', 'counts', 'sequence', 'where']);
    for (const name of PIPE_NAMES) {
      probes.add(name);
      probes.add(`${name}s`);
      probes.add(name.slice(1));
      probes.add(name.toUpperCase());
    }
    const argumentOf = (name: string) => SAMPLE_ARGUMENT[name] ?? 'x';

    it.each([...probes])('%s', (name) => {
      const e = syntaxErrorOf(`any where true | ${name} ${argumentOf(name)}`);
      if (PIPE_NAMES.includes(name)) expect(e).toBeNull();
      else expect(e?.reason).toMatch(/^(unknown pipe|pipe names are lower-case)|expected/);
    });
  });

  it.each(PIPES.map((p) => p.name))('the compiler runs %s', (name) => {
    expect(compile(`any where true | ${name} ${SAMPLE_ARGUMENT[name]}`).plan.pipes.map((p) => p.name)).toEqual([name]);
  });

  it.each(ENDGAME_ONLY_PIPES)('the compiler refuses %s with Elasticsearch’s error', (name) => {
    let error: unknown;
    try {
      compile(`any where true | ${name} x`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EqlSemanticError);
    expect((error as EqlSemanticError).code).toBe('EQL_UNSUPPORTED');
    expect((error as EqlSemanticError).reason).toBe(`pipe [${name}] is not supported; Elasticsearch runs only head and tail`);
    expect((error as EqlSemanticError).column).toBe(16);
  });
});
