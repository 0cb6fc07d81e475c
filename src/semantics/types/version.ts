/**
 * Elasticsearch's `version` type: semantic-version order. `1.11.3` > `1.5.0`,
 * a pre-release sorts before its release (`1.2.4-SNAPSHOT` < `1.2.4`), and a
 * string that is not a valid version sorts after every valid one.
 */

interface ParsedVersion {
  readonly valid: boolean;
  readonly main: readonly number[];
  readonly pre: readonly (number | string)[] | null;
  readonly text: string;
}

const VERSION = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseVersion(text: string): ParsedVersion {
  const m = VERSION.exec(text);
  if (!m) return { valid: false, main: [], pre: null, text };
  const main = m[1]!.split('.').map(Number);
  const pre = m[2] ? m[2].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : null;
  return { valid: true, main, pre, text };
}

function compareParts(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1; // numeric identifiers sort before alphanumeric ones
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two version strings: negative, zero or positive. */
export function compareVersions(x: string, y: string): number {
  const a = parseVersion(x);
  const b = parseVersion(y);
  if (!a.valid || !b.valid) {
    if (a.valid !== b.valid) return a.valid ? -1 : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const n = Math.max(a.main.length, b.main.length);
  for (let i = 0; i < n; i++) {
    const d = (a.main[i] ?? 0) - (b.main[i] ?? 0);
    if (d !== 0) return d;
  }
  if (!a.pre || !b.pre) return a.pre ? -1 : b.pre ? 1 : 0;
  const m = Math.max(a.pre.length, b.pre.length);
  for (let i = 0; i < m; i++) {
    if (a.pre[i] === undefined) return -1;
    if (b.pre[i] === undefined) return 1;
    const d = compareParts(a.pre[i]!, b.pre[i]!);
    if (d !== 0) return d;
  }
  return 0;
}
