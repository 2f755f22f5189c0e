/**
 * @kaa/core — the rules of the Kore Agent AI ↔ Genesys Cloud CX integration as pure, typed functions.
 * No IO and no globals: no `window`, `fetch`, `WebSocket`, timers, or unseeded clock/randomness.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './redact.js';
export type { IssueLike, IssuePathOptions } from './issues.js';
export { describeIssue, describeIssues, issuePath, issuePaths, listIssues, typeWithArticle } from './issues.js';
export { allowsHttpLoopback, isHttpsOrLoopback, isLoopbackHost, isLoopbackUrl } from './https-url.js';
export type { Base64Alphabet } from './base64.js';
export { decodeBase64, decodeBase64Text, decodeBase64urlText, decodeUtf8, encodeBase64, encodeBase64url } from './base64.js';
export * from './context/index.js';
export * from './routing/index.js';
export * from './kvp/index.js';
export * from './tokens/index.js';
export * from './widget/index.js';
export * from './admin/index.js';
export * from './events/index.js';
export * from './broker/contract.js';
export * from './ports/index.js';
