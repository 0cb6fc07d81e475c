/** What the pipe tests share: parse errors as values, plans of one pipe, items to run pipes over. */
import { EqlSyntaxError, parse } from '../../../src/index.js';
import type { PipeDefinition, PipeInstance } from '../../../src/language/pipes/index.js';
import { runPipeline } from '../../../src/language/pipes/index.js';
import type { Pipe } from '../../../src/parser/ast.js';

/** The syntax error of a query, or null when it parses. */
export function syntaxErrorOf(query: string): EqlSyntaxError | null {
  try {
    parse(query);
    return null;
  } catch (e) {
    if (e instanceof EqlSyntaxError) return e;
    throw e;
  }
}

/** The pipe of `any where true | <text>` as the parser reads it. */
export function pipeOf(text: string): Pipe {
  return parse(`any where true | ${text}`).pipes[0]!;
}

/** The definition's plan of `| <text>`. */
export function planOf(definition: PipeDefinition, text: string): PipeInstance {
  return definition.plan(pipeOf(text));
}

/** 0 … n−1. */
export const items = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** What a pipe lets through when results come one at a time, and how many it took before it was done. */
export function streamed(pipe: PipeInstance, input: readonly number[]): { out: number[]; read: number } {
  const run = runPipeline<number>([pipe]);
  const out: number[] = [];
  let read = 0;
  for (const item of input) {
    if (run.done) break;
    read++;
    if (run.accept(item)) out.push(item);
  }
  out.push(...run.end());
  return { out, read };
}
