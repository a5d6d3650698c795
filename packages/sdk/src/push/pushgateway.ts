import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE } from '@tally/model';
import { register } from '../registry/default-registry.js';
import { groupingKeyPath, type GroupingKey } from './grouping-key.js';
import { PushgatewayError } from './pushgateway-error.js';

const gzip = promisify(gzipCallback);

/**
 * What the client needs from a registry: Tally's `Registry` fits, and so does prom-client's.
 * It is asked for Prometheus text (what the Pushgateway parses); a registry that ignores the
 * argument and writes OpenMetrics is sent with the OpenMetrics content type.
 */
export interface PushableRegistry {
  metrics(format?: 'prometheus'): Promise<string> | string;
}

export interface PushgatewayOptions {
  /** Milliseconds before a request is abandoned (default 10 000). */
  readonly timeoutMs?: number;
  /** Send the body gzip-compressed (`Content-Encoding: gzip`). */
  readonly gzip?: boolean;
  /** HTTP basic auth; credentials in the URL (`http://user:pass@host`) are used the same way. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** prom-client's `{ jobName, groupings }`, or the seed's `{ job, groupingKey }`. */
export interface PushParams {
  readonly jobName?: string;
  readonly job?: string;
  readonly groupings?: GroupingKey;
  readonly groupingKey?: GroupingKey;
}

export interface PushResult {
  readonly status: number;
  readonly body: string;
}

export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;

/**
 * A Pushgateway client: `push` (PUT, replaces the whole group), `pushAdd` (POST, replaces the
 * pushed families only) and `delete` (DELETE, the whole group). Every request carries a
 * Content-Type; a non-2xx reply rejects with a {@link PushgatewayError} carrying the status and
 * the server's message.
 */
export class Pushgateway {
  private readonly baseUrl: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly gzip: boolean;

  constructor(
    url: string,
    options: PushgatewayOptions = {},
    private readonly registry: PushableRegistry = register,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TypeError(`Pushgateway: ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`Pushgateway: ${JSON.stringify(url)} must be http: or https:`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new RangeError(`Pushgateway: timeoutMs must be > 0, got ${timeoutMs}`);
    let auth = options.auth;
    if (parsed.username !== '' || parsed.password !== '') {
      // fetch refuses URLs with credentials: move them into the header.
      auth ??= {
        username: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
      };
      parsed.username = '';
      parsed.password = '';
    }
    if (auth !== undefined && options.bearerToken !== undefined) {
      throw new TypeError('Pushgateway: give either basic auth or a bearer token, not both');
    }
    const headers: Record<string, string> = { ...options.headers };
    if (auth !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    } else if (options.bearerToken !== undefined) {
      headers.Authorization = `Bearer ${options.bearerToken}`;
    }
    this.headers = headers;
    this.baseUrl = parsed.origin + parsed.pathname.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
    this.gzip = options.gzip ?? false;
  }

  /** PUT: the group becomes exactly this registry's metrics. */
  push(params: PushParams): Promise<PushResult> {
    return this.send('PUT', params, true);
  }

  /** POST: families in this registry replace the same-named ones in the group; others stay. */
  pushAdd(params: PushParams): Promise<PushResult> {
    return this.send('POST', params, true);
  }

  /** DELETE: removes the whole group. */
  delete(params: PushParams): Promise<PushResult> {
    return this.send('DELETE', params, false);
  }

  /** The URL a push with these params goes to. */
  url(params: PushParams): string {
    const job = params.jobName ?? params.job;
    if (job === undefined) throw new TypeError('Pushgateway: jobName (or job) is required');
    return this.baseUrl + groupingKeyPath(job, params.groupings ?? params.groupingKey);
  }

  private async send(method: string, params: PushParams, withBody: boolean): Promise<PushResult> {
    const url = this.url(params);
    const headers: Record<string, string> = { ...this.headers, 'Content-Type': PROMETHEUS_TEXT_CONTENT_TYPE };
    let body: Uint8Array | string | undefined;
    if (withBody) {
      const text = await this.registry.metrics('prometheus');
      if (/(?:^|\n)# EOF\n?$/.test(text)) headers['Content-Type'] = OPENMETRICS_CONTENT_TYPE;
      body = text;
      if (this.gzip) {
        body = await gzip(text);
        headers['Content-Encoding'] = 'gzip';
      }
    }
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `timed out after ${this.timeoutMs} ms`
          : String(error);
      throw new PushgatewayError(
        `Pushgateway ${method} ${url} failed: ${reason}`,
        undefined,
        '',
        method,
        url,
        {
          cause: error,
        },
      );
    }
    if (status < 200 || status > 299) {
      throw new PushgatewayError(
        `Pushgateway ${method} ${url} answered ${status}${text.trim() ? `: ${text.trim()}` : ''}`,
        status,
        text,
        method,
        url,
      );
    }
    return { status, body: text };
  }
}
