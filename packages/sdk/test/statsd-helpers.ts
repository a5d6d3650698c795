// Test receivers for the StatsD client: a UDP socket, a TCP or Unix-socket server on 127.0.0.1.
import { createSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

export interface Receiver {
  readonly port: number;
  readonly datagrams: string[];
  /** Every line received so far, in order. */
  lines(): string[];
  /** Resolves once at least `n` lines have arrived (rejects after `timeoutMs`). */
  waitForLines(n: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

function waiter(lines: () => string[]) {
  return async (n: number, timeoutMs = 10_000): Promise<string[]> => {
    const deadline = Date.now() + timeoutMs;
    while (lines().length < n) {
      if (Date.now() > deadline)
        throw new Error(`expected ${n} lines, got ${lines().length}: ${lines().join(' / ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return lines();
  };
}

export async function udpReceiver(): Promise<Receiver> {
  const socket = createSocket('udp4');
  const datagrams: string[] = [];
  socket.on('message', (msg) => datagrams.push(msg.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const lines = () => datagrams.flatMap((d) => d.split('\n'));
  return {
    port: socket.address().port,
    datagrams,
    lines,
    waitForLines: waiter(lines),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export async function streamReceiver(listen: { port: number } | { path: string }): Promise<Receiver> {
  let text = '';
  const connections = new Set<Socket>();
  const server: Server = createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => (text += chunk));
  });
  await new Promise<void>((resolve) =>
    'path' in listen ? server.listen(listen.path, resolve) : server.listen(listen.port, '127.0.0.1', resolve),
  );
  const address = server.address();
  const lines = () => text.split('\n').filter((l) => l !== '');
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    datagrams: [],
    lines,
    waitForLines: waiter(lines),
    close: () =>
      new Promise((resolve) => {
        for (const conn of connections) conn.destroy();
        server.close(() => resolve());
      }),
  };
}
