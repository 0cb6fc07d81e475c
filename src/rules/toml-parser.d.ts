// The parts of @iarna/toml's internal parser class that toml.ts builds on (the
// package publishes types only for its top-level functions).
declare module '@iarna/toml/lib/toml-parser.js' {
  class TOMLParser {
    /** The text being parsed; null once parse() is done. */
    _buf: string | null;
    /** Index in `_buf` of the current character. */
    ii: number;
    /** The current character as a code point; `END` past the end of the text. */
    char: number | undefined;
    pos: number;
    line: number;
    col: number;
    state: { buf: string };
    parse(text: string): void;
    finish(): unknown;
    parseBasicString(): unknown;
    parseLiteralString(): unknown;
    parseMultiStringContent(): unknown;
    parseLiteralMultiStringContent(): unknown;
  }
  export default TOMLParser;
}
