// Debian's prometheus-pushgateway as a peer: on a free loopback port, with its persistence file
// in a temporary directory that goes away when it stops.

import { freePort, startPeer, tempDir, which, type RunningPeer } from './peers.js';

export const PUSHGATEWAY_BINARY = 'prometheus-pushgateway';

export function pushgatewayInstalled(): boolean {
  return which(PUSHGATEWAY_BINARY) !== undefined;
}

export async function startPushgateway(prefix = 'pgw'): Promise<RunningPeer> {
  const dir = tempDir(prefix);
  const port = await freePort();
  try {
    const peer = await startPeer({
      command: PUSHGATEWAY_BINARY,
      args: [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${dir.path}/pgw.data`],
      url: `http://127.0.0.1:${port}`,
      readyPath: '/-/ready',
    });
    return {
      ...peer,
      stop: async () => {
        await peer.stop();
        dir.remove();
      },
    };
  } catch (err) {
    dir.remove();
    throw err;
  }
}
