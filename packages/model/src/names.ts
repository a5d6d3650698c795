/** Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*` (the legacy, unquoted form). */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`; `__`-prefixed names are reserved. */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/**
 * The seed's rule for job ids and declared custom metric names: only `a-z`, `A-Z`, `0-9`,
 * `_` and `-`. A name with `-` is valid here but not as an unquoted Prometheus name; Tally
 * stores it unchanged and PromQL reaches it with Prometheus 3's quoted form `{"my-metric"}`.
 */
export const SEED_NAME_RE = /^[A-Za-z0-9_-]+$/;
export const SEED_NAME_RULE = 'only letters a-z and A-Z, digits 0-9, "_" and "-", at least one character';

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

export function isSeedName(name: string): boolean {
  return SEED_NAME_RE.test(name);
}

/** Every name in `names` that breaks the seed rule, each with the reason. */
export function invalidSeedNames(names: readonly string[]): { name: string; reason: string }[] {
  const bad: { name: string; reason: string }[] = [];
  for (const name of names) {
    if (name === '') bad.push({ name, reason: 'empty name' });
    else if (!SEED_NAME_RE.test(name)) {
      const chars = [...new Set(Array.from(name).filter((c) => !/[A-Za-z0-9_-]/.test(c)))];
      bad.push({
        name,
        reason: `invalid character${chars.length > 1 ? 's' : ''} ${chars.map((c) => JSON.stringify(c)).join(' ')}`,
      });
    }
  }
  return bad;
}
