import type { Token, TokenKind } from './token.js';
import { unquoteString } from './unquote.js';

/** A lexing failure at `start..end`; the parser turns it into a {@link PromQLParseError}. */
export class LexError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isAlnum = (c: string | undefined): boolean => isAlpha(c) || isDigit(c);
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

const SINGLE: Readonly<Record<string, TokenKind>> = {
  '(': 'LPAREN',
  ')': 'RPAREN',
  '{': 'LBRACE',
  '}': 'RBRACE',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ',': 'COMMA',
  ':': 'COLON',
  '@': 'AT',
};

/**
 * Splits a query into tokens. Comments (`# …`) are dropped. Numbers followed by a unit
 * (`5m`, `1h30m`) become DURATION tokens, as in Prometheus's lexer.
 */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string, start: number): void => {
    tokens.push({ kind, text, start, end: i });
  };
  let bracketDepth = 0;
  while (i < input.length) {
    const c = input[i]!;
    const start = i;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const single = SINGLE[c];
    if (single !== undefined) {
      i++;
      if (c === '[') bracketDepth++;
      if (c === ']') bracketDepth--;
      push(single, c, start);
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < input.length && input[i] !== c) {
        if (input[i] === '\\' && c !== '`') i++;
        else if (input[i] === '\n' && c !== '`') break;
        i++;
      }
      if (i >= input.length || input[i] !== c)
        throw new LexError('unterminated quoted string', start, input.length);
      i++;
      const raw = input.slice(start, i);
      const un = unquoteString(raw);
      if ('error' in un) throw new LexError(un.error, start, i);
      push('STRING', un.value, start);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(input[i + 1]))) {
      lexNumberOrDuration(input, start, tokens, bracketDepth > 0);
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if (isAlpha(c)) {
      let metric = false;
      while (i < input.length && (isAlnum(input[i]) || input[i] === ':')) {
        // Inside brackets a `:` separates a subquery range from its step (`x[5m:1m]`).
        if (input[i] === ':') {
          if (bracketDepth > 0) break;
          metric = true;
        }
        i++;
      }
      push(metric ? 'METRIC_IDENT' : 'IDENT', input.slice(start, i), start);
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '=~' || two === '!~') {
      i += 2;
      push('OP', two, start);
      continue;
    }
    if ('+-*/%^<>='.includes(c)) {
      i++;
      push('OP', c, start);
      continue;
    }
    if (c === '!')
      throw new LexError("unexpected character after '!': " + (input[i + 1] ?? 'end of input'), start, i + 1);
    throw new LexError(`unexpected character: ${JSON.stringify(c)}`, start, i + 1);
  }
  tokens.push({ kind: 'EOF', text: '', start: input.length, end: input.length });
  return tokens;
}

function lexNumberOrDuration(input: string, start: number, tokens: Token[], inBrackets: boolean): void {
  let i = start;
  // Durations: one or more <digits><unit> groups.
  const dur = /^(?:\d+(?:ms|[smhdwy]))+/.exec(input.slice(start));
  if (dur && !isAlnum(input[start + dur[0].length])) {
    tokens.push({ kind: 'DURATION', text: dur[0], start, end: start + dur[0].length });
    return;
  }
  if (input[i] === '0' && (input[i + 1] === 'x' || input[i + 1] === 'X')) {
    i += 2;
    while (/[0-9a-fA-F_]/.test(input[i] ?? '')) i++;
  } else {
    while (isDigit(input[i]) || input[i] === '_') i++;
    if (input[i] === '.') {
      i++;
      while (isDigit(input[i]) || input[i] === '_') i++;
    }
    if (input[i] === 'e' || input[i] === 'E') {
      const save = i;
      i++;
      if (input[i] === '+' || input[i] === '-') i++;
      if (!isDigit(input[i])) i = save;
      while (isDigit(input[i])) i++;
    }
  }
  // A number glued to letters (`1a`, `5mm`) is neither a number nor a duration.
  if (isAlpha(input[i]) || (input[i] === ':' && !inBrackets)) {
    let j = i;
    while (isAlnum(input[j])) j++;
    throw new LexError(`bad number or duration syntax: ${JSON.stringify(input.slice(start, j))}`, start, j);
  }
  tokens.push({ kind: 'NUMBER', text: input.slice(start, i), start, end: i });
}
