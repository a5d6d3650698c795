import type { ServerParts } from '../server.js';
import { sendText } from './respond.js';

/** Health, readiness and the build's identity. */
export function addPlatformRoutes(parts: ServerParts): void {
  const { router } = parts;
  router.add('GET', '/-/healthy', (ctx) => sendText(ctx.res, 200, 'OK\n'));
  router.add('GET', '/-/ready', (ctx) => sendText(ctx.res, 200, 'OK\n'));
}
