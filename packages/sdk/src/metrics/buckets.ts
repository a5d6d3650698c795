/** Prometheus' default buckets: a typical web/RPC request, from 5 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** `count` buckets from `start`, each `width` wider (prom-client's `linearBuckets`). */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`linearBuckets: count must be a positive integer, got ${count}`);
  if (!Number.isFinite(start) || !Number.isFinite(width) || width <= 0) {
    throw new RangeError(
      `linearBuckets: start must be finite and width finite and > 0, got start ${start}, width ${width}`,
    );
  }
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets from `start`, each `factor` times the previous (prom-client's `exponentialBuckets`). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`exponentialBuckets: count must be a positive integer, got ${count}`);
  if (!(start > 0) || !Number.isFinite(start))
    throw new RangeError(`exponentialBuckets: start must be finite and > 0, got ${start}`);
  if (!(factor > 1) || !Number.isFinite(factor))
    throw new RangeError(`exponentialBuckets: factor must be finite and > 1, got ${factor}`);
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** Checks and normalises bucket upper bounds: numbers, strictly increasing; a trailing `+Inf` is implied. */
export function checkBuckets(metricName: string, buckets: readonly number[]): Float64Array {
  const bounds = buckets.at(-1) === Infinity ? buckets.slice(0, -1) : buckets;
  if (bounds.length === 0) throw new Error(`Histogram ${metricName}: needs at least one finite bucket bound`);
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i]!;
    if (typeof b !== 'number' || Number.isNaN(b) || !Number.isFinite(b)) {
      throw new Error(`Histogram ${metricName}: bucket bound ${String(b)} is not a finite number`);
    }
    if (i > 0 && !(b > bounds[i - 1]!)) {
      throw new Error(
        `Histogram ${metricName}: buckets must be strictly increasing (${bounds[i - 1]} then ${b})`,
      );
    }
  }
  return Float64Array.from(bounds);
}
