/**
 * Node only: serving a built kaa page against the sandbox without touching the build. The page's settings for the
 * sandbox (its Genesys environment record, Kore's API host, the Third-Party lookup) go into a temporary copy of the
 * build, and the copy is served, so a `dist` deployed later never carries 127.0.0.1 origins. `pnpm sandbox` and the
 * page's demo/test harness (`apps/iframe/dev/page-sandbox.ts`) both use it.
 * @packageDocumentation
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedPageConfig, KaaError } from '@kaa/core';
import type { KaaSettingsInput } from '@kaa/core';
import { DEFAULT_THIRD_PARTY_PATH } from './kore/third-party.js';
import type { SandboxEnvironment } from './sandbox.js';

/**
 * The kaa page's settings for a running sandbox: the sandbox as an extra Genesys environment, the Kore platform as
 * the Kore API host, and the Third-Party Configuration lookup on it (with the platform's `thirdPartyToken` when given).
 *
 * @example
 * ```ts
 * const settings = sandboxPageSettings(sandbox); // { genesys: { environments: [sandbox.environment] }, kore: { apiHost }, thirdParty }
 * ```
 */
export function sandboxPageSettings(sandbox: {
  environment: SandboxEnvironment;
  origins: { kore: string };
  kore?: { thirdPartyToken: string };
}): KaaSettingsInput {
  const kore = sandbox.origins.kore;
  // the sandbox's Third-Party lookup requires a reader app's JWT (docs/assumptions.md#third-party-configuration-runtime-api)
  const token = sandbox.kore?.thirdPartyToken;
  return {
    genesys: { environments: [sandbox.environment] },
    kore: { apiHost: kore },
    thirdParty: { source: 'http', http: { url: `${kore}${DEFAULT_THIRD_PARTY_PATH}`, ...(token ? { token } : {}) } },
  };
}

/** A temporary copy of a built page; see {@link copyBuiltPage}. */
export interface BuiltPageCopy {
  /** The copy (serve this directory). */
  readonly dir: string;
  /**
   * Writes `settings` into the copy: `kaa.config.json`, and with `embedded` (the recommended production setup) also
   * the block in `index.html` that the page reads without a request.
   */
  configure(settings: KaaSettingsInput, delivery?: 'embedded' | 'file'): void;
  /** Deletes the copy. */
  remove(): void;
}

/**
 * Copies the built page in `sourceDir` (the `vite build` output, e.g. `apps/iframe/dist`) to a fresh temporary
 * directory. `sourceDir` is only read.
 *
 * @example
 * ```ts
 * const copy = copyBuiltPage('apps/iframe/dist');
 * const sandbox = await startSandbox({ page: { dir: copy.dir } });
 * copy.configure(sandboxPageSettings(sandbox));
 * // … later
 * await sandbox.close();
 * copy.remove();
 * ```
 */
export function copyBuiltPage(sourceDir: string): BuiltPageCopy {
  const sourceIndex = join(sourceDir, 'index.html');
  let index: string;
  try {
    index = readFileSync(sourceIndex, 'utf8');
  } catch (e) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The built page ${sourceIndex} is missing. Build the page (pnpm build) or point at its dist directory.`,
      { cause: e, details: { file: sourceIndex } },
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'kaa-page-served-'));
  try {
    cpSync(sourceDir, dir, { recursive: true });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new KaaError('E_CONFIG_INVALID', `The built page in ${sourceDir} could not be copied to ${dir}.`, {
      cause: e,
    });
  }
  return {
    dir,
    configure(settings, delivery = 'embedded') {
      writeFileSync(join(dir, 'kaa.config.json'), `${JSON.stringify(settings, null, 2)}\n`);
      if (delivery === 'embedded') writeFileSync(join(dir, 'index.html'), embedPageConfig(index, settings));
      else if (index.includes('id="kaa-config"')) {
        throw new KaaError(
          'E_CONFIG_INVALID',
          `${sourceIndex} already embeds settings, so kaa.config.json would be ignored. Build the page again to deliver the settings as a file.`,
          { details: { file: sourceIndex } },
        );
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
