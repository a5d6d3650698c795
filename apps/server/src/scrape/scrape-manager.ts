import type { ScrapeTargetConfig } from './scrape-config.js';
import { ScrapeLoop, type ScrapeSink } from './scrape-loop.js';

/**
 * The scrape loops of every job, keyed by job and target URL. `setTargets` is called with a
 * job's whole target list whenever it changes: new targets start, removed ones stop and mark
 * their series stale, changed ones restart.
 */
export class ScrapeManager {
  private readonly loops = new Map<string, Map<string, ScrapeLoop>>();

  constructor(
    private readonly sink: ScrapeSink,
    private readonly onError: (jobId: string, url: string, err: unknown) => void = () => undefined,
  ) {}

  async setTargets(jobId: string, targets: readonly ScrapeTargetConfig[]): Promise<void> {
    const current = this.loops.get(jobId) ?? new Map<string, ScrapeLoop>();
    const wanted = new Map(targets.map((t) => [t.url, t]));
    for (const [url, loop] of current) {
      const next = wanted.get(url);
      if (next && JSON.stringify(next) === JSON.stringify(loop.config)) continue;
      current.delete(url);
      await loop.stop({ stale: next === undefined });
    }
    for (const [url, config] of wanted) {
      if (current.has(url)) continue;
      const loop = new ScrapeLoop(jobId, config, this.sink, (err) => this.onError(jobId, url, err));
      current.set(url, loop);
      loop.start();
    }
    if (current.size > 0) this.loops.set(jobId, current);
    else this.loops.delete(jobId);
  }

  /** A deleted job: its loops stop without stale markers (its series are being deleted). */
  async removeJob(jobId: string): Promise<void> {
    const current = this.loops.get(jobId);
    this.loops.delete(jobId);
    for (const loop of current?.values() ?? []) await loop.stop({ stale: false });
  }

  /** The loops of a job (for its status page and tests). */
  loopsOf(jobId: string): ScrapeLoop[] {
    return [...(this.loops.get(jobId)?.values() ?? [])];
  }

  /** Shutdown: stops every loop; series are not marked stale (the targets did not go away). */
  async stopAll(): Promise<void> {
    const all = [...this.loops.values()].flatMap((m) => [...m.values()]);
    this.loops.clear();
    await Promise.all(all.map((l) => l.stop({ stale: false })));
  }
}
