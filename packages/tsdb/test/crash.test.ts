// Crash safety: a child process appends committed batches and reports each acknowledged one;
// it is killed with SIGKILL at random moments; after every kill the store opens, every
// acknowledged sample is there with its value, and nothing else is corrupt.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Matcher } from '@tally/storage';
import { openTsdb, type CorruptionReport } from '../src/index.js';
import { testDir } from './test-dir.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = 15;
const BUDGET_MS = 35_000;

const valueOf = (writer: number, series: number, t: number): number =>
  writer * 1e9 + series * 1e6 + t / 100 + 0.25;

/** Runs the child until a random moment after its first ack, SIGKILLs it, returns the acks. */
function runAndKill(
  dir: string,
  delayMs: number,
  walSync: 'fsync' | 'write',
): Promise<{ writer: number; t: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD, dir, walSync], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: { writer: number; t: number }[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [, w, t] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        acks.push({ writer: Number(w), t: Number(t) });
        timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(acks);
    });
    // A child that never acks is a failure, not a hang.
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  });
}

describe('crash safety', () => {
  // walSync 'write' acknowledges once the kernel has the records: a killed process loses none
  // of them (a power cut is what the fdatasync of 'fsync' guards against, not tested here).
  it.each([
    ['fsync', KILLS, BUDGET_MS],
    ['write', 8, 15_000],
  ] as const)(
    'keeps every acknowledged sample across SIGKILLs at random moments (walSync %s)',
    async (walSync, maxKills, budgetMs) => {
      const dir = await testDir('tsdb-crash-');
      const acked = [new Set<number>(), new Set<number>()]; // per writer: acknowledged timestamps
      const started = Date.now();
      let kills = 0;
      let corruptions = 0;
      while (kills < maxKills && (kills < 5 || Date.now() - started < budgetMs)) {
        const acks = await runAndKill(dir, 20 + Math.floor(Math.random() * 600), walSync);
        kills++;
        expect(acks.length).toBeGreaterThan(0);
        for (const a of acks) acked[a.writer]!.add(a.t);

        const reports: CorruptionReport[] = [];
        const db = await openTsdb({
          dir,
          blockDurationMs: 2000,
          autoCompact: false,
          onCorruption: (r) => reports.push(r),
        });
        corruptions += reports.length;
        const q = db.querier(-Infinity, Infinity);
        const series = await q.select([new Matcher('=', '__name__', 'crash_test')]);
        expect(series).toHaveLength(20);
        for (const s of series) {
          const w = Number(s.labels.find((l) => l.name === 'writer')!.value);
          const n = Number(s.labels.find((l) => l.name === 'series')!.value);
          const it = s.iterator();
          const present = new Set<number>();
          let prevT = -1;
          // Unacknowledged samples may or may not be there, but what is there is never wrong.
          while (it.next()) {
            expect(it.t).toBeGreaterThan(prevT);
            expect(it.v).toBe(valueOf(w, n, it.t));
            present.add(it.t);
            prevT = it.t;
          }
          const missing = [...acked[w]!].filter((t) => !present.has(t));
          expect(missing).toEqual([]);
        }
        q.close();
        await db.close();
      }
      expect(kills).toBeGreaterThanOrEqual(5);
      console.log(
        `crash test (walSync ${walSync}): ${kills} kills, acknowledged batches ${acked[0]!.size + acked[1]!.size}, torn tails repaired: ${corruptions}`,
      );
    },
    120_000,
  );
});
