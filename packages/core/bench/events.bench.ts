/**
 * The relay path per notification frame, as the page runs it on a live call:
 * - a transcription frame of NEW utterances (ids unique per frame, offsets moving on, as Genesys sends them) is parsed,
 *   normalised and pushed into the call's ledger, which emits its finals (a fresh ledger per 1,000 frames: one call);
 * - a calls frame in which this agent's state changed (hold, resume, in turn) is parsed and diffed against the
 *   previous one, which yields its lifecycle event.
 * Frames are built before timing. Each iteration checks that it did its work (utterances emitted, events found) and
 * throws otherwise, and each bench prints the work it did per iteration.
 */
import { bench, describe } from 'vitest';
import { TranscriptLedger, diffConversation, normalizeTranscription, parseNotification } from '@kaa/core';
import { benchWork, readFixture } from '@kaa/test-support';

interface Transcript {
  utteranceId: string;
  alternatives: { offsetMs: number }[];
}
const detail = readFixture<{ detail: { topicName: string; eventBody: { transcripts: Transcript[] } } }>(
  'notifications/transcription_internal_external_ongoing.eventbridge.json',
).detail;
const call = readFixture<{ entities: { participants: { purpose: string; held?: boolean }[] }[] }>(
  'conversations/conversations_calls_active_voice.json',
).entities[0]!;
const ME = '00000000-0000-4000-8000-00000000001d';

/** Frames per call: the ledger is renewed after this many (it remembers the emitted ids of one call). */
const FRAMES_PER_CALL = 1000;
const transcriptionFrames = Array.from({ length: FRAMES_PER_CALL }, (_, i) =>
  JSON.stringify({
    ...detail,
    eventBody: {
      ...detail.eventBody,
      transcripts: detail.eventBody.transcripts.map((t, k) => ({
        ...t,
        utteranceId: `bench-${i}-${k}`,
        alternatives: t.alternatives.map((a) => ({ ...a, offsetMs: a.offsetMs + i * 60_000 })),
      })),
    },
  }),
);
const UTTERANCES_PER_FRAME = detail.eventBody.transcripts.length;

/** The active call with this agent held, then not held: each frame differs from the one before. */
const callFrames = [true, false].map((held) =>
  JSON.stringify({
    topicName: `v2.users.${ME}.conversations.calls`,
    eventBody: { ...call, participants: call.participants.map((p) => (p.purpose === 'agent' ? { ...p, held } : p)) },
  }),
);

describe('relay path', () => {
  const utterances = benchWork('utterances emitted', UTTERANCES_PER_FRAME);
  let ledger = new TranscriptLedger();
  let frameIndex = 0;
  bench(
    'transcription frame of new utterances → parse → normalise → ledger.push',
    () => {
      if (frameIndex === FRAMES_PER_CALL) {
        frameIndex = 0;
        ledger = new TranscriptLedger(); // the next call
      }
      const n = parseNotification(transcriptionFrames[frameIndex++] as string);
      utterances.add(
        n.kind === 'transcription' ? ledger.push(normalizeTranscription(n.eventBody).utterances).length : 0,
      );
    },
    utterances.options,
  );

  const events = benchWork('lifecycle events (held or resumed)', 1);
  let previous: unknown = JSON.parse(callFrames[1] as string).eventBody;
  let turn = 0;
  bench(
    'calls frame with a changed state (hold / resume) → parse → diffConversation',
    () => {
      const n = parseNotification(callFrames[turn++ % 2] as string);
      const found = n.kind === 'userConversation' ? diffConversation(previous, n.eventBody, ME) : [];
      if (n.kind === 'userConversation') previous = n.eventBody;
      events.add(found.length);
    },
    events.options,
  );
});
