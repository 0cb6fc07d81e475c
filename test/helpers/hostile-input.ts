/**
 * Inputs that are small on disk and large when read: gzip files made of
 * members (RFC 1952 allows a file of several, read one after the other), one
 * of which is compressed once and repeated, so that a file of a few hundred
 * kilobytes expands to hundreds of megabytes without the test compressing
 * them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Text written `times` times in a row (once by default). */
export interface Piece {
  readonly text: string;
  readonly times?: number;
}

/** Writes the pieces in order as one gzip file of members; each piece is compressed once. */
export function writeGzipPieces(path: string, pieces: readonly Piece[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const { text, times = 1 } of pieces) {
      const member = gzipSync(text, { level: 9 });
      for (let i = 0; i < times; i++) writeSync(fd, member);
    }
  } finally {
    closeSync(fd);
  }
}

/** The pieces as chunks of text, for a stream. */
export async function* piecesOf(pieces: readonly Piece[]): AsyncGenerator<string> {
  for (const { text, times = 1 } of pieces) for (let i = 0; i < times; i++) yield text;
}

/** How many characters the pieces make. */
export const expandedLength = (pieces: readonly Piece[]): number => pieces.reduce((sum, p) => sum + p.text.length * (p.times ?? 1), 0);

/** A process event (ECS) at `ms`, as one line of JSON. */
export function processEvent(ms: number, name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ '@timestamp': ms, event: { category: 'process' }, host: { id: 'h1' }, process: { name }, ...extra });
}

/** JSON text of a value nested `depth` levels deep: objects (`{"a":…}`) or arrays (`[…]`) around `1`. */
export function nestedJson(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** How deep objects and arrays nest in a parsed value (the value itself is 1; a scalar is 0), without recursion. */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}
