/** Near misses of a name, for "did you mean" hints. */

/** 1 − (edit distance / longer length): the closeness measure behind "did you mean". */
export function similarity(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return 1 - d[a.length]![b.length]! / Math.max(a.length, b.length, 1);
}

/** The candidates at least half similar to `name`, in the candidates' order. */
export function closeNames(candidates: Iterable<string>, name: string): string[] {
  return [...candidates].filter((c) => similarity(c, name) >= 0.5);
}
