import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadingLine } from '../../src/cli/loading.js';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** A stream that records what is written, and says whether it is a terminal. */
function screen(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  const writes: string[] = [];
  stream.on('data', (c: Buffer) => writes.push(c.toString('utf8')));
  return { stream, writes };
}

/** A clock the test moves by hand. */
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the loading line', () => {
  it('draws nothing while loading takes under a second, then a line that is redrawn in place and cleared at the end', async () => {
    const { stream, writes } = screen(true);
    const c = clock();
    const line = loadingLine(stream, { now: c.now });
    line.update(0, 1081);
    c.advance(500);
    line.update(400, 1081);
    expect(writes).toEqual([]);
    c.advance(600);
    line.update(900, 1081);
    c.advance(50);
    line.update(950, 1081); // within 100 ms of the last draw: not drawn
    c.advance(60);
    line.update(1000, 1081);
    line.end();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['\rloading rules: 900/1081 files\u001b[K', '\rloading rules: 1000/1081 files\u001b[K', '\r\u001b[K']);
  });

  it('writes nothing when its stream is not a terminal, or with quiet', async () => {
    for (const [isTTY, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const { stream, writes } = screen(isTTY);
      const c = clock();
      const line = loadingLine(stream, { now: c.now, quiet });
      c.advance(5000);
      line.update(1, 2);
      line.end();
      await new Promise((r) => setImmediate(r));
      expect(writes).toEqual([]);
    }
  });

  it('leaves nothing behind when no line was drawn', async () => {
    const { stream, writes } = screen(true);
    const line = loadingLine(stream);
    line.update(1, 1);
    line.end();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([]);
  });

  it('check on a terminal shows no line for a quick load of the bundled rules', async () => {
    const out = screen(false);
    const err = screen(true);
    const code = await main(['check', `${REPO_ROOT}/rules`], { stdout: out.stream, stderr: err.stream });
    await new Promise((r) => setImmediate(r));
    expect(code).toBe(0);
    expect(out.writes.join('')).toMatch(/^1 rules? ok, 0 failed, 0 not EQL\n$/);
    expect(err.writes).toEqual([]);
  });
});
