import type { Models } from 'purecloud-platform-client-v2';
import { ORG } from '../seed.js';
import { iso } from './clock.js';
import type { WorldConversation } from './world-types.js';

/** One transcript result to publish. */
export interface TranscriptPiece {
  utteranceId: string;
  channel: 'EXTERNAL' | 'INTERNAL';
  text: string;
  isFinal: boolean;
  offsetMs: number;
  durationMs: number;
}

/**
 * The `v2.conversations.{id}.transcription` event body (`TranscriptionTopicTranscriptionMessage`, like
 * `fixtures/genesys/notifications/transcription_internal_external_ongoing.eventbridge.json` `detail.eventBody`).
 * `communicationId` is the customer's call session (inferred). Without `piece` it is the `SESSION_ENDED` event.
 *
 * @example
 * ```ts
 * hub.publish(`v2.conversations.${c.id}.transcription`, toTranscriptionEvent(c, piece, now, sessionStartMs));
 * ```
 */
export function toTranscriptionEvent(
  c: WorldConversation,
  piece: TranscriptPiece | undefined,
  nowMs: number,
  sessionStartMs: number,
  offsetMs = 0,
): Models.TranscriptionTopicTranscriptionMessage {
  const customer = c.participants.find((p) => p.purpose === 'customer');
  let wordOffset = piece?.offsetMs ?? 0;
  const words = (piece?.text ?? '').split(/\s+/).filter(Boolean);
  const perWord = piece && words.length ? Math.max(40, Math.floor(piece.durationMs / words.length)) : 0;
  const timed = words.map((word) => {
    const w = { confidence: 0.95, offsetMs: wordOffset, durationMs: perWord, word };
    wordOffset += perWord;
    return w;
  });
  return {
    eventTime: iso(nowMs),
    organizationId: ORG.id,
    conversationId: c.id,
    communicationId: customer?.sessionId ?? c.id,
    sessionStartTimeMs: sessionStartMs,
    transcriptionStartTimeMs: sessionStartMs,
    ...(piece
      ? {
          transcripts: [
            {
              utteranceId: piece.utteranceId,
              isFinal: piece.isFinal,
              channel: piece.channel,
              alternatives: [
                {
                  confidence: piece.isFinal ? 0.95 : 0.6,
                  offsetMs: piece.offsetMs,
                  durationMs: piece.durationMs,
                  transcript: piece.text,
                  words: timed,
                  decoratedTranscript: piece.text,
                  decoratedWords: timed,
                },
              ],
              engineProvider: 'GENESYS',
              engineId: 'sandbox',
              engineName: 'sandbox',
              dialect: 'en-US',
              agentAssistEnabled: false,
              voiceTranscriptionEnabled: true,
            } satisfies Models.TranscriptionTopicTranscriptResult,
          ],
          status: { offsetMs: piece.offsetMs + piece.durationMs, status: 'SESSION_ONGOING' },
        }
      : { status: { offsetMs, status: 'SESSION_ENDED' } }),
  } satisfies Models.TranscriptionTopicTranscriptionMessage;
}
