import { Agent, request } from 'node:http';

export interface Sent {
  readonly status: number;
  readonly text: string;
}

const agents = new Map<string, Agent>();

/**
 * One HTTP request over a keep-alive connection (node:http). The bench's sender: fetch (undici)
 * spends several times the CPU per request, which on this 2-core machine is taken from the
 * server being measured; every target gets the same sender.
 */
export function send(
  url: string,
  method: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const u = new URL(url);
  let agent = agents.get(u.host);
  if (!agent) agents.set(u.host, (agent = new Agent({ keepAlive: true, maxSockets: 64 })));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent, headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
