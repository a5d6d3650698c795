/** Token kinds of the PromQL lexer. Keywords arrive as `IDENT` and the parser reads their text. */
export type TokenKind =
  | 'EOF'
  | 'IDENT'
  | 'METRIC_IDENT'
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | 'LPAREN'
  | 'RPAREN'
  | 'LBRACE'
  | 'RBRACE'
  | 'LBRACKET'
  | 'RBRACKET'
  | 'COMMA'
  | 'COLON'
  | 'AT'
  | 'OP';

export interface Token {
  readonly kind: TokenKind;
  /** The raw text (for STRING: the unquoted value). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Aggregation operators (keywords, case-insensitive as in Prometheus). */
export const AGGREGATORS = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);

export const AGGREGATORS_WITH_PARAM = new Set([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** Binary operators by precedence (higher binds tighter); `^` is right-associative. */
export const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

export const COMPARISON_OPERATORS = new Set(['==', '!=', '<=', '<', '>=', '>']);
export const SET_OPERATORS = new Set(['and', 'or', 'unless']);

/** Keywords that are never a function name or a metric name where the grammar expects an operator. */
export const KEYWORDS = new Set([
  ...AGGREGATORS,
  'and',
  'or',
  'unless',
  'atan2',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'start',
  'end',
  'inf',
  'nan',
]);
