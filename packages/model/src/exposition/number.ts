// Number syntax shared by both text formats: Go's strconv.ParseFloat grammar without the hex,
// underscore and base-prefix forms that expfmt rejects (text_parse_test.go: `0x1p-3`, `1_2`,
// `0b1` are errors), which is also the OpenMetrics ABNF `number`. Validated by one scan, then
// converted by `Number()` (which alone would accept `0x1`, `Infinity`, `''` and surrounding
// whitespace).

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Lower-cases an ASCII letter code. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function matchesIgnoreCase(s: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++)
    if (lower(s.charCodeAt(start + i)) !== word.charCodeAt(i)) return false;
  return true;
}

/** Does `s[start,end)` hold a plain decimal (sign, digits, point, exponent)? */
function isDecimal(s: string, start: number, end: number): boolean {
  let i = start;
  const first = s.charCodeAt(i);
  if (first === 0x2b || first === 0x2d) i++;
  let mantissaDigits = 0;
  while (i < end && isDigit(s.charCodeAt(i))) {
    i++;
    mantissaDigits++;
  }
  if (i < end && s.charCodeAt(i) === 0x2e) {
    i++;
    while (i < end && isDigit(s.charCodeAt(i))) {
      i++;
      mantissaDigits++;
    }
  }
  if (mantissaDigits === 0) return false;
  if (i < end && lower(s.charCodeAt(i)) === 0x65) {
    i++;
    const sign = s.charCodeAt(i);
    if (i < end && (sign === 0x2b || sign === 0x2d)) i++;
    let expDigits = 0;
    while (i < end && isDigit(s.charCodeAt(i))) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) return false;
  }
  return i === end;
}

/**
 * Parses `s[start,end)` as a float: decimals, `NaN`, and optionally signed `Inf`/`Infinity`
 * (case-insensitive, as Go's ParseFloat). Returns `undefined` for anything else.
 */
export function parseFloatToken(s: string, start = 0, end = s.length): number | undefined {
  if (start >= end) return undefined;
  if (isDecimal(s, start, end)) return Number(s.slice(start, end));
  let i = start;
  const c = s.charCodeAt(i);
  const negative = c === 0x2d;
  if (c === 0x2b || negative) i++;
  if (matchesIgnoreCase(s, i, end, 'inf') || matchesIgnoreCase(s, i, end, 'infinity'))
    return negative ? -Infinity : Infinity;
  if (i === start && matchesIgnoreCase(s, i, end, 'nan')) return NaN;
  return undefined;
}

/** Parses `s[start,end)` as an OpenMetrics realnumber (a decimal, never NaN or Inf). */
export function parseRealToken(s: string, start = 0, end = s.length): number | undefined {
  return start < end && isDecimal(s, start, end) ? Number(s.slice(start, end)) : undefined;
}

const INT64_MAX = '9223372036854775807';

/**
 * Parses `s[start,end)` as a base-10 int64 (Go's strconv.ParseInt(s, 10, 64)); values past
 * 2^53 lose precision as every JS number does. Returns `undefined` when malformed or out of range.
 */
export function parseIntToken(s: string, start = 0, end = s.length): number | undefined {
  let i = start;
  const c = s.charCodeAt(i);
  const negative = c === 0x2d;
  if (c === 0x2b || negative) i++;
  if (i >= end) return undefined;
  let firstNonZero = -1;
  for (let j = i; j < end; j++) {
    const d = s.charCodeAt(j);
    if (!isDigit(d)) return undefined;
    if (firstNonZero < 0 && d !== 0x30) firstNonZero = j;
  }
  if (firstNonZero >= 0) {
    const digits = end - firstNonZero;
    if (digits > 19) return undefined;
    if (digits === 19) {
      const limit = negative ? '9223372036854775808' : INT64_MAX;
      if (s.slice(firstNonZero, end) > limit) return undefined;
    }
  }
  return Number(s.slice(start, end));
}

/**
 * The canonical form of an `le` or `quantile` label value (`1` → `1.0`, `0.00001` → `1e-05`,
 * `+inf` → `+Inf`), or the value unchanged when it is not a number.
 */
export function canonicalBound(value: string, format: (v: number) => string): string {
  const v = parseFloatToken(value);
  return v === undefined ? value : format(v);
}
