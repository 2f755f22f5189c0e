/**
 * The Third-Party Configuration and legacy Genesys table bot sources, in their own chunk: most deployments
 * use the Kore Data Table, so the page fetches this only when the widget URL selects one of these.
 * @packageDocumentation
 */
export { createThirdPartyBotSource } from '@kaa/kore-client';
export { createGenesysTableBotSource } from '@kaa/genesys-adapter';
