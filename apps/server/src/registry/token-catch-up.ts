import type { IncomingMessage } from 'node:http';
import { hashToken, tokenFromHeader, type Auth } from '../auth/auth.js';
import type { Registry } from './registry.js';

export interface TokenCatchUpOptions {
  /** How long a token found nowhere is not looked up again (default 2 s). */
  readonly missTtlMs?: number;
  /** Most remembered misses (default 10 000; the oldest are forgotten first). */
  readonly maxMisses?: number;
}

/**
 * With a shared registry, a client may create a job through instance A and push with its new
 * token through instance B before B had A's notification. Before B answers 401, it asks the
 * registry whether the token exists and, if it does, refreshes its view first. Only tokens this
 * instance does not know cost a look-up, and a token found nowhere is remembered for a while,
 * so a client retrying a bad token does not put a query on every request.
 */
export class TokenCatchUp {
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly registry: Registry,
    private readonly auth: Auth,
    private readonly refresh: () => Promise<void>,
    private readonly options: TokenCatchUpOptions = {},
  ) {}

  /** Resolves once the request's token is known here, or is known to be unknown. */
  async check(req: IncomingMessage): Promise<void> {
    if (!this.auth.enforced) return;
    const token = tokenFromHeader(req.headers.authorization);
    if (token === undefined) return;
    try {
      this.auth.authenticate(req);
      return; // known (or not a token at all: the request's own handling says so)
    } catch {
      // unknown here: maybe issued elsewhere
    }
    const hash = hashToken(token);
    const now = Date.now();
    const until = this.misses.get(hash);
    if (until !== undefined && until > now) return;
    let stored = false;
    try {
      stored = await this.registry.hasPushToken(hash);
    } catch {
      return; // database down: answer from what is known
    }
    if (stored) {
      this.misses.delete(hash);
      await this.refresh();
      return;
    }
    this.misses.delete(hash);
    this.misses.set(hash, now + (this.options.missTtlMs ?? 2000));
    const max = this.options.maxMisses ?? 10_000;
    for (const key of this.misses.keys()) {
      if (this.misses.size <= max) break;
      this.misses.delete(key);
    }
  }
}
