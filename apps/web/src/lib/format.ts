// Number, time and duration formatting for axes, legends and tables.

/** A compact, exact-enough number: 0.000123 → "1.23e-4", 1234567 → "1.23M", 42 → "42". */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-3) return v.toExponential(2).replace('e+', 'e');
  if (a >= 1e4) {
    const units: [number, string][] = [
      [1e12, 'T'],
      [1e9, 'G'],
      [1e6, 'M'],
      [1e3, 'k'],
    ];
    for (const [size, suffix] of units) {
      if (a >= size) return `${trimZeros((v / size).toPrecision(3))}${suffix}`;
    }
  }
  if (Number.isInteger(v)) return String(v);
  return trimZeros(v.toPrecision(4));
}

function trimZeros(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** Full precision for tables and exports (what was stored, not rounded). */
export function formatExact(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** 3725 → "1h 2m 5s"; 0.5 → "0.5s". */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 60) return `${sign}${trimZeros(s.toFixed(s < 10 && !Number.isInteger(s) ? 1 : 0))}s`;
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s = Math.round(s - m * 60);
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s && !d) parts.push(`${s}s`);
  return sign + parts.slice(0, 2).join(' ');
}

/** "12s ago", "3m ago", "2h ago", "4d ago". */
export function formatAgo(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 5) return 'just now';
  return `${formatDuration(s).split(' ')[0]} ago`;
}

/** Local wall time "2026-11-22 01:02:03". */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
