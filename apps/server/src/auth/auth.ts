import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error.js';
import { OPEN_ADMIN, type Principal } from './principal.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new push token: 32 random bytes, base64url, prefixed so it is recognisable in configs. */
export function newPushToken(): string {
  return `tly_${randomBytes(32).toString('base64url')}`;
}

/**
 * Tokens: admin (everything), read (queries and reading jobs), and per-job push tokens that
 * can write and read only their job. Tokens come as `Authorization: Bearer <token>` or HTTP
 * basic auth with the token as the password (what prometheus_client's `basic_auth_handler`
 * sends; the user name is ignored). With no admin or read token configured the server is
 * open — allowed on loopback only, which `tally serve` enforces at start-up.
 */
export class Auth {
  private readonly admin: Set<string>;
  private readonly read: Set<string>;
  private readonly push = new Map<string, string>();

  constructor(adminTokens: readonly string[], readTokens: readonly string[]) {
    this.admin = new Set(adminTokens.map(hashToken));
    this.read = new Set(readTokens.map(hashToken));
  }

  get enforced(): boolean {
    return this.admin.size > 0 || this.read.size > 0;
  }

  addPushToken(tokenHash: string, jobId: string): void {
    this.push.set(tokenHash, jobId);
  }

  forgetJob(jobId: string): void {
    for (const [hash, id] of this.push) if (id === jobId) this.push.delete(hash);
  }

  /** The principal of a request; an unknown token is a 401 at once. */
  authenticate(req: IncomingMessage): Principal {
    if (!this.enforced) return OPEN_ADMIN;
    const token = tokenFromHeader(req.headers.authorization);
    if (token === undefined) return { kind: 'anonymous' };
    const hash = hashToken(token);
    if (this.admin.has(hash)) return { kind: 'admin' };
    if (this.read.has(hash)) return { kind: 'read' };
    const jobId = this.push.get(hash);
    if (jobId !== undefined) return { kind: 'push', jobId };
    throw unauthorized('the token is not valid');
  }
}

export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(colon + 1);
  }
  return undefined;
}

export function unauthorized(message: string): HttpError {
  return new HttpError(
    401,
    'unauthorized',
    `${message}: send Authorization: Bearer <token> (or basic auth with the token as password)`,
  );
}

/** Throws 401/403 unless the principal may write samples to `jobId`. */
export function requirePush(p: Principal, jobId: string, plain = false): void {
  if (p.kind === 'admin' || (p.kind === 'push' && p.jobId === jobId)) return;
  if (p.kind === 'anonymous') throw withPlain(unauthorized('pushing requires a token'), plain);
  throw withPlain(
    new HttpError(403, 'forbidden', `this token may not write to job ${JSON.stringify(jobId)}`),
    plain,
  );
}

/** Throws unless the principal may read everything (admin or read token). */
export function requireRead(p: Principal): void {
  if (p.kind === 'admin' || p.kind === 'read') return;
  if (p.kind === 'anonymous') throw unauthorized('reading requires a token');
  throw new HttpError(403, 'forbidden', 'a push token may read only its own job');
}

/** Throws unless the principal may read the job (admin, read, or that job's push token). */
export function requireReadJob(p: Principal, jobId: string): void {
  if (p.kind === 'push' && p.jobId === jobId) return;
  requireRead(p);
}

export function requireAdmin(p: Principal): void {
  if (p.kind === 'admin') return;
  if (p.kind === 'anonymous') throw unauthorized('this requires the admin token');
  throw new HttpError(403, 'forbidden', 'this requires the admin token');
}

function withPlain(e: HttpError, plain: boolean): HttpError {
  return plain ? new HttpError(e.status, e.errorType, e.message, e.extra, true) : e;
}
