import { readFileSync } from 'node:fs';

// Node flags `tally` runs with, written once, on the `#!/usr/bin/env -S node …` line of
// cli/main.ts (kept in dist/cli/main.js); the root's `npm start` passes the same (a test checks).
//
// --min-semi-space-size=16: V8's young generation starts at 16 MiB per semi-space instead of
// 1 MiB, growing and shrinking from there as before; 16 is also its default maximum, so the
// ceiling is unchanged. Ingest allocates per request (bodies, decoded series, sample arrays),
// and a young generation that V8 had shrunk collected, and promoted, more often. Measured on the
// remote-write bench in 10 alternating pairs of 3 × 1 M samples: main-thread CPU per sample -11 %
// in the second round and -9 % in the third, rates +7 % and +10 %; the first round unchanged.
// A runtime `v8.setFlagsFromString` does not resize the young generation, hence the command line.

/** The flags after `node` on a script's `#!/usr/bin/env -S node …` line; none without one. */
export function shebangNodeFlags(script: string): string[] {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0]!;
  const m = /^#!\/usr\/bin\/env -S node((?: \S+)*)\s*$/.exec(first);
  return m ? m[1]!.split(' ').filter(Boolean) : [];
}
