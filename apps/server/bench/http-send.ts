import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/**
 * Sends `bodies` (as `send` would, `concurrency` at a time) to a sink in this process that reads
 * each body and answers 204, then closes it. The first target measured used to pay for
 * compiling the sender's own code: in the first remote-write round the sender took ~0.2 µs of
 * CPU per sample, against ~0.07 once warm, on the cores the server shares with it.
 */
export async function warmSender(
  bodies: readonly Buffer[],
  headers: Record<string, string>,
  concurrency = 4,
): Promise<void> {
  const sink = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const { port } = sink.address() as AddressInfo;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length)
      await send(`http://127.0.0.1:${port}/warm`, 'POST', bodies[next++]!, headers);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agents.get(`127.0.0.1:${port}`)?.destroy();
  await new Promise((resolve) => sink.close(resolve));
}
