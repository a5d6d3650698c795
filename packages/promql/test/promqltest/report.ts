// npm run conformance -w @tally/promql: pass/skip/fail per corpus file, and every skip reason.
import { corpusFiles, countsLine, runCorpusFile } from './run-corpus.js';

const totals = { pass: 0, skip: 0, fail: 0 };
const reasons = new Map<string, number>();
for (const file of corpusFiles()) {
  const r = await runCorpusFile(file);
  console.log(countsLine(r));
  if (r.skippedFile) {
    totals.skip += r.evals;
    continue;
  }
  for (const o of r.outcomes) {
    totals[o.status]++;
    if (o.status === 'skip') reasons.set(o.message ?? '', (reasons.get(o.message ?? '') ?? 0) + 1);
    if (o.status === 'fail') console.log(`  FAIL line ${o.line}: ${o.source}\n    ${o.message ?? ''}`);
  }
}
console.log(`total: pass ${totals.pass}, skip ${totals.skip}, fail ${totals.fail}`);
for (const [reason, n] of reasons) console.log(`  skipped ${n}: ${reason}`);
