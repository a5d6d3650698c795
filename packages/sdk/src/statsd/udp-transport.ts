import { lookup } from 'node:dns';
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  MAX_QUEUED_PAYLOADS,
  RECONNECT_BACKOFF_MS,
  CLOSE_TIMEOUT_MS,
  asError,
  settleWithin,
  type StatsdTransport,
  type TransportFailure,
} from './statsd-transport.js';

type State = 'idle' | 'connecting' | 'connected' | 'closed';

/**
 * UDP: one connected, unref'd socket. The host is resolved once, when the first payload is sent
 * (a connected socket then sends without a DNS lookup per datagram, which is where hot-shots
 * spends time); a failed lookup or connect drops what waited and retries after a back-off.
 */
export class UdpTransport implements StatsdTransport {
  private state: State = 'idle';
  private socket: Socket | undefined;
  private queue: { payload: string; lines: number }[] = [];
  private retryAtMs = 0;
  private inFlight = 0;
  private lastPayloadLines = 0;
  private drained: (() => void) | undefined;
  private connectSettled: Promise<void> = Promise.resolve();
  private settleConnect: () => void = () => undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onFailure: TransportFailure,
  ) {}

  send(payload: string, lines: number): void {
    if (this.state === 'connected') {
      this.write(payload, lines);
      return;
    }
    if (this.state === 'closed') {
      this.onFailure(new Error('StatsD client is closed'), lines);
      return;
    }
    if (this.state === 'idle') {
      if (Date.now() < this.retryAtMs) {
        this.onFailure(new Error(`StatsD ${this.host}:${this.port} unreachable, retrying shortly`), lines);
        return;
      }
      this.connect();
    }
    if (this.queue.length >= MAX_QUEUED_PAYLOADS) {
      this.onFailure(new Error('StatsD connection pending: too many datagrams waiting'), lines);
      return;
    }
    this.queue.push({ payload, lines });
  }

  private write(payload: string, lines: number): void {
    const socket = this.socket!;
    this.inFlight++;
    this.lastPayloadLines = lines;
    try {
      socket.send(payload, (error) => {
        this.inFlight--;
        if (error) this.onFailure(error, lines);
        if (this.inFlight === 0) this.drained?.();
      });
    } catch (error) {
      this.inFlight--;
      this.onFailure(asError(error), lines);
    }
  }

  private connect(): void {
    this.state = 'connecting';
    this.connectSettled = new Promise<void>((resolve) => (this.settleConnect = resolve));
    const family = isIP(this.host);
    if (family !== 0) {
      this.open(this.host, family);
      return;
    }
    lookup(this.host, (error, address, resolvedFamily) => {
      if (this.state !== 'connecting') return;
      if (error) this.fail(error);
      else this.open(address, resolvedFamily);
    });
  }

  private open(address: string, family: number): void {
    let socket: Socket;
    try {
      socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    } catch (error) {
      this.fail(asError(error));
      return;
    }
    this.socket = socket;
    socket.unref();
    // Errors not tied to one send must never be thrown. A refused port arrives this way (ICMP
    // port unreachable on a connected socket) and stands for the datagram sent last.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.state === 'connecting') this.fail(error);
      else this.onFailure(error, error.code === 'ECONNREFUSED' ? this.lastPayloadLines : 0);
    });
    socket.connect(this.port, address, () => {
      if (this.state !== 'connecting') return;
      this.state = 'connected';
      this.settleConnect();
      const waiting = this.queue;
      this.queue = [];
      for (const { payload, lines } of waiting) this.write(payload, lines);
    });
  }

  private fail(error: Error): void {
    this.state = 'idle';
    this.settleConnect();
    this.retryAtMs = Date.now() + RECONNECT_BACKOFF_MS;
    const lost = this.queue.reduce((sum, q) => sum + q.lines, 0);
    this.queue = [];
    this.onFailure(error, lost);
    if (this.socket) {
      const socket = this.socket;
      this.socket = undefined;
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    // Give a pending connection a moment to carry what is queued.
    if (this.state === 'connecting') await settleWithin(this.connectSettled, CLOSE_TIMEOUT_MS);
    if (this.inFlight > 0) {
      await settleWithin(new Promise<void>((resolve) => (this.drained = resolve)), CLOSE_TIMEOUT_MS);
    }
    const lost = this.queue.reduce((sum, q) => sum + q.lines, 0);
    if (lost > 0) this.onFailure(new Error('StatsD client closed before it could connect'), lost);
    this.queue = [];
    this.state = 'closed';
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      await settleWithin(
        new Promise<void>((resolve) => {
          try {
            socket.close(() => resolve());
          } catch {
            resolve();
          }
        }),
        CLOSE_TIMEOUT_MS,
      );
    }
  }
}
