import type { Token } from './token.js';

export const KIND_NAMES: Readonly<Record<Token['kind'], string>> = {
  EOF: 'end of input',
  IDENT: 'identifier',
  METRIC_IDENT: 'metric identifier',
  NUMBER: 'number',
  DURATION: 'duration',
  STRING: 'string',
  LPAREN: '"("',
  RPAREN: '")"',
  LBRACE: '"{"',
  RBRACE: '"}"',
  LBRACKET: '"["',
  RBRACKET: '"]"',
  COMMA: '","',
  COLON: '":"',
  AT: '"@"',
  OP: 'operator',
};

/** How Prometheus names an unexpected token in a message. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return 'end of input';
    case 'IDENT':
    case 'METRIC_IDENT':
    case 'NUMBER':
    case 'DURATION':
      return `${KIND_NAMES[t.kind]} ${JSON.stringify(t.text)}`;
    case 'STRING':
      return `string ${JSON.stringify(t.text)}`;
    default:
      return JSON.stringify(t.text);
  }
}
