/** Element-wise functions of one float (Prometheus `simpleFloatFunc`s); Go's math where JS differs. */
export const SIMPLE_FUNCTIONS: ReadonlyMap<string, (x: number) => number> = new Map<
  string,
  (x: number) => number
>([
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', Math.log2],
  ['log10', Math.log10],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['deg', (x) => (x * 180) / Math.PI],
  ['rad', (x) => (x * Math.PI) / 180],
  ['sgn', (x) => (x < 0 ? -1 : x > 0 ? 1 : x)],
]);

/** Go's `math.Floor(x*inv+0.5)/inv` rounding of `round(v, to_nearest)`. */
export function roundTo(x: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(x * inverse + 0.5) / inverse;
}
