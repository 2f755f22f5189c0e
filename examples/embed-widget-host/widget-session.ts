import { issuePath, KaaError } from '@kaa/core';
import * as z from 'zod/mini';

/**
 * What the example's server hands its page: the widget iframe `src` (with a freshly minted widget JWT), who the
 * agent and the customer are, and the utterances to feed. Browser-safe (zod/mini).
 *
 * @example
 * ```ts
 * const session: WidgetSession = {
 *   conversationId: 'c0a00000-0000-4000-8000-000000000001',
 *   widgetUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?token=…&botid=st-…',
 *   agent: { id: 'a9e0…', name: 'Ava Agent' },
 *   customer: { id: 'cu-1', name: 'Carla Customer' },
 *   utterances: [{ speaker: 'customer', text: 'I want to check my balance' }],
 * };
 * ```
 */
export interface WidgetSession {
  conversationId: string;
  /** Holds the widget token: never log or print it. */
  widgetUrl: string;
  agent: { id: string; name: string };
  customer: { id: string; name: string };
  utterances: { speaker: 'customer' | 'agent'; text: string }[];
}

const name = z.string().check(z.minLength(1), z.maxLength(256));
const Person = z.object({ id: name, name });
const Session = z.object({
  conversationId: name,
  widgetUrl: z.string().check(z.minLength(1), z.maxLength(16_384)),
  agent: Person,
  customer: Person,
  utterances: z
    .array(
      z.object({ speaker: z.enum(['customer', 'agent']), text: z.string().check(z.minLength(1), z.maxLength(4096)) }),
    )
    .check(z.maxLength(100)),
});

/**
 * Validates the session JSON the page fetched. A wrong shape is `E_RESPONSE_INVALID` naming the failing fields
 * (never their values: the URL holds a token).
 *
 * @example
 * ```ts
 * const session = parseWidgetSession(await (await fetch('./session.json')).json());
 * ```
 */
export function parseWidgetSession(value: unknown): WidgetSession {
  const checked = Session.safeParse(value);
  if (!checked.success) {
    const fields = [...new Set(checked.error.issues.map((i) => issuePath(i.path, { root: '(body)' })))];
    throw new KaaError(
      'E_RESPONSE_INVALID',
      `The widget session from the example server is malformed at ${fields.map((f) => `"${f}"`).join(', ')}. Restart the example server; it mints a fresh session for every page load.`,
      {
        details: { fields },
      },
    );
  }
  return checked.data;
}
