import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CORPUS_DIR, corpusFiles, countsLine, runCorpusFile, type FileReport } from './run-corpus.js';

// Every eval of Prometheus v3.14's promqltest corpus, as data. Out-of-scope files and evals are
// skipped with a reason (skip-list.ts); every other eval must pass.
const reports: FileReport[] = [];

describe.runIf(existsSync(CORPUS_DIR))('promqltest corpus', () => {
  for (const file of existsSync(CORPUS_DIR) ? corpusFiles() : []) {
    it(file, async () => {
      const r = await runCorpusFile(file);
      reports.push(r);
      const failures = r.outcomes
        .filter((o) => o.status === 'fail')
        .map((o) => `line ${o.line}: ${o.source}\n    ${o.message ?? ''}`);
      expect(failures).toEqual([]);
    });
  }
  afterAll(() => {
    console.log(['promqltest conformance (pass/skip/fail per file):', ...reports.map(countsLine)].join('\n'));
  });
});
