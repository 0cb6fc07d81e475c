import { describe, expect, it } from 'vitest';
import { WildcardPattern } from '../../src/text/wildcard.js';
import { WildcardSet } from '../../src/text/wildcard-set.js';
import { referenceWildcard } from '../helpers/reference-wildcard.js';

describe('WildcardPattern', () => {
  it.each([
    ['C:\\Windows\\*', 'C:\\Windows\\System32\\cmd.exe', true],
    ['C:\\Windows\\*', 'C:/Windows/cmd.exe', false],
    ['*\\cmd.exe', 'C:\\Windows\\System32\\cmd.exe', true],
    ['C:\\\\x', 'C:\\\\x', true],
    ['a?c', 'a/c', true],
    ['a?c', 'a\\c', true],
    ['a?c', 'a\nc', true],
    ['a*c', 'a\n\nc', true],
    ['?', '', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['**', 'anything', true],
    ['a**b', 'ab', true],
    ['?', '😀', true],
    ['a?b', 'a😀b', true],
    ['*.exe', 'cmd.EXE', false],
    ['[a-z]', 'b', false],
    ['[a-z]', '[a-z]', true],
    ['%_', '%_', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['*a?', 'xxab', true],
    ['?*?', 'a', false],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(new WildcardPattern(pattern).matches(text)).toBe(expected);
  });

  it('folds ASCII case on both sides when asked, and only ASCII', () => {
    expect(new WildcardPattern('*.EXE', 'ascii').matches('cmd.exe')).toBe(true);
    expect(new WildcardPattern('É*', 'ascii').matches('éa')).toBe(false);
    expect(new WildcardPattern('É*', 'unicode').matches('éa')).toBe(true);
  });

  it('reads Lucene escapes only in Lucene syntax', () => {
    expect(new WildcardPattern('*\\*', 'none', 'lucene').matches('a*')).toBe(true);
    expect(new WildcardPattern('*\\*', 'none', 'lucene').matches('ab')).toBe(false);
    expect(new WildcardPattern('*\\*', 'none', 'eql').matches('a\\b')).toBe(true);
  });

  it('agrees with a reference matcher on many random patterns', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (chars: string[], max: number) => Array.from({ length: Math.floor(next() * max) }, () => chars[Math.floor(next() * chars.length)]).join('');
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const pattern = pick(['a', 'b', '*', '?', '\\', '😀'], 8);
      const text = pick(['a', 'b', '\\', '😀', '*', '\n'], 10);
      if (new WildcardPattern(pattern).matches(text) !== referenceWildcard(pattern, text)) mismatches.push(`${JSON.stringify(pattern)} ~ ${JSON.stringify(text)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with a reference matcher in Lucene syntax, escapes included', () => {
    // The reference reads the pattern by code point: `\` takes the next one literally.
    const luceneReference = (pattern: string, text: string): boolean => {
      const p = Array.from(pattern);
      const tokens: Array<{ literal: string } | '*' | '?'> = [];
      for (let i = 0; i < p.length; i++) {
        if (p[i] === '\\' && i + 1 < p.length) tokens.push({ literal: p[++i]! });
        else tokens.push(p[i] === '*' || p[i] === '?' ? (p[i] as '*' | '?') : { literal: p[i]! });
      }
      const t = Array.from(text);
      const memo = new Map<number, boolean>();
      const go = (i: number, j: number): boolean => {
        const key = i * (t.length + 1) + j;
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
        const tok = tokens[i];
        const r = tok === undefined ? j === t.length : tok === '*' ? go(i + 1, j) || (j < t.length && go(i, j + 1)) : j < t.length && (tok === '?' || tok.literal === t[j]) && go(i + 1, j + 1);
        memo.set(key, r);
        return r;
      };
      return go(0, 0);
    };
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (chars: string[], max: number) => Array.from({ length: Math.floor(next() * max) }, () => chars[Math.floor(next() * chars.length)]).join('');
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const pattern = pick(['a', 'b', '*', '?', '\\', '😀', 'ab'], 8);
      const text = pick(['a', 'b', '\\', '😀', '*', '?'], 10);
      if (new WildcardPattern(pattern, 'none', 'lucene').matches(text) !== luceneReference(pattern, text)) mismatches.push(`${JSON.stringify(pattern)} ~ ${JSON.stringify(text)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('does linear work on a pathological pattern', () => {
    const counter = { steps: 0 };
    const text = 'a'.repeat(10_000);
    expect(new WildcardPattern('*a*a*a*a*a*a*b').matches(text, counter)).toBe(false);
    expect(counter.steps).toBeLessThan(100);
    const counter2 = { steps: 0 };
    expect(new WildcardPattern('*a?a*a?a*b?').matches(text, counter2)).toBe(false);
    expect(counter2.steps).toBeLessThan(10 * text.length);
  });
});

describe('WildcardSet', () => {
  it('agrees with trying each pattern, on many random sets', () => {
    let seed = 99;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (chars: string[], max: number) => Array.from({ length: Math.floor(next() * max) }, () => chars[Math.floor(next() * chars.length)]).join('');
    const mismatches: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(['a', 'b', 'A', '*', '?', '\\\\'], 7));
      const set = new WildcardSet(patterns, i % 2 === 0 ? 'ascii' : 'none');
      const singles = patterns.map((p) => new WildcardPattern(p, i % 2 === 0 ? 'ascii' : 'none'));
      for (let j = 0; j < 10; j++) {
        const text = pick(['a', 'b', 'B', '\\\\', 'x'], 12);
        const want = singles.some((s) => s.matches(text));
        if (set.matches(text) !== want) mismatches.push(`${JSON.stringify(patterns)} ~ ${JSON.stringify(text)}`);
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('handles a 2,600-pattern list', () => {
    const patterns = Array.from({ length: 2600 }, (_, i) => `*C:\\\\Program Files\\\\Vendor${i}\\\\*.exe`);
    const set = new WildcardSet(patterns, 'ascii');
    expect(set.matches('c:\\\\program files\\\\vendor2599\\\\bin\\\\x.EXE')).toBe(true);
    expect(set.matches('C:\\\\Program Files\\\\Vendor9999\\\\x.exe')).toBe(false);
  });
});
