/** Counts in words, for people: "1 alert", "2 alerts", "1 match", "3 matches". */

/**
 * `n word` with the word in the plural unless n is 1. The regular English
 * plural is guessed (match → matches, entry → entries); pass `words` for any
 * other. Numbers are printed plainly, so that scripts reading the summary keep
 * matching `\d+ alerts`.
 */
export function plural(n: number, word: string, words?: string): string {
  return `${n} ${n === 1 ? word : (words ?? pluralOf(word))}`;
}

function pluralOf(word: string): string {
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
