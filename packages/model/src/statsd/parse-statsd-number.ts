/**
 * StatsD values and sample rates: decimal numbers as Go's `strconv.ParseFloat` reads them
 * (`1`, `-1.5`, `.5`, `5.`, `1e3`, `+2E-3`). Returns NaN for anything else. Unlike Go, hex floats
 * are refused and so are `Inf`, `NaN` and out-of-range values: a non-finite counter increment or
 * gauge would poison every later sum, so they are reported as malformed instead.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseStatsdNumber(text: string): number {
  if (!DECIMAL.test(text)) return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}
