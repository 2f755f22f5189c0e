import type { Notification } from '@kaa/core';
import type { NotificationEvent } from './types.js';

/**
 * The event one parsed frame is reported as: a data topic as itself, a system topic as a `system` event, a heartbeat
 * as nothing. What the client does about a system topic (and the extra `tokenRevoked` event) is decided where the
 * frame arrives (docs/genesys-protocol.md#envelope-heartbeat-and-system-topics).
 *
 * @example
 * ```ts
 * const event = eventOfFrame(parseNotification(frame));
 * if (event) emitter.emit(event);
 * ```
 */
export function eventOfFrame(n: Notification): NotificationEvent | null {
  switch (n.kind) {
    case 'heartbeat':
      return null;
    case 'transcription':
      return { type: 'transcription', notification: n };
    case 'userConversation':
      return { type: 'userConversation', notification: n };
    case 'unknown':
      return { type: 'unknown', notification: n };
    case 'socketClosing':
    case 'noLongerSubscribed':
    case 'tokenRevoked':
      return { type: 'system', kind: n.kind, topicName: n.topicName };
  }
}
