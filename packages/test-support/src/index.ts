/**
 * @kaa/test-support — shared setup for kaa's tests (Node only, never shipped): real Genesys fixtures,
 * Chromium with the standard flags, esbuild page bundles, 127.0.0.1 page servers (and a plain static file host),
 * secret scans (text and whole browser), what the agent sees of the stand-in widget, benchmark work checks, KaaError
 * expectations, key pairs generated once and shared, a real redis-server.
 * @packageDocumentation
 */
export { fixturePath, readFixture, readFixtureText } from './read-fixture.js';
export { assertChromium, CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './chromium.js';
export type { LaunchChromiumOptions, LaunchedChromium } from './chromium.js';
export { WORKSPACE_ALIASES, bundlePage } from './bundle-page.js';
export { servePage } from './serve-page.js';
export type { PageRoute, PageRoutes, ServedPage } from './serve-page.js';
export { expectNoSecrets, visibleText } from './expect-no-secrets.js';
export { codeOf, errorOf, expectOnlyKaaError, rejectionOf } from './kaa-errors.js';
export { testEcKeys, testRsaKeys } from './test-keys.js';
export type { TestKeyPair } from './test-keys.js';
export { mockHttp } from './mock-http.js';
export { startStaticHost } from './static-host.js';
export type { StaticHost, StaticHostOptions, StaticHostRequest } from './static-host.js';
export { benchWork } from './bench-work.js';
export type { BenchWork } from './bench-work.js';
export { expectWidgetConnected, expectWidgetTranscript, readWidgetView, renderedLine } from './widget-view.js';
export type { WidgetExpectOptions, WidgetLine, WidgetTranscriptOptions, WidgetView } from './widget-view.js';
export { expectNoSecretsInBrowser, findSecretLeaks, watchBrowser } from './browser-secrets.js';
export type {
  BrowserWatch,
  KindsBy,
  ObservedMessage,
  ObservedRequest,
  ObservedSocket,
  SecretScanPolicy,
  TrackedSecret,
} from './browser-secrets.js';
export { startRedis } from './redis-server.js';
export type { TestRedis } from './redis-server.js';
