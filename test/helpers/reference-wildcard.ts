/** A plain recursive wildcard matcher with memoisation: obviously right, too slow for real use. */
export function referenceWildcard(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (t.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === t.length;
    else if (p[i] === '*') r = go(i + 1, j) || (j < t.length && go(i, j + 1));
    else r = j < t.length && (p[i] === '?' || p[i] === t[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}
