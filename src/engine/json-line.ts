/**
 * One line of NDJSON, as every reader of event text takes it: a trailing
 * carriage return is dropped, a blank line holds no event, and text that is
 * not JSON gets one reason, worded the same wherever it is reported.
 */

/** JSON text's value, or the reason it is not JSON. */
export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

// A line that starts an object is not blank; only other lines need the (copying) trim.
export const isBlankLine = (text: string): boolean => text.charCodeAt(0) !== 123 && text.trim() === '';

/** Drops the carriage return of a CRLF line end. */
export const withoutCarriageReturn = (line: string): string => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);

/** Parses JSON text, giving the reason instead of throwing. */
export function parseJsonText(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: `not valid JSON: ${(e as Error).message}` };
  }
}

/** Parses one NDJSON line (see the module comment); null for a blank line. */
export function parseJsonLine(line: string): ParsedJson | null {
  const text = withoutCarriageReturn(line);
  return isBlankLine(text) ? null : parseJsonText(text);
}
