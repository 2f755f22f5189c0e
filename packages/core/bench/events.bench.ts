import { bench, describe } from 'vitest';
import { TranscriptLedger, diffConversation, normalizeTranscription, parseNotification } from '@kaa/core';
import { readFixture } from '@kaa/test-support';

const frame = JSON.stringify(readFixture<{ detail: unknown }>('notifications/transcription_internal_external_ongoing.eventbridge.json').detail);
const call = readFixture<{ entities: unknown[] }>('conversations/conversations_calls_active_voice.json').entities[0];
const callFrame = JSON.stringify({ topicName: 'v2.users.u1.conversations.calls', eventBody: call });

describe('relay path', () => {
  const ledger = new TranscriptLedger();
  bench('transcription frame → parse → normalise → ledger.push', () => {
    const n = parseNotification(frame);
    if (n.kind === 'transcription') ledger.push(normalizeTranscription(n.eventBody).utterances);
  });
  bench('calls frame → parse → diffConversation', () => {
    const n = parseNotification(callFrame);
    if (n.kind === 'userConversation') diffConversation(call, n.eventBody, '00000000-0000-4000-8000-00000000001d');
  });
});
