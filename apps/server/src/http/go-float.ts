/**
 * A sample value as Prometheus' JSON API writes it (jsonutil.MarshalFloat: Go's
 * `strconv.FormatFloat` with 'e' below 1e-6 and from 1e21, 'f' between): `+Inf`, `-Inf`,
 * `NaN`, `1e-07`. JavaScript's shortest round-trip form switches notation at the same
 * bounds; only the exponent needs Go's two-digit minimum.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  const e = s.indexOf('e');
  if (e === -1) return s;
  const sign = s[e + 1] === '-' ? '-' : '+';
  const digits = s.slice(e + 1).replace(/^[+-]/, '');
  return `${s.slice(0, e)}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
}
