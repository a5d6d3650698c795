import { ExpositionParseError, quote } from './parse-error.js';

export const SPACE = 0x20;
export const TAB = 0x09;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const HASH = 0x23;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;

export function isNameStart(c: number, allowColon: boolean): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (allowColon && c === 0x3a);
}

export function isNameChar(c: number, allowColon: boolean): boolean {
  return isNameStart(c, allowColon) || (c >= 0x30 && c <= 0x39);
}

/** What to do with a backslash escape other than `\\`, `\"` and `\n`. */
export type UnknownEscape = 'error' | 'keep';

/**
 * A position inside one line of the input, with the primitives both format parsers share. One
 * cursor is reused for every line (no allocation per line); `fail` throws an
 * {@link ExpositionParseError} at the current or a given position.
 */
export class LineCursor {
  text = '';
  pos = 0;
  /** Index of the line's `\n` (or the end of the text). */
  end = 0;
  lineStart = 0;
  line = 0;

  reset(text: string, start: number, end: number, line: number): void {
    this.text = text;
    this.pos = start;
    this.lineStart = start;
    this.end = end;
    this.line = line;
  }

  fail(reason: string, at = this.pos): never {
    throw new ExpositionParseError(reason, this.line, at - this.lineStart + 1);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The current code unit, or -1 at the end of the line. */
  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  skipBlanks(): void {
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SPACE && c !== TAB) return;
      this.pos++;
    }
  }

  /** A legacy name `[a-zA-Z_:][a-zA-Z0-9_:]*` (no colon for label names); '' if none starts here. */
  readName(allowColon: boolean): string {
    const start = this.pos;
    if (start >= this.end || !isNameStart(this.text.charCodeAt(start), allowColon)) return '';
    let i = start + 1;
    while (i < this.end && isNameChar(this.text.charCodeAt(i), allowColon)) i++;
    this.pos = i;
    return this.text.slice(start, i);
  }

  /**
   * {@link readName}, returning `previous` itself when the same name is written here again —
   * consecutive lines mostly repeat metric and label names, and sharing one string saves an
   * allocation per line and memory in the parsed families.
   */
  readNameLike(allowColon: boolean, previous: string | undefined): string {
    if (previous !== undefined && previous !== '' && this.text.startsWith(previous, this.pos)) {
      const after = this.pos + previous.length;
      if (after <= this.end && (after === this.end || !isNameChar(this.text.charCodeAt(after), allowColon))) {
        this.pos = after;
        return previous;
      }
    }
    return this.readName(allowColon);
  }

  /** Reads up to the next blank, tab or the end of the line. */
  readToken(): string {
    const start = this.pos;
    this.skipToken();
    return this.text.slice(start, this.pos);
  }

  /** Moves past a token (up to the next blank, tab or the end of the line) without copying it. */
  skipToken(): void {
    let i = this.pos;
    while (i < this.end) {
      const c = this.text.charCodeAt(i);
      if (c === SPACE || c === TAB) break;
      i++;
    }
    this.pos = i;
  }

  /**
   * {@link readQuoted} for a label value, returning `previous` itself when the same value is
   * written here again. `previous` must have been read without escapes (see
   * {@link lastQuotedWasPlain}), so its raw and read forms are the same characters.
   */
  readQuotedLike(what: string, unknownEscape: UnknownEscape, previous: string | undefined): string {
    if (previous !== undefined) {
      const start = this.pos + 1;
      const close = start + previous.length;
      if (
        close < this.end &&
        this.text.charCodeAt(close) === QUOTE &&
        this.text.startsWith(previous, start)
      ) {
        this.pos = close + 1;
        return previous;
      }
    }
    return this.readQuoted(what, unknownEscape);
  }

  /** Whether the quoted string just read had no escapes (its text is the raw characters). */
  lastQuotedWasPlain(start: number, value: string): boolean {
    return this.pos - start - 2 === value.length;
  }

  /**
   * Reads a double-quoted string starting at the opening quote and returns it unescaped;
   * `what` names it in errors ("label value", "metric name", "label name").
   */
  readQuoted(what: string, unknownEscape: UnknownEscape): string {
    const s = this.text;
    const start = this.pos + 1;
    let i = start;
    // Fast path: no escapes.
    while (i < this.end) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return s.slice(start, i);
      }
      if (c === BACKSLASH) break;
      i++;
    }
    let out = '';
    let from = start;
    while (i < this.end) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + s.slice(from, i);
      }
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      const next = i + 1 < this.end ? s.charCodeAt(i + 1) : -1;
      if (next === -1) break;
      out += s.slice(from, i);
      if (next === BACKSLASH) out += '\\';
      else if (next === QUOTE) out += '"';
      else if (next === 0x6e /* n */) out += '\n';
      else if (unknownEscape === 'keep') out += s.slice(i, i + 2);
      else this.fail(`invalid escape sequence ${quote(`\\${s[i + 1]!}`)} in ${what}`, i);
      i += 2;
      from = i;
    }
    out += s.slice(from, i);
    this.pos = this.end;
    return this.fail(`${what} ${quote(out)} contains unescaped new-line`);
  }

  /**
   * The rest of the line as HELP text, unescaping `\\`, `\n` and `\"`. Other escapes are an
   * error in the text format (`'error'`, expfmt) and kept as written in OpenMetrics (`'keep'`,
   * as Python's reference parser does).
   */
  readHelpText(unknownEscape: UnknownEscape): string {
    const s = this.text;
    const start = this.pos;
    let i = start;
    while (i < this.end && s.charCodeAt(i) !== BACKSLASH) i++;
    if (i >= this.end) return this.rest();
    let out = '';
    let from = start;
    while (i < this.end) {
      if (s.charCodeAt(i) !== BACKSLASH) {
        i++;
        continue;
      }
      const next = i + 1 < this.end ? s.charCodeAt(i + 1) : -1;
      out += s.slice(from, i);
      if (next === BACKSLASH) out += '\\';
      else if (next === QUOTE) out += '"';
      else if (next === 0x6e /* n */) out += '\n';
      else if (unknownEscape === 'keep') out += next === -1 ? '\\' : s.slice(i, i + 2);
      else
        this.fail(
          `invalid escape sequence ${quote(next === -1 ? '\\\n' : `\\${s[i + 1]!}`)} in HELP text`,
          i,
        );
      i += 2;
      from = i;
    }
    this.pos = this.end;
    return out + s.slice(from, this.end);
  }

  /** The rest of the line as a string. */
  rest(): string {
    const r = this.text.slice(this.pos, this.end);
    this.pos = this.end;
    return r;
  }
}
