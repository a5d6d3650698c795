import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';

/** How Tally authenticates to the remote engine and checks its certificate. */
export interface RemoteHttpOptions {
  /** Extra headers on every request (e.g. `X-Scope-OrgID` for Mimir/Cortex tenants). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly bearerToken?: string;
  /** PEM files: a CA to trust, and a client certificate and key for mutual TLS. */
  readonly tlsCaFile?: string;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  /** Accept any server certificate (testing only). */
  readonly tlsInsecureSkipVerify?: boolean;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

export interface RemoteResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A keep-alive HTTP(S) client for one engine, with its auth and TLS settings applied to every call. */
export class RemoteHttpClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent: HttpsAgent;
  private readonly baseHeaders: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(opts: RemoteHttpOptions = {}) {
    this.httpsAgent = new HttpsAgent({
      keepAlive: true,
      maxSockets: 64,
      rejectUnauthorized: !opts.tlsInsecureSkipVerify,
      ...(opts.tlsCaFile ? { ca: readFileSync(opts.tlsCaFile) } : {}),
      ...(opts.tlsCertFile ? { cert: readFileSync(opts.tlsCertFile) } : {}),
      ...(opts.tlsKeyFile ? { key: readFileSync(opts.tlsKeyFile) } : {}),
    });
    this.baseHeaders = { 'user-agent': 'tally-remote/0.1', ...(opts.headers ?? {}) };
    if (opts.basicAuth) {
      const { username, password } = opts.basicAuth;
      this.baseHeaders.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    } else if (opts.bearerToken) {
      this.baseHeaders.authorization = `Bearer ${opts.bearerToken}`;
    }
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Sends one request; rejects on network errors and timeouts, resolves with any HTTP status. */
  request(
    method: string,
    url: URL,
    body?: Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<RemoteResponse> {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          agent: https ? this.httpsAgent : this.httpAgent,
          headers: {
            ...this.baseHeaders,
            ...headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.origin}${url.pathname}: timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
