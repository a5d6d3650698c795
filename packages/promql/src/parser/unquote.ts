/**
 * Go's `strconv.Unquote` for PromQL string literals: `"…"` and `'…'` with Go escapes, raw
 * `` `…` `` without. Returns the value, or an error message.
 */
export function unquoteString(raw: string): { value: string } | { error: string } {
  const quote = raw[0];
  if (quote === '`') return { value: raw.slice(1, -1) };
  let out = '';
  // Go strings are bytes: `\xff` and octal escapes add raw bytes, decoded as UTF-8 together.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += decoder.decode(new Uint8Array(bytes));
    bytes = [];
  };
  const end = raw.length - 1;
  for (let i = 1; i < end; i++) {
    const c = raw[i]!;
    if (c !== '\\' || (raw[i + 1] !== 'x' && !/[0-7]/.test(raw[i + 1] ?? ''))) flush();
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== quote) return { error: `invalid escape sequence \\${e}` };
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex))
          return { error: `invalid escape sequence \\${e}` };
        const code = parseInt(hex, 16);
        if (e === 'x') {
          bytes.push(code);
          i += n;
          break;
        }
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))
          return { error: 'invalid unicode code point' };
        out += String.fromCodePoint(code);
        i += n;
        break;
      }
      default:
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = raw.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) return { error: `invalid escape sequence \\${e}` };
          const code = parseInt(oct, 8);
          if (code > 255) return { error: 'invalid octal escape' };
          bytes.push(code);
          i += 2;
          break;
        }
        return { error: `unknown escape sequence \\${e ?? ''}` };
    }
  }
  flush();
  return { value: out };
}

const decoder = new TextDecoder('utf-8');

/** Go's `strconv.Quote` for printing: `"…"` with Go escapes, printable Unicode kept. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
