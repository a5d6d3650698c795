import { lookup } from 'node:dns';
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  CLOSE_TIMEOUT_MS,
  RECONNECT_BACKOFF_MS,
  asError,
  settleWithin,
  type StatsdTransport,
  type TransportFailure,
} from './statsd-transport.js';

/** A resolved host name is used this long before it is looked up again (hot-shots' cacheDns default). */
export const DNS_TTL_MS = 60_000;

/** While the first DNS lookup runs, at most this many payload bytes wait; more are dropped. */
export const MAX_PENDING_BYTES = 4 << 20;

/**
 * UDP: one unconnected, unref'd socket, created on the first send. An IP address is used as
 * is, so the first burst of datagrams goes straight to the socket; a host name is resolved once
 * and cached for a minute (a lookup per datagram, Node's default, is where clients lose time),
 * and re-resolved in the background. Being unconnected, the socket cannot learn that nobody
 * listens on the port (only a connected socket sees the ICMP reply): UDP StatsD is fire and
 * forget by design, and so is this.
 */
export class UdpTransport implements StatsdTransport {
  private socket: Socket | undefined;
  private address: string | undefined;
  private resolvedAtMs = 0;
  private resolving = false;
  private retryAtMs = 0;
  private pending: { payload: string; lines: number }[] = [];
  private pendingBytes = 0;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private lookupDone: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onFailure: TransportFailure,
  ) {
    if (isIP(host) !== 0) this.address = host;
  }

  send(payload: string, lines: number): void {
    if (this.closed) {
      this.onFailure(new Error('StatsD client is closed'), lines);
      return;
    }
    if (this.address !== undefined) {
      if (this.resolvedAtMs !== 0 && Date.now() - this.resolvedAtMs > DNS_TTL_MS) this.resolve();
      this.write(payload, lines, this.address);
      return;
    }
    if (!this.resolving) {
      if (Date.now() < this.retryAtMs) {
        this.onFailure(new Error(`StatsD host ${this.host} did not resolve; retrying shortly`), lines);
        return;
      }
      this.resolve();
    }
    if (this.pendingBytes + payload.length > MAX_PENDING_BYTES) {
      this.onFailure(new Error(`StatsD host ${this.host}: still resolving, too much waiting`), lines);
      return;
    }
    this.pending.push({ payload, lines });
    this.pendingBytes += payload.length;
  }

  private ensureSocket(family: number): Socket {
    if (this.socket) return this.socket;
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.unref();
    // Errors outside one send must never be thrown into the process.
    socket.on('error', (error) => this.onFailure(error, 0));
    this.socket = socket;
    return socket;
  }

  private write(payload: string, lines: number, address: string): void {
    this.inFlight++;
    try {
      this.ensureSocket(isIP(address)).send(payload, this.port, address, (error) => {
        this.inFlight--;
        if (error) this.onFailure(error, lines);
        if (this.inFlight === 0) this.drained?.();
      });
    } catch (error) {
      this.inFlight--;
      this.onFailure(asError(error), lines);
    }
  }

  private resolve(): void {
    if (this.resolving) return;
    this.resolving = true;
    this.lookupDone = new Promise<void>((done) => {
      lookup(this.host, (error, address) => {
        this.resolving = false;
        if (error) {
          // Keep a stale address if there is one; otherwise drop what waited.
          if (this.address === undefined) {
            this.retryAtMs = Date.now() + RECONNECT_BACKOFF_MS;
            this.onFailure(
              error,
              this.takePending().reduce((sum, p) => sum + p.lines, 0),
            );
          } else this.onFailure(error, 0);
        } else {
          this.address = address;
          this.resolvedAtMs = Date.now();
          for (const { payload, lines } of this.takePending()) this.write(payload, lines, address);
        }
        done();
      });
    });
  }

  private takePending(): { payload: string; lines: number }[] {
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return pending;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.resolving) await settleWithin(this.lookupDone, CLOSE_TIMEOUT_MS);
    this.closed = true;
    const lost = this.takePending().reduce((sum, p) => sum + p.lines, 0);
    if (lost > 0) this.onFailure(new Error(`StatsD host ${this.host} did not resolve before close()`), lost);
    if (this.inFlight > 0) {
      await settleWithin(new Promise<void>((resolve) => (this.drained = resolve)), CLOSE_TIMEOUT_MS);
    }
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
