/**
 * PropagateJoinKeyConstraints: a stage's conjunct on one of its keys is
 * copied to the other stages, each with its own key in place.
 */
import { describe, expect, it } from 'vitest';
import { propagateJoinKeyConstraints } from '../../src/optimize/propagate-join-key-constraints.js';
import { applyRule } from './helpers.js';

const rewrite = (query: string): string => applyRule(propagateJoinKeyConstraints, query).text;

describe('PropagateJoinKeyConstraints', () => {
  it.each([
    ['sequence by user [process where user == "alice"] [network where true]', 'sequence by user\n  [process where user == "alice"]\n  [network where true and user == "alice"]'],
    // Each stage's own key takes the place of the field; conjuncts on other fields stay home.
    ['sequence [process where user == "a" and x > 1] by user [network where b] by uid', 'sequence\n  [process where user == "a" and x > 1] by user\n  [network where b and uid == "a"] by uid'],
    // Both ways, after each stage's own condition.
    ['sample by host [any where host : "h*"] [any where host != "h2" and y]', 'sample by host\n  [any where host : "h*" and host != "h2"]\n  [any where host != "h2" and y and host : "h*"]'],
    // The first key a conjunct reads decides; other fields in it are left as they are.
    [
      'sequence [any where stringContains(h1, u1)] by u1, h1 [any where true] by u2, h2',
      'sequence\n  [any where stringContains(h1, u1)] by u1, h1\n  [any where true and stringContains(h2, u1)] by u2, h2',
    ],
    // A missing stage takes constraints and gives none.
    ['sequence by user with maxspan=1s [any where user == "a"] ![any where user == "b"]', 'sequence by user with maxspan=1s\n  [any where user == "a"]\n  ![any where user == "b" and user == "a"]'],
    // `until` neither gives nor takes.
    [
      'sequence by user [any where user == "a"] [any where x] until [any where user == "c"]',
      'sequence by user\n  [any where user == "a"]\n  [any where x and user == "a"]\nuntil [any where user == "c"]',
    ],
  ])('%s', (input, expected) => {
    expect(rewrite(input)).toBe(expected);
  });

  it.each([
    // A conjunct with an `or` anywhere in it stays home.
    ['sequence by user [any where user == "a" or user == "b"] [any where true]'],
    ['sequence by user [any where not (user == "a" or x)] [any where true]'],
    ['sequence by user [any where x == 1] [any where y == 2]'],
    ['any where user == "a"'],
  ])('leaves %s alone', (input) => {
    expect(applyRule(propagateJoinKeyConstraints, input).unchanged).toBe(true);
  });

  it('keeps the location of the condition it extends', () => {
    const { query } = applyRule(propagateJoinKeyConstraints, 'sequence by user [process where user == "a"] [network where b]');
    if (query.type !== 'SequenceQuery') throw new Error('a sequence');
    expect(query.stages[1]!.filter.condition.location).toMatchObject({ start: { column: 61 }, end: { column: 62 } });
  });
});
