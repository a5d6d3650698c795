import { runWith, secondsSince, wrapperWith, type AnyFunction, type FunctionWrapper } from './wrap.js';

/** Something that records durations in seconds: a histogram or summary series. */
export interface Observer {
  observe(value: number): void;
}

/** A started timer: call it to record the seconds elapsed; it returns them. */
export type EndTimer = () => number;

export function startTimerOn(observer: Observer): EndTimer {
  const start = performance.now();
  return () => {
    const seconds = secondsSince(start);
    observer.observe(seconds);
    return seconds;
  };
}

/** `time(fn)` runs `fn` now and records its duration (an async result is timed until it settles). */
export function timeCall<R>(observer: Observer, fn: () => R): R {
  return runWith(fn, { enter: () => startTimerOn(observer), exit: (end) => void end() });
}

/** `time()`: a wrapper (and method decorator) that times every call. */
export function timeWrapper(observer: Observer): FunctionWrapper {
  return wrapperWith(() => ({ enter: () => startTimerOn(observer), exit: (end) => void end() }));
}

/** The `time` overloads shared by histograms, summaries and their series. */
export function timeOn(observer: Observer, fn: AnyFunction | undefined): unknown {
  if (fn === undefined) return timeWrapper(observer);
  if (typeof fn !== 'function') throw new TypeError('time: expected a function');
  return timeCall(observer, fn as () => unknown);
}
