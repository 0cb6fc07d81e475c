import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldAscii, foldUnicode } from '../../src/semantics/case-folding.js';

/** Lucene's folding, one UTF-16 unit at a time: only A–Z change. */
const reference = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('foldAscii', () => {
  it.each([
    ['svchost.exe', 'svchost.exe'],
    ['OUTLOOK.EXE', 'outlook.exe'],
    ['C:\\Windows\\System32', 'c:\\windows\\system32'],
    // Non-ASCII letters keep their case, even where Unicode lower-casing would change them.
    ['İSTANBUL', 'İstanbul'],
    ['ÉCOLE', 'École'],
    ['\u212A', '\u212A'], // the Kelvin sign lower-cases to "k" in Unicode
    ['ΣΑ', 'ΣΑ'],
    ['', ''],
  ])('%j → %j', (text, folded) => {
    expect(foldAscii(text)).toBe(folded);
  });

  it('changes A–Z and nothing else, on any text', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('A', 'Z', 'a', '.', '\\', 'İ', 'É', '\u212A', 'ß', '😀'),
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(text, (s) => foldAscii(s) === reference(s)),
      { numRuns: 3000 },
    );
  });

  it('differs from Unicode folding on non-ASCII letters', () => {
    expect(foldUnicode('İSTANBUL')).not.toBe(foldAscii('İSTANBUL'));
  });
});
