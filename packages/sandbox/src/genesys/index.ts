/** The Genesys half of the sandbox: login origin, API origin (REST + notifications + control API), world model. */
export * from './start.js';
export * from './driver.js';
export * from './options.js';
export * from './faults.js';
export * from './service.js';
export * from './world.js';
export * from './world-types.js';
export * from './seed-world.js';
export * from './shapes.js';
export * from './pkce.js';
export * from './control.js';
export { API_EXPOSED_HEADERS } from './api-server.js';
export { TOKEN_EXPIRED_CLOSE } from './notifications.js';
