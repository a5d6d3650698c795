const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
};
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * Prometheus `model.ParseDuration`: units y w d h m s ms, each at most once, largest first
 * (`1h30m`). Returns milliseconds, or undefined when the text is not a duration.
 */
export function parsePromDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+)(ms|[ywdhms])/gy;
  let total = 0;
  let lastUnit = -1;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const unit = ORDER.indexOf(m[2]!);
    if (unit <= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== text.length || lastUnit < 0) return undefined;
  if (!Number.isSafeInteger(total)) return undefined;
  return total;
}

/** Prometheus `model.Duration.String()`: `1h30m`, `5m`, `90d` (years and weeks only when exact), `0s`. */
export function formatPromDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const unit = (name: string, mult: number, exact: boolean): void => {
    if (exact && rest % mult !== 0) return;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${name}`;
      rest -= v * mult;
    }
  };
  unit('y', UNIT_MS.y!, true);
  unit('w', UNIT_MS.w!, true);
  unit('d', UNIT_MS.d!, false);
  unit('h', UNIT_MS.h!, false);
  unit('m', UNIT_MS.m!, false);
  unit('s', UNIT_MS.s!, false);
  unit('ms', 1, false);
  return out;
}
