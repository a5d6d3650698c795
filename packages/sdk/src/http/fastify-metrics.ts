import { register as defaultRegister } from '../registry/default-registry.js';
import type { Registry } from '../registry/registry.js';
import { headerValue, type FastifyReplyLike, type FastifyRequestLike } from './http-types.js';
import { scrape } from './metrics-handler.js';

/**
 * A Fastify route handler serving a registry's metrics with content negotiation; Fastify
 * sends the returned string.
 *
 * @example
 * fastify.get('/metrics', fastifyMetricsHandler());
 */
export function fastifyMetricsHandler(
  registry: Registry = defaultRegister,
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<string> {
  return async (request, reply) => {
    const { body, contentType } = await scrape(registry, headerValue(request.headers.accept));
    reply.code(200);
    reply.header('content-type', contentType);
    return body;
  };
}
