import { silentLogger } from '@kaa/core';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import { timerSleep } from '../ports.js';
import type { KoreHttpContext, RetryPolicy } from './kore-request.js';
import { redactingLogger } from './redacting-logger.js';

/** What a Kore client is given to call Kore (its injected IO and retry policy). */
export interface KoreHttpDeps {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly sleep?: Sleep;
  readonly logger?: Logger;
  readonly retry?: RetryPolicy;
}

/**
 * @internal The request context every Kore client uses: the default retry policy (3 retries, 1 s to 60 s backoff),
 * the timer sleep, and a logger that redacts `secrets` (the platform tokens in use).
 */
export function koreHttpContext(deps: KoreHttpDeps, secrets: () => readonly string[]): KoreHttpContext {
  return {
    fetch: deps.fetch,
    now: deps.now,
    sleep: deps.sleep ?? timerSleep,
    logger: redactingLogger(deps.logger ?? silentLogger, secrets),
    retry: {
      maxRetries: deps.retry?.maxRetries ?? 3,
      baseDelayMs: deps.retry?.baseDelayMs ?? 1000,
      maxDelayMs: deps.retry?.maxDelayMs ?? 60_000,
    },
    secrets,
  };
}
