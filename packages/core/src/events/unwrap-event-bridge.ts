/**
 * Returns the Genesys notification inside an Amazon EventBridge event (`{"detail-type", source, detail}`),
 * or `value` unchanged when it is not one. EventBridge delivery wraps the same `{topicName, eventBody, …}`
 * message that the notification WebSocket sends, under `detail`.
 *
 * @example
 * ```ts
 * import { unwrapEventBridge } from '@kaa/core';
 *
 * unwrapEventBridge({ 'detail-type': 'v2.conversations.{id}.transcription', source: 'aws.partner/genesys.com/…',
 *   detail: { topicName: 'v2.conversations.c1.transcription', eventBody: {} } });
 * // → { topicName: 'v2.conversations.c1.transcription', eventBody: {} }
 * unwrapEventBridge({ topicName: 'channel.metadata', eventBody: {} }); // → the same object
 * ```
 */
export function unwrapEventBridge(value: unknown): unknown {
  if (!isRecord(value) || !('detail' in value) || !isRecord(value.detail)) return value;
  const looksLikeEventBridge = 'detail-type' in value || 'source' in value;
  return looksLikeEventBridge ? value.detail : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
