import { isValidLabelName } from '@tally/model';
import { HttpError } from '../../http/http-error.js';

/** A Pushgateway grouping key: `job` plus the URL's label pairs. */
export type GroupingKey = Readonly<Record<string, string>>;

const bad = (msg: string): HttpError => new HttpError(400, 'bad_data', msg, {}, true);

/**
 * Decodes a `@base64` value: RFC 4648 URL-safe alphabet, trailing `=` padding optional (the
 * Pushgateway strips it first, so `=` alone is the empty string).
 */
function decodeBase64(value: string, name: string): string {
  const stripped = value.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(stripped) || stripped.length % 4 === 1) {
    throw bad(`invalid base64 encoding for label ${name}: ${JSON.stringify(value)}`);
  }
  return Buffer.from(stripped, 'base64url').toString('utf8');
}

function labelName(raw: string): { name: string; base64: boolean } {
  return raw.endsWith('@base64') ? { name: raw.slice(0, -7), base64: true } : { name: raw, base64: false };
}

/**
 * Parses `/metrics/job/<job>{/<label>/<value>}` after the router's percent-decoding: the part
 * after `/metrics/` as `job/<job>/…`. Label names must be valid and not reserved (`__`), an odd
 * number of segments (a `/` inside a value) is an error, like the Pushgateway's `splitLabels`.
 */
export function parseGroupingKey(rest: string): GroupingKey {
  // Go's router cleans the path first: `//` becomes `/` (so an empty value shifts the pairs).
  const parts = rest.replace(/\/{2,}/g, '/').split('/');
  if (parts.length < 2 || parts.length % 2 !== 0) {
    throw bad(
      `invalid grouping key path /metrics/${rest}: expected job/<job>{/<label>/<value>}, with "/" in values encoded as @base64`,
    );
  }
  const first = labelName(parts[0]!);
  if (first.name !== 'job')
    throw bad(`the grouping key must start with job, got ${JSON.stringify(parts[0])}`);
  const key: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < parts.length; i += 2) {
    const { name, base64 } = labelName(parts[i]!);
    const raw = parts[i + 1]!;
    if (!isValidLabelName(name) || name.startsWith('__'))
      throw bad(`improper label name ${JSON.stringify(name)}`);
    if (name in key) throw bad(`duplicate label name ${JSON.stringify(name)} in the grouping key`);
    key[name] = base64 ? decodeBase64(raw, name) : raw;
  }
  if (!key.job) throw bad('job name is required');
  return key;
}

/** A canonical string for a grouping key (sorted names, length-prefixed like labelsKey). */
export function groupingKeyId(key: GroupingKey): string {
  let out = '';
  for (const name of Object.keys(key).sort())
    out += `${name.length}:${name}${key[name]!.length}:${key[name]!}`;
  return out;
}
