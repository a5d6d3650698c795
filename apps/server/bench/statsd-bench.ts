import { createSocket } from 'node:dgram';
import type { Target } from './peers.js';

async function received(t: Target): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const m = /^tally_statsd_lines_received_total (\S+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * Sends `lines` DogStatsD lines (counters, gauges and timers over 100 names, 20 lines a
 * datagram) paced at `ratePerSecond`, then counts what the server says it received.
 */
export async function statsdRun(
  t: Target,
  lines: number,
  ratePerSecond: number,
): Promise<{ sent: number; received: number; sendRate: number }> {
  const socket = createSocket('udp4');
  const before = await received(t);
  const perPacket = 20;
  const packets: Buffer[] = [];
  for (let p = 0; p < lines / perPacket; p++) {
    let text = '';
    for (let i = 0; i < perPacket; i++) {
      const n = p * perPacket + i;
      const kind = n % 3 === 0 ? `${n % 7}|c` : n % 3 === 1 ? `${n % 100}|g` : `${n % 250}|ms`;
      text += `${i ? '\n' : ''}bench_${n % 100}:${kind}|#job:statsd_bench,shard:${n % 4}`;
    }
    packets.push(Buffer.from(text));
  }
  const start = performance.now();
  let sent = 0;
  for (let p = 0; p < packets.length; p++) {
    await new Promise<void>((resolve) =>
      socket.send(packets[p]!, t.statsdPort, '127.0.0.1', () => resolve()),
    );
    sent += perPacket;
    const due = (sent / ratePerSecond) * 1000 - (performance.now() - start);
    if (due > 1) await new Promise((r) => setTimeout(r, due));
  }
  const sendRate = sent / ((performance.now() - start) / 1000);
  socket.close();
  // Let the server drain its socket buffer.
  let got = 0;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = (await received(t)) - before;
    if (now === got && now > 0) break;
    got = now;
  }
  return { sent, received: (await received(t)) - before, sendRate };
}
