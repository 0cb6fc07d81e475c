import { describe, expect, it } from 'vitest';
import { EqlGrammar } from '../../src/parser/grammar.js';
import { createEqlLexer } from '../../src/parser/tokens.js';

// The parser in use skips chevrotain's checks of its own definitions, to start faster; they run here.
describe('the grammar and token definitions', () => {
  it('pass chevrotain’s grammar checks (no ambiguous alternatives, no left recursion)', () => {
    expect(() => new EqlGrammar(true)).not.toThrow();
  });

  it('pass chevrotain’s lexer checks, with the first-character optimizations in effect', () => {
    const lexer = createEqlLexer(true);
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(lexer.tokenize('process where process.name : "a*" and x in (1, 2)').errors).toEqual([]);
  });
});
