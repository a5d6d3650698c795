// npm run bench -w @tally/server — Tally beside its peers, in the same run on this machine.
// Prints numbers; never gates anything.
import { bigPut, manyGroups } from './push-bench.js';
import { startPrometheus, startPushgateway, startTally, type Target } from './peers.js';
import { warmSender } from './http-send.js';
import { buildRequests, decoderComparison, remoteWrite, REMOTE_WRITE_HEADERS } from './remote-write-bench.js';
import { statsdRun } from './statsd-bench.js';

const only = process.argv.slice(2);
// Tally acknowledging once the OS has its WAL records: Prometheus' own durability (it does not
// fsync per request), so the remote-write ratio compares like with like; see --wal-sync.
const walSyncWrite = (): Promise<Target> => startTally(['--wal-sync', 'write']);
const want = (name: string): boolean => only.length === 0 || only.includes(name);
const rows: string[][] = [['benchmark', 'tally', 'peer', 'peer figure', 'ratio (tally/peer)']];
const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const add = (
  what: string,
  tally: number,
  peer: string,
  peerValue: number | undefined,
  unit: string,
  lowerIsBetter: boolean,
): void => {
  const ratio =
    peerValue === undefined
      ? '—'
      : lowerIsBetter
        ? `${fmt(peerValue / tally, 2)}× faster`
        : `${fmt(tally / peerValue, 2)}×`;
  rows.push([
    what,
    `${fmt(tally)} ${unit}`,
    peer,
    peerValue === undefined ? 'not installed' : `${fmt(peerValue)} ${unit}`,
    ratio,
  ]);
  console.log(rows.at(-1)!.join(' | '));
};

async function withTarget<T>(
  start: () => Promise<Target | undefined>,
  fn: (t: Target) => Promise<T>,
): Promise<T | undefined> {
  const t = await start();
  if (!t) return undefined;
  try {
    return await fn(t);
  } finally {
    await t.stop();
  }
}

if (want('push')) {
  // Both servers run at once and take turns, so the ratio compares the same moments.
  const bigRun = async (tally: Target): Promise<{ p50: number; p90: number }[]> =>
    (await withTarget(startPushgateway, (pgw) => bigPut([tally, pgw], 30))) ?? (await bigPut([tally], 30));
  const [tallyBig, pgwBig] = (await withTarget(startTally, bigRun))!;
  add(
    'PUT of a 10 000-series exposition, p50 (history stored)',
    tallyBig!.p50,
    'pushgateway 1.5',
    pgwBig?.p50,
    'ms',
    true,
  );
  console.log(`   p90: tally ${fmt(tallyBig!.p90)} ms, pushgateway ${pgwBig ? fmt(pgwBig.p90) : '—'} ms`);
  // Cold: a freshly started process (compiling its push path as it goes); warm: after 200 pushes
  // into groups deleted again. The Pushgateway (Go, nothing to warm) runs once, warmed the same way.
  const tallyGroups = await withTarget(startTally, (t) => manyGroups(t, 1000, 8));
  const tallyGroupsWarm = await withTarget(startTally, (t) => manyGroups(t, 1000, 8, 200));
  const tallyGroupsWrite = await withTarget(walSyncWrite, (t) => manyGroups(t, 1000, 8, 200));
  const pgwGroups = await withTarget(startPushgateway, (t) => manyGroups(t, 1000, 8, 200));
  add(
    '100-series PUTs into 1 000 groups, 8 in flight, fresh process',
    tallyGroups!,
    'pushgateway 1.5',
    pgwGroups,
    'pushes/s',
    false,
  );
  add('… after a 200-push warm-up', tallyGroupsWarm!, 'pushgateway 1.5', pgwGroups, 'pushes/s', false);
  add('… warmed, with --wal-sync write', tallyGroupsWrite!, 'pushgateway 1.5', pgwGroups, 'pushes/s', false);
}

if (want('remote-write')) {
  // 4 000 samples per series, sent as three rounds: 1 M into a freshly started server (JIT
  // compilation and series creation included), the next 1 M of the same series, then 2 M more —
  // what a Prometheus remote-writing all day looks like, once V8 has compiled the hot paths.
  // Every server gets every round.
  const shards = buildRequests(1000, 4000, 20, 4);
  const quarter = shards[0]!.length / 4;
  const slice = (from: number, to: number): Buffer[][] =>
    shards.map((r) => r.slice(from * quarter, to * quarter));
  const rounds = [slice(0, 1), slice(1, 2), slice(2, 4)];
  const roundSamples = [1_000_000, 1_000_000, 2_000_000];
  const samples = 1_000_000;
  const dec = decoderComparison(rounds[0]!.flat(), samples);
  console.log(
    `   WriteRequest decode: hand-written ${fmt(dec.hand / 1e6, 2)} M samples/s, protobufjs ${fmt(dec.protobufjs / 1e6, 2)} M samples/s (${fmt(dec.hand / dec.protobufjs, 2)}×)`,
  );
  // Besides the wall-clock rate, the CPU each server's process used for it: on this 2-core
  // machine the sender shares the cores, so CPU per sample is the steadier figure.
  type Round = { rate: number; cpuSeconds: number; mainSeconds: number };
  const run = async (t: Target): Promise<Round[]> => {
    const out: Round[] = [];
    for (const [i, round] of rounds.entries()) {
      const cpu0 = t.cpuSeconds();
      const main0 = t.mainThreadCpuSeconds();
      const rate = await remoteWrite(t, round, roundSamples[i]!);
      out.push({ rate, cpuSeconds: t.cpuSeconds() - cpu0, mainSeconds: t.mainThreadCpuSeconds() - main0 });
    }
    return out;
  };
  // Every target, the first included, is measured with a sender that has compiled its hot code.
  await warmSender(rounds[0]!.flat(), REMOTE_WRITE_HEADERS);
  // Each target runs `repeats` times, a fresh process each time, the targets taking turns; the
  // table shows each round's median: one run's ratio moves by ±20 % with this machine's load.
  const repeats = Math.max(1, Number(process.env['TALLY_BENCH_REPEATS'] ?? 3));
  /** A server measured: its runs, one array of rounds per fresh process. */
  type Contender = { label: string; how: string; start: () => Promise<Target | undefined>; runs: Round[][] };
  const tally: Contender = { label: 'tally', how: '', start: startTally, runs: [] };
  const tallyWrite: Contender = {
    label: '--wal-sync write',
    how: ', --wal-sync write',
    start: walSyncWrite,
    runs: [],
  };
  const prom: Contender = { label: 'prometheus', how: '', start: startPrometheus, runs: [] };
  const targets = [tally, tallyWrite, prom];
  for (let k = 0; k < repeats; k++)
    for (const t of targets) {
      const r = await withTarget(t.start, run);
      if (r) t.runs.push(r);
    }
  const median = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b);
    const m = v.length >> 1;
    return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
  };
  const names = [
    'first 1 M samples into a fresh server',
    'next 1 M samples of the same series',
    'the 2 M after those (warm)',
  ];
  for (const [i, name] of names.entries()) {
    const perSample = (seconds: number): string => fmt((seconds * 1e6) / roundSamples[i]!, 2);
    const rates = (t: Contender): number[] => t.runs.map((r) => r[i]!.rate / 1e6);
    const cpu = (t: Contender, key: 'cpuSeconds' | 'mainSeconds'): string =>
      t.runs.length === 0 ? '—' : perSample(median(t.runs.map((r) => r[i]![key])));
    console.log(
      `   ${name}: median server CPU per sample tally ${cpu(tally, 'cpuSeconds')} µs, main thread ${cpu(tally, 'mainSeconds')} (--wal-sync write ${cpu(tallyWrite, 'cpuSeconds')} µs, main thread ${cpu(tallyWrite, 'mainSeconds')}), prometheus ${cpu(prom, 'cpuSeconds')} µs`,
    );
    console.log(
      `   ${name}, each run (M samples/s): ${targets
        .map(
          (t) =>
            `${t.label} ${
              rates(t)
                .map((x) => fmt(x, 2))
                .join(' / ') || '—'
            }`,
        )
        .join('; ')}`,
    );
    for (const t of [tally, tallyWrite])
      add(
        `remote-write ingest, ${name}${t.how} (1 000 series, 4 shards, 5 000 samples a request; median of ${repeats} fresh processes)`,
        median(rates(t)),
        'prometheus 2.42',
        prom.runs.length === 0 ? undefined : median(rates(prom)),
        'M samples/s',
        false,
      );
  }
}

if (want('statsd')) {
  await withTarget(startTally, async (t) => {
    let best: { rate: number; sendRate: number } | undefined;
    for (const rate of [25_000, 50_000, 100_000, 200_000, 400_000]) {
      const r = await statsdRun(t, Math.min(400_000, rate * 2), rate);
      const lost = r.sent - r.received;
      console.log(
        `   statsd at ${fmt(rate)} lines/s target: sent ${fmt(r.sent)} at ${fmt(r.sendRate)}/s, received ${fmt(r.received)}, dropped ${fmt(lost)} (${fmt((100 * lost) / r.sent, 2)}%)`,
      );
      if (lost === 0) best = { rate, sendRate: r.sendRate };
    }
    if (best)
      add(
        'StatsD lines/s received and aggregated with zero loss',
        best.sendRate,
        'statsd_exporter',
        undefined,
        'lines/s',
        false,
      );
    return undefined;
  });
}

console.log('\n' + rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
