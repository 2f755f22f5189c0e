import { KaaError } from '../errors.js';

/** The docs section that explains Third-Party Configuration in kaa (stable anchor). */
export const THIRD_PARTY_DOCS = 'docs/assumptions.md#third-party-configuration-runtime-api';

/**
 * What kaa needs to serve a Third-Party Configuration URL (`accountId=…`) when no lookup is configured
 * (`thirdParty.source: none`, the default), in words for the admin: Kore has not published how a host reads those
 * records at runtime, so kaa needs an endpoint it can call, or the Kore Data Table mode instead
 * (docs/assumptions.md#third-party-configuration-runtime-api). The page shows it in its error panel; `kaa url` and
 * `kaa page` print it.
 *
 * @example
 * ```ts
 * import { explainThirdPartyLookup } from '@kaa/core';
 *
 * screen.fail(explainThirdPartyLookup('6a1c…'));
 * ```
 */
export function explainThirdPartyLookup(accountId: string): KaaError {
  return new KaaError(
    'E_CONFIG_INVALID',
    `This Interaction Widget URL uses Agent AI Third-Party Configuration (accountId=${accountId.slice(0, 100)}), which kaa can serve only with a lookup it can call: Kore has not published how a host reads those records at runtime. ` +
      `Your kaa administrator must do one of these: (1) set "thirdParty.source": "http" and "thirdParty.http.url" to an endpoint that answers the bot record for {accountId} and {queueName} (with "thirdParty.http.token" if it needs a credential), then run "kaa page --dist" again; ` +
      `(2) use a Kore Data Table instead: "kaa table apply" writes the rows, and "kaa url" prints the Application URL (multibot=true&x_metadata=…). ` +
      `"thirdParty.staticMap" also works, but it puts every bot's ClientSecret into the page's public settings: use it only in a sandbox. Details: ${THIRD_PARTY_DOCS}.`,
    {
      details: {
        key: 'thirdParty.source',
        accountId: accountId.slice(0, 100),
        docs: THIRD_PARTY_DOCS,
        needs: ['thirdParty.source', 'thirdParty.http.url'],
      },
    },
  );
}
