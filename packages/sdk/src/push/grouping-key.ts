/**
 * The Pushgateway URL path of a group: `/metrics/job/<job>{/<label>/<value>}`. A value is sent
 * as `<label>@base64/<value in URL-safe base64>` when it could not travel as a path segment:
 * it contains `/`, it is empty (written `=`, as the Pushgateway README shows), or it is `.` or
 * `..` (URL parsers resolve those as dot segments, even percent-encoded). Everything else is
 * percent-encoded. prom-client writes `%2F` and `/k//` here instead, which the Pushgateway
 * refuses or misreads.
 */
export type GroupingKey = Readonly<Record<string, string | number>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class GroupingKeyError extends Error {
  override readonly name = 'GroupingKeyError';
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/') || value === '.' || value === '..') return `${name}@base64/${base64Url(value)}`;
  try {
    return `${name}/${encodeURIComponent(value)}`;
  } catch {
    throw new GroupingKeyError(`Pushgateway: the value of ${name} is not valid Unicode (a lone surrogate)`);
  }
}

/** The path for `job` and `groupingKey`, or a GroupingKeyError naming what is wrong. */
export function groupingKeyPath(job: string, groupingKey: GroupingKey = {}): string {
  if (typeof job !== 'string' || job === '')
    throw new GroupingKeyError('Pushgateway: the job name must not be empty');
  let path = `/metrics/${segment('job', job)}`;
  for (const [name, raw] of Object.entries(groupingKey)) {
    if (name === 'job') {
      throw new GroupingKeyError(
        'Pushgateway: "job" is the job name; it cannot also be a grouping-key label',
      );
    }
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new GroupingKeyError(
        `Pushgateway: grouping-key label name ${JSON.stringify(name)} is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading "__")`,
      );
    }
    const value = String(raw);
    path += '/' + segment(name, value);
  }
  return path;
}
