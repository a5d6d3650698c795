/** Any function; wrappers keep its parameters, result and `this`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wrapper must accept every function type
export type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * A wrapper that is also a TC39 method decorator (TypeScript 5 `@decorator` syntax): called with
 * a function it returns the wrapped function; as a decorator it receives the method and a
 * context and returns the replacement in the same way.
 */
export type FunctionWrapper = <F extends AnyFunction>(fn: F, context?: ClassMethodDecoratorContext) => F;

/** What happens around each call: `enter` before, `exit` after it returns, throws or settles. */
export interface CallHooks<S> {
  enter(): S;
  exit(state: S, failure: { error: unknown } | undefined): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Runs `fn` between the hooks; an async result is followed until it settles. */
export function runWith<R, S>(fn: () => R, hooks: CallHooks<S>): R {
  const state = hooks.enter();
  let result: R;
  try {
    result = fn();
  } catch (error) {
    hooks.exit(state, { error });
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        hooks.exit(state, undefined);
        return value;
      },
      (error: unknown) => {
        hooks.exit(state, { error });
        throw error;
      },
    ) as R;
  }
  hooks.exit(state, undefined);
  return result;
}

/** A wrapper (and decorator) that runs every call of the wrapped function between the hooks. */
export function wrapperWith<S>(hooks: () => CallHooks<S>): FunctionWrapper {
  return <F extends AnyFunction>(fn: F): F => {
    if (typeof fn !== 'function') throw new TypeError('expected a function to wrap');
    const h = hooks();
    return function wrapped(this: unknown, ...args: unknown[]): unknown {
      return runWith(() => fn.apply(this, args) as unknown, h);
    } as F;
  };
}

/** Is this an Error class (the filter argument of `countExceptions`) rather than a function to wrap? */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Error classes take any constructor arguments
export type ErrorClass = abstract new (...args: any[]) => Error;

export function isErrorClass(value: unknown): value is ErrorClass {
  return (
    typeof value === 'function' &&
    (value === Error || (value as { prototype?: unknown }).prototype instanceof Error)
  );
}

/** Seconds elapsed since `startMs` (from `performance.now()`). */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
