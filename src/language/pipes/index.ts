/**
 * The pipe registry: every pipe the language knows. The parser takes pipe
 * names and argument checks from here, the compiler plans pipes through it,
 * and the engine, the rules and the command line run the planned pipes with
 * `pipeline.ts`. To add a pipe, see docs/ARCHITECTURE.md.
 */
import type * as A from '../../parser/ast.js';
import { closeNames } from '../did-you-mean.js';
import { head } from './head.js';
import { tail } from './tail.js';
import type { PipeCheckFailure, PipeDefinition, PipeInstance } from './types.js';

export { applyPipes, type PipelineRun, type PipelineState, runPipeline, withRequestSize } from './pipeline.js';
export type { PipeCheckFailure, PipeDefinition, PipeInstance, PipeStream, ResultPosition } from './types.js';

/** The pipes that run, in the order the docs list them. */
export const PIPES: readonly PipeDefinition[] = [head, tail];

/**
 * Endgame pipes: they parse, so that tools can read queries written for
 * Endgame EQL, and the compiler refuses them, as Elasticsearch does. A pipe
 * that comes to run moves from here to {@link PIPES}.
 */
export const ENDGAME_ONLY_PIPES: readonly string[] = ['count', 'filter', 'sort', 'unique', 'unique_count', 'window'];

/** Every pipe name the parser accepts. */
export const PIPE_NAMES: readonly string[] = [...PIPES.map((p) => p.name), ...ENDGAME_ONLY_PIPES];

const BY_NAME: ReadonlyMap<string, PipeDefinition> = new Map(PIPES.map((p) => [p.name, p]));
const KNOWN: ReadonlySet<string> = new Set(PIPE_NAMES);

/** The definition of a pipe that runs, or undefined. */
export function pipeDefinition(name: string): PipeDefinition | undefined {
  return BY_NAME.get(name);
}

/** The parser's check of a pipe: a known name, then the pipe's own argument checks. */
export function checkPipe(pipe: A.Pipe, fail: PipeCheckFailure): void {
  if (!KNOWN.has(pipe.name)) {
    const lower = pipe.name.toLowerCase();
    if (KNOWN.has(lower)) fail(`pipe names are lower-case: write '${lower}'`, pipe.location);
    const close = closeNames(PIPE_NAMES, pipe.name);
    const hint = close.length > 0 ? `; did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
    fail(`unknown pipe '${pipe.name}'${hint}`, pipe.location);
  }
  BY_NAME.get(pipe.name)?.check(pipe, fail);
}

/** `a`, `a and b`, `a, b and c`. */
function listing(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The compiler's plan of a query's pipes. A pipe that does not run (an
 * Endgame pipe, or any name in an AST built by hand) goes to `unsupported`,
 * which throws Elasticsearch's error.
 */
export function planPipes(pipes: readonly A.Pipe[], unsupported: (reason: string, at: A.Location) => never): PipeInstance[] {
  return pipes.map((p) => {
    const definition = BY_NAME.get(p.name);
    if (!definition) return unsupported(`pipe [${p.name}] is not supported; Elasticsearch runs only ${listing(PIPES.map((d) => d.name))}`, p.location);
    return definition.plan(p);
  });
}
