/**
 * Whether a request to the Kore platform carries a credential its route accepts, without acting on it (no `jti` is
 * spent, nothing is recorded). The platform asks before it answers an injected failure (`failNext`): a fault stands
 * for a server error after authentication, so a request with a missing, bad or expired credential is refused by its
 * route as usual and the failure stays queued.
 */
import { secretOfBotApp } from './hooks-api.js';
import { verifyPlatformJwt, verifyWidgetJwt } from './jwt-checks.js';
import { jwtgrantAssertion, widgetKeyOf } from './jwtgrant-api.js';
import type { KoreRoute } from './platform.js';
import { thirdPartyReader } from './sandbox-api.js';
import { liveAccessToken } from './world.js';
import type { KoreWorld } from './world.js';

/** What {@link credentialAccepted} reads of a request. */
export interface CredentialInput {
  header(name: string): string | undefined;
  body: unknown;
  /** The account of a Third-Party Configuration path, when the path is one. */
  thirdPartyAccountId?: string;
}

/**
 * True when the route would accept the request's credential.
 *
 * @example
 * ```ts
 * if (fault && (await credentialAccepted(world, 'tables', { header, body }))) return koreFault(fault.status);
 * ```
 */
export async function credentialAccepted(world: KoreWorld, route: KoreRoute, input: CredentialInput): Promise<boolean> {
  switch (route) {
    case 'tables':
      return (await verifyPlatformJwt(input.header('auth'), (appId) => world.dataApps.get(appId), world.now())).ok;
    case 'hooks':
      return (await verifyPlatformJwt(input.header(world.settings.hooksAuthHeader), secretOfBotApp(world), world.now()))
        .ok;
    case 'control':
      return (await verifyPlatformJwt(input.header('auth'), secretOfBotApp(world), world.now())).ok;
    case 'jwtgrant': {
      const assertion = jwtgrantAssertion(input.body);
      // a copy of the seen jti: checking must not spend the assertion's jti
      return (
        assertion !== undefined &&
        (await verifyWidgetJwt(assertion, widgetKeyOf(world), world.now(), new Set(world.seenJti))).ok
      );
    }
    case 'settings':
      return liveAccessToken(world, input.header('authorization')) !== undefined;
    case 'thirdParty':
      return (
        input.thirdPartyAccountId === undefined ||
        (await thirdPartyReader(world, input.header('auth'), input.thirdPartyAccountId)).ok
      );
    case 'widget':
      return true;
  }
}
