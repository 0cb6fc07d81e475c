/** Strings drawn from Lucene regular expressions, each checked here with the engine's matcher. */
import { describe, expect, it } from 'vitest';
import { compileLuceneRegex } from '../../src/text/regex.js';
import { Random } from '../../src/synth/random.js';
import { stringsMatchingRegex } from '../../src/synth/regex.js';

describe('drawing strings from Lucene regexes', () => {
  it.each([
    ['.*\\.exe', false],
    ['[a-z]{3,5}[0-9]+', false],
    ['[^a-z]{2}x?', false],
    ['\\d\\w\\s\\S\\W\\D', false],
    ['[\\w\\-]{4}', false],
    ['"a.b*"@', false],
    ['(foo|bar)(baz)?', false],
    ['a()b', false],
    ['[ʰ-˿ᴬ-ᶻ]+', false],
    ['a]b}', false],
    ['C:\\\\Windows\\\\[A-Z]{2,}\\.DLL', true],
    ['.*-enc(odedcommand)? [A-Za-z0-9+/=]{8,}', false],
    ['x{0}y{2}', false],
  ])('%s (case-insensitive: %s)', (pattern, caseInsensitive) => {
    const matches = compileLuceneRegex([pattern], caseInsensitive).matches;
    const drawn = stringsMatchingRegex([pattern], caseInsensitive, new Random(3), 3);
    expect(drawn.length).toBeGreaterThan(0);
    for (const s of drawn) expect(matches(s), s).toBe(true);
  });

  it('draws from any of several patterns', () => {
    const drawn = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) for (const s of stringsMatchingRegex(['aa', 'bb'], false, new Random(seed), 1)) drawn.add(s);
    expect([...drawn].sort()).toEqual(['aa', 'bb']);
  });

  it("draws nothing from Lucene's empty language or a pattern the engine refuses", () => {
    expect(stringsMatchingRegex(['#'], false, new Random(1), 3)).toEqual([]);
    expect(stringsMatchingRegex(['a&b'], false, new Random(1), 3)).toEqual([]);
  });
});
