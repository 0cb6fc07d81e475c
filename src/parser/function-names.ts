/**
 * Canonical spellings of EQL function names. Names match without regard to
 * case (`CONCAT` is `concat`); the AST stores the canonical spelling so that
 * printing and comparing queries is stable.
 */
const CANONICAL_NAMES = [
  // Elasticsearch EQL
  'add', 'between', 'cidrMatch', 'concat', 'divide', 'endsWith', 'indexOf', 'length', 'modulo', 'multiply',
  'number', 'startsWith', 'string', 'stringContains', 'substring', 'subtract',
  // Endgame EQL only: they parse, and the compiler rejects them
  'arrayContains', 'arrayCount', 'arraySearch', 'match', 'matchLite', 'safe', 'wildcard',
];

const BY_LOWER_CASE = new Map(CANONICAL_NAMES.map((n) => [n.toLowerCase(), n]));

/** The canonical spelling of a known function, or the name as written. */
export function canonicalFunctionName(written: string): string {
  return BY_LOWER_CASE.get(written.toLowerCase()) ?? written;
}
