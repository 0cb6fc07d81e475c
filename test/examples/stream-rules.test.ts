import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const run = (args: string[], input: string) => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` (npm test does it first)');
  return spawnSync(process.execPath, ['examples/stream-rules.mjs', ...args], { cwd: REPO_ROOT, input, encoding: 'utf8' });
};

describe('examples/stream-rules.mjs', () => {
  it('says so, naming the folder, when it loaded no rules, and still reads the events', () => {
    const missing = join(tmpdir(), `eqlkit-no-rules-${process.pid}`);
    const r = run([missing], '{"@timestamp":1,"event":{"category":"process"}}\n{"event":{}}\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`rule not loaded: ${missing}: no such file or folder`);
    expect(r.stderr).toContain(`warning: no rules loaded from ${missing}; no alerts can come`);
    // The event with a timestamp is not an error; the one without is, as with rules loaded.
    expect(r.stderr).toContain('event 1: no readable timestamp in [@timestamp]');
    expect(r.stderr).toMatch(/0 rules, 2 events, 0 alerts, 1 errors, 0 late/);
  });

  it('gives no warning when it runs rules', () => {
    const r = run([], '{"@timestamp":1,"event":{"category":"process"}}\n');
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(r.stderr).toMatch(/1 rule, 1 events, 0 alerts, 0 errors, 0 late/);
  });
});
