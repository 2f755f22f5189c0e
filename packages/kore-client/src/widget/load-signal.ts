import type { KaaError } from '@kaa/core';

/**
 * The `loaded` promise of a widget host, settled from outside. It is observed at once, so a rejection that
 * nobody awaits is not "unhandled" (hosts report it through their `error` event); callers awaiting `loaded`
 * still see it.
 *
 * @example
 * ```ts
 * const signal = loadSignal();
 * onWidgetLoaded(() => signal.resolve());
 * onTimeout(() => signal.reject(new KaaError('E_WIDGET_LOAD_TIMEOUT', '…')));
 * return { loaded: signal.loaded };
 * ```
 */
export function loadSignal(): { loaded: Promise<void>; resolve(): void; reject(error: KaaError): void } {
  let resolve!: () => void;
  let reject!: (error: KaaError) => void;
  const loaded = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  loaded.catch(() => {});
  return { loaded, resolve, reject };
}
