// The OpenMetrics parser test suite (../shared/corpora/openmetrics): parsing succeeds exactly
// when test.json says shouldParse; a failure is always an ExpositionParseError.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExpositionParseError, parseOpenMetrics } from '../src/index.js';
import { corpusPath } from '../../../test-support/corpora.js';

const dir = corpusPath('openmetrics');
const cases = readdirSync(dir)
  .sort()
  .map((name) => {
    const meta = JSON.parse(readFileSync(`${dir}/${name}/test.json`, 'utf8'));
    return [
      name,
      meta.shouldParse as boolean,
      new Uint8Array(readFileSync(`${dir}/${name}/${meta.file}`)),
    ] as const;
  });

describe('OpenMetrics corpus', () => {
  it('has every case', () => expect(cases.length).toBe(141));
  it.each(cases)('%s (shouldParse: %s)', (_name, shouldParse, bytes) => {
    if (shouldParse) {
      expect(() => parseOpenMetrics(bytes)).not.toThrow();
    } else {
      expect(() => parseOpenMetrics(bytes)).toThrow(ExpositionParseError);
    }
  });
});
