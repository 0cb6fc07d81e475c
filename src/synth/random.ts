/**
 * A seeded source of choices, so that one seed always gives the same events
 * (Math.random would make every run differ and every failure unrepeatable).
 */

/** 32-bit seed mixing (SplitMix32's finaliser): nearby seeds give unrelated streams. */
function mix(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = mix(Math.trunc(seed) >>> 0) || 1;
  }

  /** A uniform number in [0, 1) (xorshift32). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0 || 1;
    return this.state / 0x1_0000_0000;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A copy in random order. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Up to `n` items, in random order, without repeats. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (items.length <= n) return this.shuffled(items);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].map((i) => items[i]!);
  }

  /** A fresh generator whose stream depends on this one's, for work that must not shift the rest. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 0x1_0000_0000));
  }
}
