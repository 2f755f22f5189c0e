import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { TranscriptLedger, diffConversation, normalizeTranscription, parseNotification } from '@kaa/core';

const frame = JSON.stringify(
  (JSON.parse(readFileSync(new URL('../../../fixtures/genesys/notifications/transcription_internal_external_ongoing.eventbridge.json', import.meta.url), 'utf8')) as { detail: unknown }).detail,
);
const call = (JSON.parse(readFileSync(new URL('../../../fixtures/genesys/conversations/conversations_calls_active_voice.json', import.meta.url), 'utf8')) as { entities: unknown[] }).entities[0];
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
