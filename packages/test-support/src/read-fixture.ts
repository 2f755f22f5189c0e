import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = new URL('../../../fixtures/genesys/', import.meta.url);

/**
 * Absolute path of a real Genesys payload under the repo's `fixtures/genesys/`.
 *
 * @example
 * ```ts
 * fixturePath('channels/notification_channel_created.json'); // '/…/fixtures/genesys/channels/notification_channel_created.json'
 * ```
 */
export function fixturePath(path: string): string {
  return fileURLToPath(new URL(path, FIXTURES));
}

/**
 * The text of a fixture under `fixtures/genesys/` (for parsers that take the raw frame).
 *
 * @example
 * ```ts
 * parseNotification(readFixtureText('notifications/transcription_internal_external_ongoing.json'));
 * ```
 */
export function readFixtureText(path: string): string {
  return readFileSync(fixturePath(path), 'utf8');
}

/**
 * A fixture under `fixtures/genesys/`, parsed as JSON. The type parameter is the caller's claim.
 *
 * @example
 * ```ts
 * const channel = readFixture<{ connectUri: string }>('channels/notification_channel_created.json');
 * ```
 */
export function readFixture<T = any>(path: string): T {
  return JSON.parse(readFixtureText(path)) as T;
}
