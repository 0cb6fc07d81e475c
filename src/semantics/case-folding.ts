/**
 * Case folding, written once. Elasticsearch folds differently depending on
 * where a comparison runs:
 * - on an indexed field (term, wildcard, prefix and regexp queries with
 *   `case_insensitive`), Lucene folds only ASCII letters;
 * - in a script (a function result on the left), `:` and the `~` functions
 *   fold with Java's Unicode-aware `toLowerCase`.
 * The compiler picks one of these per comparison; nothing else folds case.
 */

export type CaseFolding = 'none' | 'ascii' | 'unicode';

const HAS_ASCII_UPPER = /[A-Z]/;
const HAS_NON_ASCII = /[^\x00-\x7f]/;

/** Lower-cases A–Z only, as Lucene's case-insensitive queries do. */
export function foldAscii(s: string): string {
  if (!HAS_ASCII_UPPER.test(s)) return s;
  // On ASCII text the native lower-casing does exactly this, several times faster.
  if (!HAS_NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** Unicode lower-casing, as Java's `toLowerCase(Locale.ROOT)`. */
export function foldUnicode(s: string): string {
  return s.toLowerCase();
}

const IDENTITY = (s: string): string => s;

/** The folding function for a mode. */
export function folder(mode: CaseFolding): (s: string) => string {
  return mode === 'ascii' ? foldAscii : mode === 'unicode' ? foldUnicode : IDENTITY;
}
