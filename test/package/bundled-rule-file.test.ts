import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

const BUNDLED = join(REPO_ROOT, 'rules', 'windows', 'lateral_movement_incoming_wmi.toml');
/** SHA-256 of the seed rule as it was given; the bundled copy must never drift from it. */
const SEED_SHA256 = '5a7ee6bd740dd28b2637c38aac52ed4d3aab55da4e1a48c5579c8a688ca423f4';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the bundled seed rule', () => {
  it('is byte-identical to the seed rule as given', () => {
    expect(sha256(BUNDLED)).toBe(SEED_SHA256);
  });

  const seed = sharedPath('the seed-rule comparison', 'seed-rule', 'lateral_movement_incoming_wmi.toml');
  it.skipIf(!seed)('matches ../shared/seed-rule byte for byte', () => {
    expect(sha256(BUNDLED)).toBe(sha256(seed!));
  });

  it('sits beside the Elastic License v2 notice, apart from our own license', () => {
    expect(readFileSync(join(REPO_ROOT, 'rules', 'LICENSE.txt'), 'utf8')).toMatch(/Elastic License 2\.0/);
    expect(existsSync(join(REPO_ROOT, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8')).not.toMatch(/Elastic License 2\.0; you may not/);
  });
});
