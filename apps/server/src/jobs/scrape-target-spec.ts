import { badData } from '../http/http-error.js';

/**
 * A scrape target as a job declares it (`POST /api/v1/jobs` `scrapeTargets`), with the
 * defaults filled in: Prometheus' 15 s interval and 10 s timeout (at most the interval).
 */
export interface ScrapeTargetSpec {
  readonly url: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly honorLabels: boolean;
}

const KEYS = ['url', 'intervalSeconds', 'timeoutSeconds', 'honorLabels'];
/** More targets than this on one job is a mistake, not a deployment (each is a loop). */
export const MAX_SCRAPE_TARGETS_PER_JOB = 1000;

/**
 * Checks `scrapeTargets`; every problem of every target is listed in one 400 answer
 * (`scrapeTargets[1].timeoutSeconds: …`). Duplicate URLs are refused: a target is its URL.
 */
export function parseScrapeTargets(raw: unknown): ScrapeTargetSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw badData(
      '"scrapeTargets" must be an array of { url, intervalSeconds?, timeoutSeconds?, honorLabels? }',
    );
  if (raw.length > MAX_SCRAPE_TARGETS_PER_JOB)
    throw badData(`"scrapeTargets" has ${raw.length} targets; at most ${MAX_SCRAPE_TARGETS_PER_JOB} per job`);
  const problems: string[] = [];
  const out: ScrapeTargetSpec[] = [];
  const seen = new Set<string>();
  raw.forEach((t: unknown, i) => {
    const at = `scrapeTargets[${i}]`;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) {
      problems.push(`${at}: expected an object with "url"`);
      return;
    }
    const o = t as Record<string, unknown>;
    const before = problems.length;
    for (const k of Object.keys(o))
      if (!KEYS.includes(k)) problems.push(`${at}: unknown key ${JSON.stringify(k)}`);
    let url = '';
    if (typeof o.url !== 'string') problems.push(`${at}.url: required, a string`);
    else {
      try {
        const u = new URL(o.url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
          problems.push(`${at}.url: must be http or https, got ${u.protocol}`);
        else if (u.username || u.password)
          problems.push(`${at}.url: credentials in the URL are not supported`);
        url = u.toString();
      } catch {
        problems.push(`${at}.url: ${JSON.stringify(o.url)} is not a URL`);
      }
    }
    const seconds = (key: 'intervalSeconds' | 'timeoutSeconds', min: number): number | undefined => {
      const v = o[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
        problems.push(`${at}.${key}: must be a number of seconds, at least ${min}`);
        return undefined;
      }
      return v;
    };
    const intervalSeconds = seconds('intervalSeconds', 0.1) ?? 15;
    const timeoutSeconds = seconds('timeoutSeconds', 0.001) ?? Math.min(10, intervalSeconds);
    if (timeoutSeconds > intervalSeconds)
      problems.push(
        `${at}.timeoutSeconds: ${timeoutSeconds} is longer than intervalSeconds ${intervalSeconds}`,
      );
    if (o.honorLabels !== undefined && typeof o.honorLabels !== 'boolean')
      problems.push(`${at}.honorLabels: must be true or false`);
    if (url !== '' && seen.has(url)) problems.push(`${at}.url: ${url} is listed twice`);
    seen.add(url);
    if (problems.length === before)
      out.push({ url, intervalSeconds, timeoutSeconds, honorLabels: o.honorLabels === true });
  });
  if (problems.length > 0)
    throw badData(`invalid scrape target${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`, {
      problems,
    });
  return out;
}
