/** The socket port is core's; re-exported here for the notification code of this package. */
export type { WebSocketFactory, WebSocketLike } from '@kaa/core';
