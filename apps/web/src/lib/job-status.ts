// "receiving" while samples keep arriving, otherwise "idle since …".

import type { Job } from '../api/api-types.js';
import { formatAgo } from './format.js';

/** A job counts as receiving when its last sample is this recent. */
export const RECEIVING_WINDOW_MS = 60_000;

export interface JobStatus {
  readonly state: 'receiving' | 'idle' | 'waiting';
  readonly text: string;
}

export function jobStatus(job: Pick<Job, 'lastSampleAt' | 'lastPushAt'>, nowMs: number): JobStatus {
  const last = latest(job.lastSampleAt, job.lastPushAt);
  if (last === undefined) return { state: 'waiting', text: 'no data yet' };
  if (nowMs - last <= RECEIVING_WINDOW_MS) return { state: 'receiving', text: 'receiving' };
  return { state: 'idle', text: `idle since ${formatAgo(last, nowMs)}` };
}

function latest(...times: (string | null)[]): number | undefined {
  let best: number | undefined;
  for (const t of times) {
    if (!t) continue;
    const ms = Date.parse(t);
    if (Number.isFinite(ms) && (best === undefined || ms > best)) best = ms;
  }
  return best;
}
