/**
 * A final push when the process ends, so a short job does not lose its last values:
 * on `beforeExit` (the event loop ran dry) and on SIGTERM (how schedulers stop jobs). A SIGTERM
 * listener would keep Node from exiting, so after the push (bounded by its timeout) this one
 * removes itself and, when no other listener is left, raises SIGTERM again for the default exit.
 */
export function installExitPush(finalPush: () => Promise<void>): () => void {
  let pushedOnExit = false;
  const onBeforeExit = (): void => {
    if (pushedOnExit) return;
    pushedOnExit = true;
    void finalPush();
  };
  const onSigterm = (): void => {
    void finalPush().finally(() => {
      process.off('SIGTERM', onSigterm);
      if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
    });
  };
  process.on('beforeExit', onBeforeExit);
  process.on('SIGTERM', onSigterm);
  return () => {
    process.off('beforeExit', onBeforeExit);
    process.off('SIGTERM', onSigterm);
  };
}
