// The seed rule for job ids and declared metric names: only a-z, A-Z, 0-9, '_' and '-'
// ("If any other characters are used you will receive an error when submitting the job").
// The server enforces the same rule; the UI checks first so people see every bad name at once.

export const SEED_NAME_RE = /^[A-Za-z0-9_-]+$/;

export interface NameProblem {
  readonly name: string;
  readonly reason: string;
}

/** Why `name` breaks the seed rule, or undefined when it is fine. */
export function seedNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (SEED_NAME_RE.test(name)) return undefined;
  const bad = [...new Set(Array.from(name).filter((c) => !/[A-Za-z0-9_-]/.test(c)))];
  const shown = bad.map((c) => (c === ' ' ? 'space' : /\s/.test(c) ? JSON.stringify(c) : `'${c}'`));
  return `contains ${shown.join(', ')}: only letters, digits, '_' and '-' are allowed`;
}

/**
 * Splits the metrics field into names at commas and new lines (not at spaces: "top-5 accuracy"
 * is one bad name to report, not two good ones).
 */
export function splitMetricNames(text: string): string[] {
  return text
    .split(/[,\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Every problem in a submission: the job name, each bad metric name, duplicates. */
export function validateJobForm(
  name: string,
  metrics: readonly string[],
): {
  readonly jobName?: string;
  readonly metrics: readonly NameProblem[];
} {
  const jobName = seedNameProblem(name.trim());
  const problems: NameProblem[] = [];
  const seen = new Set<string>();
  for (const m of metrics) {
    const reason = seedNameProblem(m);
    if (reason) problems.push({ name: m, reason });
    else if (seen.has(m)) problems.push({ name: m, reason: 'is declared twice' });
    seen.add(m);
  }
  return jobName ? { jobName, metrics: problems } : { metrics: problems };
}
