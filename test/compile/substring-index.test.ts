import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SubstringIndex } from '../../src/text/substring-index.js';

const unit = fc.constantFrom('a', 'b', 'c', 'é', '\u202e', '😀');
const word = (max: number) => fc.array(unit, { minLength: 1, maxLength: max }).map((cs) => cs.join(''));

describe('SubstringIndex', () => {
  it('finds exactly the keys that occur in the text', () => {
    fc.assert(
      fc.property(fc.array(word(4), { minLength: 1, maxLength: 12 }), fc.array(word(12), { maxLength: 6 }), (keys, texts) => {
        const index = new SubstringIndex();
        keys.forEach((k, id) => {
          index.add(k, id);
        });
        for (const text of ['', ...texts]) {
          const found = new Set<number>();
          index.scan(text, (id) => void found.add(id));
          const want = keys.flatMap((k, id) => (text.includes(k) ? [id] : []));
          expect([...found].sort((x, y) => x - y)).toEqual(want);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('reports overlapping and repeated occurrences, and stops when told', () => {
    const index = new SubstringIndex();
    index.add('aa', 1);
    index.add('a', 2);
    const seen: number[] = [];
    index.scan('aaa', (id) => void seen.push(id));
    expect(seen).toEqual([2, 1, 2, 1, 2]);
    const first: number[] = [];
    index.scan('baab', (id) => {
      first.push(id);
      return true;
    });
    expect(first).toEqual([2]);
  });

  it('takes keys added after a scan', () => {
    const index = new SubstringIndex();
    index.add('x', 1);
    index.scan('y', () => {});
    index.add('y', 2);
    const seen: number[] = [];
    index.scan('xy', (id) => void seen.push(id));
    expect(seen).toEqual([1, 2]);
  });
});
