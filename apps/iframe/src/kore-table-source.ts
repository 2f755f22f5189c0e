/**
 * The Kore Data Table bot source (kore-client's `createKoreTableBotSource` with its client; bot-row parsing and
 * routing come with it), in its own chunk: `index.html` modulepreloads it (vite plugin
 * `kaa-preload-critical-chunks`), so it is ready when step 4 starts the table read, and none of it is in the first
 * chunk.
 * @packageDocumentation
 */
export { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
