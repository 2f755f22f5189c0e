import { toKaaError } from '@kaa/core';
import type { Logger, WidgetLaunch } from '@kaa/core';

/** What {@link keepSecureCustomDataFresh} needs. */
export interface SecureRefreshInput {
  /** The launch the widget was mounted with. Nothing is scheduled without secure custom data. */
  first: WidgetLaunch;
  /** Mints the next launch (core's `mintWidgetLaunch` with the same inputs and the current time). */
  mint: () => Promise<WidgetLaunch>;
  /** Hands a fresh launch to the widget: the next utterances carry its JWE (`message`), or the widget reloads with its URL (`urlParam`). */
  apply: (launch: WidgetLaunch) => void;
  /** Epoch milliseconds. */
  now: () => number;
  timers: { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  logger: Logger;
  /** Told once when a refresh failed (the widget keeps the current JWE until it expires; kaa tries again). */
  notice: (text: string) => void;
}

/** Retry a failed refresh after this long (the current JWE is still valid for `jwe.refreshBeforeSeconds`). */
const RETRY_MS = 5_000;

/**
 * Keeps the widget's secure custom data valid for the whole interaction: at the launch's `secureRefreshAt`
 * (docs/assumptions.md#secure-custom-data-lifetime-and-refresh) mints a new launch and applies it, then waits for that
 * one's `secureRefreshAt`, until `stop()`. A failed mint is logged (code and message only), told once, and retried.
 *
 * @example
 * ```ts
 * const refresher = keepSecureCustomDataFresh({ first: credentials, mint, apply: (l) => feed.setSecureCustomData(l.secureCustomData), now: Date.now, timers: window, logger, notice });
 * void feed.finished.then(() => refresher.stop());
 * ```
 */
export function keepSecureCustomDataFresh(input: SecureRefreshInput): { stop(): void } {
  let handle: unknown;
  let stopped = false;
  let told = false;
  const schedule = (at: number | undefined) => {
    if (stopped || at === undefined) return;
    handle = input.timers.setTimeout(() => void refresh(), Math.max(0, at - input.now()));
  };
  const refresh = async () => {
    handle = undefined;
    if (stopped) return;
    try {
      const next = await input.mint();
      if (stopped) return;
      input.apply(next);
      input.logger.debug('secure custom data refreshed before it expired', { transport: next.secureTransport });
      schedule(next.secureRefreshAt);
    } catch (e) {
      const error = toKaaError(e, 'E_INTERNAL', 'The secure custom data could not be minted again.');
      input.logger.warn('secure custom data refresh failed; trying again', {
        code: error.code,
        message: error.message,
      });
      if (!told) {
        told = true;
        input.notice(
          `The secure custom data for Agent AI could not be renewed (${error.message}). kaa keeps trying; if it keeps failing, reload the interaction.`,
        );
      }
      schedule(input.now() + RETRY_MS);
    }
  };
  schedule(input.first.secureRefreshAt);
  return {
    stop() {
      stopped = true;
      if (handle !== undefined) input.timers.clearTimeout(handle);
      handle = undefined;
    },
  };
}
