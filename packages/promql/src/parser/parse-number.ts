/**
 * A PromQL number literal's value: decimal, `0x` hex, octal-looking decimals as Go's
 * `strconv.ParseInt(s, 0, 64)` then `ParseFloat` would read them, `Inf`, `NaN`.
 */
export function parseNumberLiteral(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  const clean = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return parseInt(clean.slice(2), 16);
  // Go's ParseInt with base 0 reads a leading 0 as octal.
  if (/^0[0-7]+$/.test(clean)) return parseInt(clean.slice(1), 8);
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean)) return undefined;
  return Number(clean);
}
