import { createConnection, type Socket } from 'node:net';
import {
  CLOSE_TIMEOUT_MS,
  RECONNECT_BACKOFF_MS,
  settleWithin,
  type StatsdTransport,
  type TransportFailure,
} from './statsd-transport.js';

/** Past this many bytes waiting in the socket, new lines are dropped rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 1 << 20;

export type StreamTarget = { readonly host: string; readonly port: number } | { readonly path: string };

/**
 * TCP, or a Unix stream socket (`uds`): newline-terminated lines over one unref'd connection,
 * made on the first send and remade (after a back-off) when it breaks. statsd_exporter's TCP
 * listener reads exactly this framing. Node has no Unix datagram sockets without a native
 * module, so `uds` here is `SOCK_STREAM`, not DogStatsD's default `unixgram`.
 */
export class StreamTransport implements StatsdTransport {
  private socket: Socket | undefined;
  private closed = false;
  private retryAtMs = 0;

  constructor(
    private readonly target: StreamTarget,
    private readonly onFailure: TransportFailure,
  ) {}

  private describe(): string {
    return 'path' in this.target ? this.target.path : `${this.target.host}:${this.target.port}`;
  }

  send(payload: string, lines: number): void {
    if (this.closed) {
      this.onFailure(new Error('StatsD client is closed'), lines);
      return;
    }
    let socket = this.socket;
    if (!socket) {
      if (Date.now() < this.retryAtMs) {
        this.onFailure(new Error(`StatsD ${this.describe()} unreachable, retrying shortly`), lines);
        return;
      }
      socket = this.connect();
    }
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      this.onFailure(
        new Error(`StatsD ${this.describe()}: more than ${MAX_BUFFERED_BYTES} bytes waiting`),
        lines,
      );
      return;
    }
    socket.write(payload + '\n', (error) => {
      if (error) this.onFailure(undefined, lines);
    });
  }

  private connect(): Socket {
    const socket = createConnection(this.target);
    this.socket = socket;
    socket.unref();
    socket.setNoDelay(true);
    socket.on('error', (error) => {
      this.retryAtMs = Date.now() + RECONNECT_BACKOFF_MS;
      this.onFailure(error, 0);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    // The receiver never answers; reading keeps a half-closed peer from going unnoticed.
    socket.on('data', () => undefined);
    return socket;
  }

  async close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await settleWithin(
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      }),
      CLOSE_TIMEOUT_MS,
    );
    socket.destroy();
  }
}
