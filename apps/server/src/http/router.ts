import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** What a handler gets: the request, the response, the parsed URL and the path parameters. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Named segments (`:id`, decoded) and, for a trailing `*`, the decoded rest under `*`. */
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  readonly methods: readonly string[];
  readonly segments: readonly string[];
  readonly rest: boolean;
  readonly handler: Handler;
}

/**
 * A small path router: `/api/v1/jobs/:id`, `/metrics/job/*`. The path is percent-decoded
 * before it is split on `/` (Go's router matches on the decoded `URL.Path`, so the Pushgateway
 * sees `%2F` as a separator — the reason it has `@base64`).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | readonly string[], pattern: string, handler: Handler): this {
    const parts = pattern.split('/').slice(1);
    const rest = parts.at(-1) === '*';
    this.routes.push({
      methods: typeof methods === 'string' ? [methods] : methods,
      segments: rest ? parts.slice(0, -1) : parts,
      rest,
      handler,
    });
    return this;
  }

  /** The handler and params for a request, `undefined` when no path matches, or a 405 error. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new HttpError(400, 'bad_data', `invalid percent-encoding in path ${pathname}`);
    }
    const parts = decoded.split('/').slice(1);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'))) {
        return { handler: route.handler, params };
      }
    }
    if (pathMatched) throw new HttpError(405, 'bad_data', `method ${method} not allowed for ${pathname}`);
    return undefined;
  }
}

function matchSegments(route: Route, parts: readonly string[]): Record<string, string> | undefined {
  const { segments, rest } = route;
  if (rest ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(':')) {
      if (part === '') return undefined;
      params[seg.slice(1)] = part;
    } else if (seg !== part) return undefined;
  }
  if (rest) params['*'] = parts.slice(segments.length).join('/');
  return params;
}
