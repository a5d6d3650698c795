/**
 * Open clients (from their first buffered line until close()), flushed on `beforeExit` so a short script that never calls
 * `close()` still sends its last datagram (the send itself then keeps the loop alive until it
 * leaves; the socket stays unref'd). One listener for all clients.
 */
interface Flushable {
  flush(): void;
}

const unflushed = new Set<Flushable>();
let listening = false;

function flushAll(): void {
  for (const client of [...unflushed]) client.flush();
}

export function trackUnflushed(client: Flushable): void {
  unflushed.add(client);
  if (!listening) {
    listening = true;
    process.on('beforeExit', flushAll);
  }
}

export function untrackUnflushed(client: Flushable): void {
  unflushed.delete(client);
}
