/**
 * Bad exposition input: which line and column (both 1-based; the column counts UTF-16 code
 * units, i.e. characters for text without astral symbols) and what was wrong there. The message
 * reads `line 3, column 12: expected '=' after label name "foo", found "+"`.
 */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** `"a\nb"` — a value quoted for an error message. */
export function quote(s: string): string {
  return JSON.stringify(s);
}
