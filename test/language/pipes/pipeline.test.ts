/** Running planned pipes: the request size's place, and streaming that gives what the batch gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/index.js';
import { headOf } from '../../../src/language/pipes/head.js';
import { applyPipes, type PipeInstance, type ResultPosition, runPipeline, withRequestSize } from '../../../src/language/pipes/index.js';
import { tailOf } from '../../../src/language/pipes/tail.js';
import { items } from './helpers.js';

const pipesOf = (query: string) => compile(`any where true ${query}`).plan.pipes;
const texts = (pipes: readonly PipeInstance[]) => pipes.map((p) => p.text);

describe('withRequestSize', () => {
  /** [pipes, size, position, the pipeline] */
  const TABLE: Array<[string, number, ResultPosition, string[]]> = [
    ['', Infinity, 'tail', []],
    ['', 3, 'tail', ['tail 3']],
    ['', 3, 'head', ['head 3']],
    ['| head 4 | tail 2', 3, 'tail', ['head 3', 'head 4', 'tail 2']],
    ['| tail 4 | head 2', 3, 'head', ['tail 3', 'tail 4', 'head 2']],
    ['| head 4 | tail 2', Infinity, 'tail', ['head 4', 'tail 2']],
  ];
  it.each(TABLE)('%j with size %s (%s) is %j', (query, size, position, expected) => {
    expect(texts(withRequestSize(pipesOf(query), size, position))).toEqual(expected);
  });

  it('puts the size before the first limit, after pipes that are no limits', () => {
    const marker: PipeInstance = { name: 'mark', text: 'mark', apply: (x) => x };
    expect(texts(withRequestSize([marker, headOf(5)], 2, 'tail'))).toEqual(['mark', 'head 2', 'head 5']);
    expect(texts(withRequestSize([marker], 2, 'tail'))).toEqual(['mark', 'tail 2']);
  });
});

describe('runPipeline', () => {
  const pipe = fc.oneof(
    fc.nat(8).map((n) => headOf(n)),
    fc.nat(8).map((n) => tailOf(n)),
  );

  it('gives what applyPipes gives, whether or not the feeder stops when it is done', () => {
    fc.assert(
      fc.property(fc.array(pipe, { maxLength: 4 }), fc.nat(12), (pipes, n) => {
        const expected = applyPipes(items(n), pipes);
        const all = runPipeline<number>(pipes);
        const fed = items(n).filter((i) => all.accept(i));
        expect([...fed, ...all.end()]).toEqual(expected);

        const stopping = runPipeline<number>(pipes);
        const out: number[] = [];
        for (const i of items(n)) {
          if (stopping.done) break;
          if (stopping.accept(i)) out.push(i);
        }
        expect([...out, ...stopping.end()]).toEqual(expected);
      }),
    );
  });

  it('resumed from what save gave, through JSON text, gives what one run gives', () => {
    fc.assert(
      fc.property(
        fc.array(pipe, { maxLength: 4 }),
        fc.nat(12).chain((n) => fc.tuple(fc.constant(n), fc.nat(n))),
        (pipes, [n, cut]) => {
          const first = runPipeline<number>(pipes);
          const out = items(n)
            .slice(0, cut)
            .filter((i) => first.accept(i));
          const state = JSON.parse(JSON.stringify(first.save((i) => ({ item: i }))));
          const rest = runPipeline<number>(pipes, { state, decode: (x) => (x as { item: number }).item });
          out.push(
            ...items(n)
              .slice(cut)
              .filter((i) => rest.accept(i)),
            ...rest.end(),
          );
          expect(out).toEqual(applyPipes(items(n), pipes));
        },
      ),
    );
  });

  it('refuses to resume from a run of other pipes', () => {
    const run = runPipeline<number>([headOf(3), tailOf(2)]);
    run.accept(1);
    const state = run.save((i) => i);
    expect(state).toEqual({ stages: [2], held: [1] });
    expect(() => runPipeline<number>([headOf(3)], { state, decode: (x) => x as number })).toThrow(RangeError);
    expect(() => runPipeline<number>([headOf(1), tailOf(2)], { state, decode: (x) => x as number })).toThrow(/head 1/);
    expect(() => runPipeline<number>([tailOf(2)], { state, decode: (x) => x as number })).toThrow(/not a saved run/);
  });

  it('streams up to the first pipe that needs the end, and holds from there', () => {
    const run = runPipeline<number>([headOf(3), tailOf(2)]);
    expect(run.holds).toBe(true);
    expect(items(5).map((i) => run.accept(i))).toEqual([false, false, false, false, false]);
    expect(run.done).toBe(true);
    expect(run.end()).toEqual([1, 2]);

    const streaming = runPipeline<number>([headOf(2)]);
    expect(streaming.holds).toBe(false);
    expect([0, 1, 2].map((i) => streaming.accept(i))).toEqual([true, true, false]);
    expect(streaming.end()).toEqual([]);
  });

  it('with no pipes passes everything and is never done', () => {
    const run = runPipeline<number>([]);
    expect(items(3).map((i) => run.accept(i))).toEqual([true, true, true]);
    expect(run.done).toBe(false);
  });

  it('applyPipes returns a new list', () => {
    const list = items(3);
    expect(applyPipes(list, [])).not.toBe(list);
  });
});
