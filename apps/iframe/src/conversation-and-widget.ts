/**
 * The conversation and the widget, for steps 5–7: conversation parsing, the agent participant, queue and media
 * (step 5), the widget JWT, custom data and widget URL (step 6, core's `mintWidgetLaunch`) and the widget host
 * (step 7), in one chunk. `index.html` modulepreloads it (vite plugin `kaa-preload-critical-chunks`), so it is
 * fetched and compiled beside the first chunk and evaluated while step 4's requests are in flight; the first chunk
 * holds only what must run before they start.
 * @packageDocumentation
 */
export {
  describeWidgetUrl,
  findAgentParticipant,
  mediaOf,
  mintWidgetLaunch,
  parseConversation,
  queueOf,
} from '@kaa/core';
export { mountView } from './mount-view.js';
export { keepSecureCustomDataFresh } from './secure-refresh.js';
