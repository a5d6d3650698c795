// Grouping-key URLs as the Pushgateway reads them: ../shared/corpora/pushgateway/url_grouping_keys.json
// (its README paths), decoded here by the Pushgateway's documented rules.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupingKeyError, groupingKeyPath } from '../src/push/grouping-key.js';

/** The Pushgateway's decoding (handler/handler.go splitLabels, README "URL"), over a path as URL parsers see it. */
function decode(path: string): Record<string, string> {
  const pathname = new URL(`http://pgw${path}`).pathname; // what a client library really sends
  const parts = pathname.split('/').slice(2); // drop '' and 'metrics'
  if (parts.length % 2 !== 0) throw new Error(`odd number of path components in ${pathname}`);
  const key: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) {
    let name = parts[i]!;
    let value = decodeURIComponent(parts[i + 1]!);
    if (name.endsWith('@base64')) {
      name = name.slice(0, -'@base64'.length);
      value = Buffer.from(value.replace(/=+$/, ''), 'base64url').toString('utf8');
    }
    key[name] = value;
  }
  return key;
}

interface ReadmePath {
  path: string;
  grouping_key: Record<string, string> | string;
  flags?: string;
}
const corpusPath =
  process.env.TALLY_CORPORA !== undefined
    ? `${process.env.TALLY_CORPORA}/pushgateway/url_grouping_keys.json`
    : fileURLToPath(
        new URL('../../../../shared/corpora/pushgateway/url_grouping_keys.json', import.meta.url),
      );
const available = existsSync(corpusPath);
if (!available && process.env.CI === 'true') throw new Error(`Pushgateway corpus not found at ${corpusPath}`);
const readmePaths: ReadmePath[] = available
  ? (JSON.parse(readFileSync(corpusPath, 'utf8')) as { readme_paths: ReadmePath[] }).readme_paths
  : [];
// Without --push.enable-utf8-names (Tally's client sends legacy label names only).
const plainCases = readmePaths.filter(
  (c): c is ReadmePath & { grouping_key: Record<string, string> } =>
    typeof c.grouping_key === 'object' && c.flags === undefined,
);

describe.skipIf(!available)('grouping-key paths against the Pushgateway corpus', () => {
  it('has the README paths', () => {
    expect(plainCases.length).toBeGreaterThanOrEqual(6);
  });

  it.each(plainCases.map((c) => [c.path, c.grouping_key] as const))('%s', (_path, groupingKey) => {
    const { job, ...labels }: Record<string, string> = groupingKey;
    const path = groupingKeyPath(job!, labels);
    expect(decode(path)).toEqual(groupingKey);
    expect(decode(_path)).toEqual(groupingKey); // the decoder agrees with the corpus
  });

  it('writes the README forms exactly where they are canonical', () => {
    expect(groupingKeyPath('directory_cleaner', { path: '/var/tmp' })).toBe(
      '/metrics/job/directory_cleaner/path@base64/L3Zhci90bXA',
    );
    expect(groupingKeyPath('example', { first_label: '', second_label: 'foobar' })).toBe(
      '/metrics/job/example/first_label@base64/=/second_label/foobar',
    );
    expect(groupingKeyPath('titan', { name: 'Προμηθεύς' })).toBe(
      '/metrics/job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82',
    );
    expect(groupingKeyPath('test/job', { instance: 'testinstance' })).toBe(
      '/metrics/job@base64/dGVzdC9qb2I/instance/testinstance',
    );
  });
});

describe('groupingKeyPath', () => {
  it('base64-encodes the values a path segment cannot carry', () => {
    expect(groupingKeyPath('j', { a: '.', b: '..' })).toBe('/metrics/job/j/a@base64/Lg/b@base64/Li4');
    expect(decode(groupingKeyPath('..', { x: '.' }))).toEqual({ job: '..', x: '.' });
    expect(groupingKeyPath('j', { n: 5 })).toBe('/metrics/job/j/n/5');
  });

  it.each([
    ['', {}, /job name must not be empty/],
    ['j', { job: 'x' }, /"job" is the job name/],
    ['j', { 'a-b': 'x' }, /"a-b" is not a valid label name/],
    ['j', { __name__: 'x' }, /no leading "__"/],
    ['j', { '1a': 'x' }, /not a valid label name/],
    ['j', { a: 'x\uD800' }, /not valid Unicode/],
  ])('refuses job %j with %j', (job, key, message) => {
    expect(() => groupingKeyPath(job, key)).toThrow(GroupingKeyError);
    expect(() => groupingKeyPath(job, key)).toThrow(message);
  });

  it('round-trips any job and values through the Pushgateway decoding (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          { maxKeys: 4 },
        ),
        (job, labels) => {
          delete labels.job;
          expect(decode(groupingKeyPath(job, labels))).toEqual({ job, ...labels });
        },
      ),
      { numRuns: 500 },
    );
  });
});
