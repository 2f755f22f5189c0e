/**
 * The seven **iFrame Sandbox Options** the Kore guide asks for on the Interaction Widget.
 *
 * @example
 * ```ts
 * import { WIDGET_SANDBOX_FLAGS } from '@kaa/core';
 *
 * WIDGET_SANDBOX_FLAGS.join(','); // → 'allow-forms,allow-modals,allow-popups,allow-presentation,allow-same-origin,allow-scripts,allow-downloads'
 * ```
 */
export const WIDGET_SANDBOX_FLAGS = [
  'allow-forms',
  'allow-modals',
  'allow-popups',
  'allow-presentation',
  'allow-same-origin',
  'allow-scripts',
  'allow-downloads',
] as const;

/**
 * The six **iFrame Feature/Permission Policy** entries the Kore guide asks for (`clipboard-write` lets the widget's Copy work).
 *
 * @example
 * ```ts
 * import { WIDGET_PERMISSIONS } from '@kaa/core';
 *
 * WIDGET_PERMISSIONS.join(','); // → 'camera,microphone,geolocation,clipboard-write,display-capture,fullscreen'
 * ```
 */
export const WIDGET_PERMISSIONS = [
  'camera',
  'microphone',
  'geolocation',
  'clipboard-write',
  'display-capture',
  'fullscreen',
] as const;

/**
 * The Interaction Widget's **Communication Type Filtering**: the guide says "chat and call"; kaa's deployment
 * docs add `webmessaging` (docs/assumptions.md#communication-type-filter-values).
 *
 * @example
 * ```ts
 * import { WIDGET_COMMUNICATION_TYPES } from '@kaa/core';
 *
 * WIDGET_COMMUNICATION_TYPES.join(','); // → 'call,chat,webmessaging'
 * ```
 */
export const WIDGET_COMMUNICATION_TYPES = ['call', 'chat', 'webmessaging'] as const;

/**
 * Why {@link WIDGET_COMMUNICATION_TYPES} lists more than the guide's "chat and call", in words for the admin
 * (docs/assumptions.md#communication-type-filter-values).
 *
 * @example
 * ```ts
 * import { WIDGET_COMMUNICATION_TYPES_WHY } from '@kaa/core';
 *
 * console.log(WIDGET_COMMUNICATION_TYPES_WHY);
 * ```
 */
export const WIDGET_COMMUNICATION_TYPES_WHY =
  'The Kore guide says "chat and call". kaa adds webmessaging: Genesys web messaging (Messenger) interactions are their own communication type, not "chat", and kaa relays their text to the widget; without it the widget does not appear on them. Leave it out if your queues take no web messaging. See docs/assumptions.md#communication-type-filter-values.';
