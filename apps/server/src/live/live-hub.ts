import type { Labels } from '@tally/model';

/** One series' new samples, as the live stream sends them. */
export interface LiveSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

export type LiveListener = (series: readonly LiveSeries[]) => void;

/**
 * Fan-out of freshly committed samples to the `GET /api/v1/jobs/{id}/stream` subscribers of
 * each job. Publishing to a job nobody watches costs one map lookup.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private readonly streams = new Set<() => void>();

  /** Registers an open stream's closer; {@link closeAll} ends every stream at shutdown. */
  trackStream(close: () => void): () => void {
    this.streams.add(close);
    return () => this.streams.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.streams]) close();
  }

  subscribe(jobId: string, listener: LiveListener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  hasListeners(jobId: string): boolean {
    return this.listeners.has(jobId);
  }

  publish(jobId: string, series: readonly LiveSeries[]): void {
    const set = this.listeners.get(jobId);
    if (!set || series.length === 0) return;
    for (const l of set) l(series);
  }

  subscriberCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
