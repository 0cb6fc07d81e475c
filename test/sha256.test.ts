import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from '../src/sha256.js';

const nodeHash = (texts: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const t of texts) hash.update(t);
  return hash.digest('hex');
};

/** Our implementation, which browsers run (in Node, sha256Hex hands the work to node:crypto). */
const ours = (...texts: string[]): string => {
  const hash = new Sha256();
  for (const t of texts) hash.update(t);
  return hash.digestHex();
};

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('gives the digest of FIPS 180-4 example %#', (text, digest) => {
    expect(ours(text)).toBe(digest);
    expect(sha256Hex(text)).toBe(digest);
  });

  it('gives node:crypto’s digest at every length around the padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const text = 'x'.repeat(n);
      expect(ours(text), `${n} bytes`).toBe(nodeHash([text]));
    }
  });

  it('gives node:crypto’s digest of any texts given as successive updates, lone surrogates and split pairs included', () => {
    const unit = fc.oneof(fc.string({ unit: 'binary', maxLength: 90 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('\ud83d', '\ude00', '\ud83d\ude00', '\u0000', 'é', '€'));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (texts) => {
        expect(ours(...texts)).toBe(nodeHash(texts));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes bytes and text alike', () => {
    const bytes = new TextEncoder().encode('hello, world');
    expect(new Sha256().updateBytes(bytes.subarray(0, 5)).update(', world').digestHex()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses updates and a second digest after the digest', () => {
    const hash = new Sha256().update('a');
    hash.digestHex();
    expect(() => hash.update('b')).toThrow(/update after digest/);
    expect(() => hash.digestHex()).toThrow(/digest called twice/);
  });
});
