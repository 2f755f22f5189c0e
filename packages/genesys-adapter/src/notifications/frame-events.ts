import type { Notification } from '@kaa/core';
import type { NotificationEvent } from './types.js';

/**
 * The events one parsed frame is reported as, in order: data topics as themselves, system topics as a `system` event
 * (and `token_revoked` also as `tokenRevoked`), heartbeats as nothing. What the client does about a system topic is
 * decided where the frame arrives (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics).
 *
 * @example
 * ```ts
 * for (const event of eventsOfFrame(parseNotification(frame))) emitter.emit(event);
 * ```
 */
export function eventsOfFrame(n: Notification): NotificationEvent[] {
  switch (n.kind) {
    case 'heartbeat':
      return [];
    case 'transcription':
      return [{ type: 'transcription', notification: n }];
    case 'userConversation':
      return [{ type: 'userConversation', notification: n }];
    case 'unknown':
      return [{ type: 'unknown', notification: n }];
    case 'socketClosing':
    case 'noLongerSubscribed':
      return [{ type: 'system', kind: n.kind, topicName: n.topicName }];
    case 'tokenRevoked':
      return [{ type: 'system', kind: 'tokenRevoked', topicName: n.topicName }, { type: 'tokenRevoked' }];
  }
}
