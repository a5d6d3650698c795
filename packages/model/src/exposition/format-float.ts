/**
 * A float as the Prometheus text format writes it: Go's `strconv.FormatFloat(v, 'g', -1, 64)`
 * (shortest round-trip digits; exponent form when the decimal exponent is < -4 or >= 21 in JS
 * but >= 6 in Go, with at least two exponent digits: `1e-05`, `1.7560473e+06`), and Prometheus'
 * spellings `+Inf`, `-Inf`, `NaN`. `-0` keeps its sign, as Go's FormatFloat does.
 */
export function formatFloat(v: number): string {
  // Fast path: small integers print the same in JS and Go.
  if (Number.isInteger(v) && v < 1e6 && v > -1e6) return v === 0 && 1 / v < 0 ? '-0' : String(v);
  if (v !== v) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const abs = v < 0 ? -v : v;
  // Between 1e-4 and 1e6 Go uses plain decimal notation; so does JS's ToString, with the same digits.
  if (abs >= 1e-4 && abs < 1e6) return String(v);
  return goExponent(v.toExponential());
}

/** `1.5e+6` → `1.5e+06`, `1e-7` → `1e-07` (Go pads the exponent to two digits). */
function goExponent(js: string): string {
  const e = js.indexOf('e');
  const digits = js.length - e - 2;
  if (digits >= 2) return js;
  return `${js.slice(0, e + 2)}0${js.slice(e + 2)}`;
}

/**
 * A float as OpenMetrics writes it (prometheus/common `writeOpenMetricsFloat`, Python's client):
 * Go's format plus `.0` when the result has neither `.` nor an exponent, so integers read as
 * floats: `1.0`, `0.0`, `100.0`, `1e-05`, `+Inf`. This is also the canonical form of `le` and
 * `quantile` label values.
 */
export function formatOpenMetricsFloat(v: number): string {
  if (Number.isInteger(v) && v < 1e6 && v > -1e6) return v === 0 && 1 / v < 0 ? '-0.0' : `${v}.0`;
  const s = formatFloat(v);
  if (v !== v || v === Infinity || v === -Infinity) return s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x65 /* e */) return s;
  }
  return `${s}.0`;
}
