import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// The same checks from either module format: the package by its name, from the scratch project.
const SCRIPT = (load: string, resolved: string) => `
${load}
const q = eql.compile('process where process.name : "cmd.exe" and host.id != null');
const out = {
  resolved: ${resolved},
  type: eql.parse('sequence [process where true] [network where true]').type,
  printed: eql.format(eql.parse('process where process.name:"a"')),
  matched: [q.matches({ event: { category: 'process' }, host: { id: 'h' }, process: { name: 'CMD.EXE' } }), q.matches({ event: { category: 'process' }, process: { name: 'cmd.exe' } })],
  bundled: eql.bundledRules().map((r) => r.name),
};
console.log(JSON.stringify(out));
`;

/**
 * What a user gets from the registry: `npm pack`, then the tarball installed
 * into a scratch project, and used from there. It packs the dist/ that
 * `npm test` has just built (--ignore-scripts): the prepack script would
 * rebuild dist/ while other tests run the command line from it.
 */
describe('the packed package, installed', () => {
  let dir = '';
  let project = '';
  let packed: string[] = [];

  beforeAll(() => {
    if (!['index.js', 'index.cjs', 'cli.js'].every((f) => existsSync(join(REPO_ROOT, 'dist', f)))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    }
    dir = mkdtempSync(join(tmpdir(), 'eqlkit-packed-'));
    const report = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' })) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    packed = report[0]!.files.map((f) => f.path);
    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    // From the npm cache when it holds the dependencies; the registry otherwise.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', join(dir, report[0]!.filename)], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    writeFileSync(
      join(project, 'events.ndjson'),
      `${[
        { '@timestamp': '2026-01-01T00:00:00Z', event: { category: 'process' }, process: { name: 'CMD.EXE' } },
        { '@timestamp': '2026-01-01T00:00:01Z', event: { category: 'process' }, process: { name: 'notepad.exe' } },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    writeFileSync(join(project, 'with-require.cjs'), SCRIPT("const eql = require('eqlkit');", "require.resolve('eqlkit')"));
    writeFileSync(join(project, 'with-import.mjs'), SCRIPT("import * as eql from 'eqlkit';\nimport { fileURLToPath } from 'node:url';", "fileURLToPath(import.meta.resolve('eqlkit'))"));
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the build, the bundled rule with its Elastic License v2 notice and its rule test, and no sources', () => {
    for (const f of [
      'dist/cli.js',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'rules/windows/lateral_movement_incoming_wmi.toml',
      'rules/windows/lateral_movement_incoming_wmi.test.toml',
      'rules/windows/lateral_movement_incoming_wmi.events.ndjson',
      'rules/LICENSE.txt',
      'LICENSE',
      'README.md',
    ]) {
      expect(packed).toContain(f);
    }
    expect(packed.filter((p) => /^(src|test|bench)\//.test(p))).toEqual([]);
    const installed = join(project, 'node_modules', 'eqlkit');
    expect(readFileSync(join(installed, 'rules', 'LICENSE.txt'), 'utf8')).toMatch(/Elastic License 2\.0/);
    expect(existsSync(join(installed, 'rules', 'windows', 'lateral_movement_incoming_wmi.toml'))).toBe(true);
  });

  const bin = () => join(project, 'node_modules', '.bin', 'eqlkit');

  it('runs its command from node_modules/.bin', () => {
    expect(execFileSync(bin(), ['--version'], { cwd: project, encoding: 'utf8' }).trim()).toBe(version);
    const out = execFileSync(bin(), ['query', 'process where process.name : "cmd.exe"', 'events.ndjson'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const matches = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { events: Array<{ process: { name: string } }> });
    expect(matches.map((m) => m.events.map((e) => e.process.name))).toEqual([['CMD.EXE']]);
  });

  it("runs the bundled rule's tests with eqlkit test", () => {
    const out = execFileSync(bin(), ['test'], { cwd: project, encoding: 'utf8' });
    expect(out).toMatch(/^node_modules\/eqlkit\/rules\/windows\/lateral_movement_incoming_wmi\.test\.toml: WMI Incoming Lateral Movement$/m);
    expect(out).toContain('1 case in 1 test file: 1 passed, 0 failed');
  });

  const expected = (file: string) => ({
    resolved: realpathSync(join(project, 'node_modules', 'eqlkit', 'dist', file)),
    type: 'SequenceQuery',
    printed: 'process where process.name : "a"',
    matched: [true, false],
    bundled: ['WMI Incoming Lateral Movement'],
  });

  it('loads with require() from CommonJS, from its own copy', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['with-require.cjs'], { cwd: project, encoding: 'utf8' })) as { resolved: string };
    expect({ ...out, resolved: realpathSync(out.resolved) }).toEqual(expected('index.cjs'));
  });

  it('loads with import from an ES module, from its own copy', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['with-import.mjs'], { cwd: project, encoding: 'utf8' })) as { resolved: string };
    expect({ ...out, resolved: realpathSync(out.resolved) }).toEqual(expected('index.js'));
  });
});
