import { KaaError, isKaaError } from '@kaa/core';

/** The host of a channel's `connectUri`, for messages (a placeholder when it is not a URL). */
export function hostOf(connectUri: string): string {
  try {
    return new URL(connectUri).host;
  } catch {
    return 'streaming.{domain}';
  }
}

/** A channel-call failure as `E_NOTIFICATIONS_CHANNEL`; the Genesys error stays the cause and its code `causeCode`. */
export function channelError(error: unknown, what: string): KaaError {
  if (
    isKaaError(
      error,
      'E_NOTIFICATIONS_CHANNEL',
      'E_NOTIFICATIONS_SOCKET',
      'E_NOTIFICATIONS_UNSUBSCRIBED',
      'E_NOTIFICATIONS_TOKEN_REVOKED',
      'E_PERMISSION_MISSING',
    )
  )
    return error;
  const inner = isKaaError(error) ? error : null;
  return new KaaError(
    'E_NOTIFICATIONS_CHANNEL',
    `Genesys notifications could not ${what}${inner ? `: ${inner.message}` : '.'} Check the network and that the OAuth client has the "notifications" scope.`,
    { cause: error, details: { ...(inner?.details ?? {}), ...(inner ? { causeCode: inner.code } : {}) } },
  );
}

/** The socket to `host` did not open in `attempts` tries. */
export function socketError(host: string, attempts: number, cause?: unknown): KaaError {
  return new KaaError(
    'E_NOTIFICATIONS_SOCKET',
    `The Genesys notification socket to ${host} did not open (${attempts} attempt(s)). Check that the browser may reach wss://${host} (CSP connect-src, proxies and firewalls that block WebSockets).`,
    { cause, details: { host, attempts } },
  );
}

/** A failure while running (kaa keeps retrying): a `KaaError` as it is, anything else as `E_NOTIFICATIONS_CHANNEL`. */
export function runningError(error: unknown, what: string): KaaError {
  return isKaaError(error)
    ? error
    : new KaaError(
        'E_NOTIFICATIONS_CHANNEL',
        `Genesys notifications failed to ${what}. kaa keeps retrying; check the network and the "notifications" scope.`,
        { cause: error },
      );
}

/** Signing in again after `v2.system.token_revoked` failed. */
export function tokenRevokedError(cause: unknown): KaaError {
  return new KaaError(
    'E_NOTIFICATIONS_TOKEN_REVOKED',
    'Genesys revoked the login token and signing in again failed. Sign in again from the widget.',
    { cause },
  );
}
