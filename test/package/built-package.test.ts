import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

// `npm test` builds before it runs vitest; these tests use that build the way
// an installed package would be used, from a scratch project.
const SCRIPT = (load: string) => `
${load}
const ast = eql.parse('process where process.name : "cmd.exe"');
let syntax = null;
try { eql.parse('process where x = 1'); } catch (e) { syntax = { name: e.constructor.name, isClass: e instanceof eql.EqlSyntaxError, line: e.line, column: e.column }; }
const bundled = eql.bundledRules().map((r) => r.name);
const q = eql.compile('process where process.parent.name : "wmiprvse.exe" and host.id != null');
const matched = [q.matches({ event: { category: 'process' }, host: { id: 'h' }, process: { parent: { name: 'WmiPrvSE.exe' } } }), q.matches({ event: { category: 'process' }, 'process.parent.name': 'x' })];
console.log(JSON.stringify({ type: ast.type, printed: eql.format(ast), syntax, bundled, matched }));
`;

describe('the built package', () => {
  let dir = '';

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'index.js')) || !existsSync(join(REPO_ROOT, 'dist', 'index.cjs'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    }
    dir = mkdtempSync(join(tmpdir(), 'eqlkit-package-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'eqlkit'), 'dir');
    writeFileSync(join(dir, 'with-require.cjs'), SCRIPT("const eql = require('eqlkit');"));
    writeFileSync(join(dir, 'with-import.mjs'), SCRIPT("import * as eql from 'eqlkit';"));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const expected = {
    type: 'EventQuery',
    printed: 'process where process.name : "cmd.exe"',
    syntax: { name: 'EqlSyntaxError', isClass: true, line: 1, column: 17 },
    bundled: ['WMI Incoming Lateral Movement'],
    matched: [true, false],
  };

  it('loads with require() from CommonJS', () => {
    const out = execFileSync(process.execPath, ['with-require.cjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('loads with import from an ES module', () => {
    const out = execFileSync(process.execPath, ['with-import.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('runs where code generation from strings is disallowed (field readers fall back to closures)', () => {
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', 'with-import.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('bundles chevrotain into the CommonJS build, so require() never needs require(esm)', () => {
    const out = execFileSync(process.execPath, ['--no-experimental-require-module', 'with-require.cjs'], { cwd: dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(expected);
  });
});
