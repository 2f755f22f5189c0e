/** The widget URL contract, Genesys environments, the OAuth state codec and kaa's settings. */
export * from './widget-context.js';
export * from './x-metadata.js';
export * from './app-url.js';
export * from './search-params.js';
export * from './environments.js';
export * from './resolve-environment.js';
export * from './auth-state.js';
export * from './settings.js';
export * from './desktop-origins.js';
export * from './redirect-uris.js';
export * from './page-allow.js';
