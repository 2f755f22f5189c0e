import { KaaError, listIssues } from '@kaa/core';
import * as z from 'zod/mini';

const time = z.number().check(z.refine((n) => Number.isFinite(n) && n >= 0, 'a finite time in ms'));

const RateBudgetMessageSchema = z.discriminatedUnion('type', [
  /** The sender spent `n` requests. */
  z.object({
    kaa: z.literal('rate-budget/1'),
    type: z.literal('spend'),
    n: z.number().check(z.int(), z.gte(1), z.lte(1000)),
  }),
  /** The sender saw a 429: nobody sends before `until` (epoch ms; instances of one browser share the clock). */
  z.object({ kaa: z.literal('rate-budget/1'), type: z.literal('pause'), until: time }),
  /** A new instance asks the others for their estimate. */
  z.object({ kaa: z.literal('rate-budget/1'), type: z.literal('hello') }),
  /** An answer to `hello`: the sender had `tokens` at `at`. */
  z.object({
    kaa: z.literal('rate-budget/1'),
    type: z.literal('state'),
    tokens: z.number().check(z.refine((n) => Number.isFinite(n), 'a finite number')),
    at: time,
    pausedUntil: time,
  }),
]);

/**
 * A message between the instances that share one Genesys rate budget over a BroadcastChannel.
 *
 * @example
 * ```ts
 * const message: RateBudgetMessage = { kaa: 'rate-budget/1', type: 'spend', n: 1 };
 * channel.postMessage(message);
 * ```
 */
export type RateBudgetMessage = z.infer<typeof RateBudgetMessageSchema>;

/**
 * Validates a BroadcastChannel message of the shared rate budget. Anything else is `E_EVENT_INVALID`
 * (the receiver logs and ignores it: another script may use the same channel name).
 *
 * @example
 * ```ts
 * channel.onmessage = ({ data }) => { try { apply(parseRateBudgetMessage(data)); } catch (e) { logger.debug('ignored', { code: e.code }); } };
 * ```
 */
export function parseRateBudgetMessage(data: unknown): RateBudgetMessage {
  const parsed = RateBudgetMessageSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = listIssues(parsed.error.issues, { limit: 3 });
  throw new KaaError(
    'E_EVENT_INVALID',
    `A message on the shared Genesys rate-budget channel is not a kaa rate-budget message (${issues.join('; ')}). It is ignored; if this repeats, give the budget a channel name no other script uses.`,
    { details: { issues } },
  );
}
