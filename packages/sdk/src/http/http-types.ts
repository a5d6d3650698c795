// Structural types for the HTTP adapters: what they use of node:http, Express/Connect and
// Fastify objects, so the SDK depends on none of those frameworks.

export type HeaderValue = string | string[] | undefined;

/** A request as node:http, Express and Connect give it. */
export interface RequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>>;
}

/** A response as node:http, Express and Connect give it. */
export interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: string | number): unknown;
  end(body?: string): unknown;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Express/Connect's `next`. */
export type NextFunction = (error?: unknown) => void;

/** What a Fastify request offers the adapters (Fastify 4 and 5). */
export interface FastifyRequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly routeOptions?: { readonly url?: string | undefined };
}

/** What a Fastify reply offers the adapters. */
export interface FastifyReplyLike {
  readonly statusCode: number;
  header(name: string, value: string): unknown;
  code(statusCode: number): unknown;
}

/** What a Fastify instance offers the golden-signals plugin. */
export interface FastifyInstanceLike {
  addHook(
    name: 'onRequest' | 'onResponse',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void,
  ): unknown;
}

export function headerValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
