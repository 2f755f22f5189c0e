/**
 * The page's Content-Security-Policy builders live in core (`buildPageCsp`, `defaultProductionCsp`), where `kaa page
 * --csp` calls them too; re-exported here for the page's dev tools and tests.
 * @packageDocumentation
 */
export { buildPageCsp, defaultProductionCsp } from '@kaa/core';
export type { PageCspOrigins } from '@kaa/core';
