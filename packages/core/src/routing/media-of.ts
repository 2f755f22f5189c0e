import type { GenesysMediaSession, GenesysParticipant } from './conversation.js';

/**
 * The Genesys media kinds kaa assists.
 *
 * @example
 * ```ts
 * const media: MediaKind | undefined = mediaOf(participant); // 'call', 'message', …
 * ```
 */
export type MediaKind = 'call' | 'callback' | 'message' | 'chat' | 'email';

/**
 * The Kore experience (`channel`/`experience` of the widget and hooks).
 *
 * @example
 * ```ts
 * const experience: KoreExperience = experienceOf('call'); // → 'voice'
 * ```
 */
export type KoreExperience = 'voice' | 'chat' | 'email';

const ARRAY_TO_KIND: readonly (readonly [keyof GenesysParticipant & string, MediaKind])[] = [
  ['calls', 'call'],
  ['callbacks', 'callback'],
  ['messages', 'message'],
  ['chats', 'chat'],
  ['emails', 'email'],
];

const ENDED = new Set(['disconnected', 'terminated']);

/**
 * The media of a participant, read from its media arrays (nested and notification shapes).
 * A session that is not `disconnected`/`terminated` wins over an ended one; among equals the order is
 * `calls`, `callbacks`, `messages`, `chats`, `emails` (a callback that has been dialled carries a call).
 * The `/conversations/calls`-style flattened participant has no media arrays: pass `fallback` (the media the
 * endpoint or topic implies), otherwise the result is `undefined`.
 *
 * @example
 * ```ts
 * import { mediaOf } from '@kaa/core';
 *
 * mediaOf({ purpose: 'agent', calls: [{ state: 'connected' }] });      // → 'call'
 * mediaOf({ purpose: 'agent', state: 'connected' }, 'call');           // → 'call' (flattened calls entity)
 * mediaOf({ purpose: 'agent' });                                       // → undefined
 * ```
 */
export function mediaOf(participant: GenesysParticipant, fallback?: MediaKind): MediaKind | undefined {
  let ended: MediaKind | undefined;
  for (const [array, kind] of ARRAY_TO_KIND) {
    const list = participant[array];
    if (!Array.isArray(list) || list.length === 0) continue;
    if (
      (list as readonly GenesysMediaSession[]).some(
        (s) => s === null || typeof s !== 'object' || !ENDED.has(String(s.state)),
      )
    )
      return kind;
    ended ??= kind;
  }
  return ended ?? fallback;
}

const EXPERIENCE: Readonly<Record<MediaKind, KoreExperience>> = {
  call: 'voice',
  callback: 'voice',
  message: 'chat',
  chat: 'chat',
  email: 'email',
};

/**
 * The Kore experience for a Genesys media (docs/genesys-protocol.md#media-sessions): `call` → `voice` (widget `isCall=true`),
 * `message`/`chat` → `chat`, `email` → `email`. A `callback` maps to `voice`: a callback ends in a phone call
 * (assumption; the table in the guide does not list callbacks).
 *
 * @example
 * ```ts
 * import { experienceOf } from '@kaa/core';
 *
 * experienceOf('message'); // → 'chat'
 * experienceOf('call');    // → 'voice'
 * ```
 */
export function experienceOf(media: MediaKind): KoreExperience {
  return EXPERIENCE[media];
}
