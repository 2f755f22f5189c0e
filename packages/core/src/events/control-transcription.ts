import { KaaError } from '../errors.js';
import type { LifecycleEvent } from './lifecycle-event.js';
import type { KorePostRequest } from './kore-post-request.js';

/** Control Transcription `action` (docs/kore-protocol.md#hold-resume-and-control-transcription). */
export type ControlTranscriptionAction = 'start' | 'pause' | 'resume' | 'end';

/** Input of {@link buildControlTranscriptionRequest}. `handover` is required with `pause`: `true` for a transfer, `false` for a hold. */
export interface ControlTranscriptionInput {
  readonly botId: string;
  readonly conversationId: string;
  readonly action: ControlTranscriptionAction;
  readonly agentId: string;
  readonly handover?: boolean;
}

/** A Control Transcription call without its token (the caller adds header `authHeader.name` with the JWT). */
export interface ControlTranscriptionRequest extends KorePostRequest<{
  readonly action: ControlTranscriptionAction;
  readonly agentId: string;
  readonly handover?: boolean;
}> {
  /** `/api/1.1/public/bot/{botId}/control/transcription?conversationId=…` */
  readonly path: string;
}

/** What the hold sink should do for a lifecycle event. */
export type HoldSinkAction =
  { readonly action: 'pause'; readonly handover: boolean } | { readonly action: 'resume' } | { readonly action: 'end' };

const ACTIONS = new Set<unknown>(['start', 'pause', 'resume', 'end']);

/**
 * Builds a Control Transcription request (docs/kore-protocol.md#hold-resume-and-control-transcription): `POST /api/1.1/public/bot/{botId}/control/transcription?conversationId=…`
 * with body `{action, agentId, handover?}`. `handover` is sent only with `pause`, where it is required.
 *
 * @example
 * ```ts
 * import { buildControlTranscriptionRequest } from '@kaa/core';
 *
 * buildControlTranscriptionRequest({ botId: 'st-1', conversationId: 'c 1', action: 'pause', agentId: 'u1', handover: false });
 * // → { method: 'POST', path: '/api/1.1/public/bot/st-1/control/transcription?conversationId=c%201',
 * //     authHeader: { name: 'auth' }, body: { action: 'pause', agentId: 'u1', handover: false }, … }
 * ```
 */
export function buildControlTranscriptionRequest(
  input: ControlTranscriptionInput,
  options: { readonly authHeader?: string } = {},
): ControlTranscriptionRequest {
  for (const field of ['botId', 'conversationId', 'agentId'] as const) {
    const value: unknown = input[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new KaaError(
        'E_EVENT_INVALID',
        `A Control Transcription request needs "${field}", and it is empty. Check the bot record and the signed-in agent.`,
        {
          details: { field },
        },
      );
    }
  }
  if (!ACTIONS.has(input.action)) {
    throw new KaaError(
      'E_EVENT_INVALID',
      `Control Transcription action must be start, pause, resume or end (got "${String(input.action)}").`,
      {
        details: { field: 'action' },
      },
    );
  }
  if (input.action === 'pause' && typeof input.handover !== 'boolean') {
    throw new KaaError(
      'E_EVENT_INVALID',
      'A Control Transcription "pause" needs "handover": true for a transfer, false for a hold. Use holdSinkActionFor to pick it.',
      { details: { field: 'handover' } },
    );
  }
  const body =
    input.action === 'pause'
      ? { action: input.action, agentId: input.agentId, handover: input.handover as boolean }
      : { action: input.action, agentId: input.agentId };
  return {
    method: 'POST',
    path: `/api/1.1/public/bot/${encodeURIComponent(input.botId)}/control/transcription?conversationId=${encodeURIComponent(input.conversationId)}`,
    headers: { 'content-type': 'application/json' },
    authHeader: { name: options.authHeader ?? 'auth' },
    body,
  };
}

/**
 * The hold-sink call for a lifecycle event, per docs/kore-protocol.md#hold-resume-and-control-transcription (docs/assumptions.md#hold-and-resume-sink, inferred; used when `sendEventsToVG=true`):
 * hold → `pause` (`handover: false`); resume → `resume`; cold transfer out → `pause` (`handover: true`);
 * conversation end → `end`; anything else → `undefined`.
 *
 * @example
 * ```ts
 * import { holdSinkActionFor, buildControlTranscriptionRequest } from '@kaa/core';
 *
 * const action = holdSinkActionFor({ kind: 'held', participantId: 'p1' }); // → { action: 'pause', handover: false }
 * if (action) send(buildControlTranscriptionRequest({ botId, conversationId, agentId, ...action }));
 * ```
 */
export function holdSinkActionFor(event: LifecycleEvent): HoldSinkAction | undefined {
  switch (event.kind) {
    case 'held':
      return { action: 'pause', handover: false };
    case 'resumed':
      return { action: 'resume' };
    case 'transfer':
      return event.transition === 'exit' && event.transferType === 'cold'
        ? { action: 'pause', handover: true }
        : undefined;
    case 'ended':
      return { action: 'end' };
    default:
      return undefined;
  }
}
