import { REDACTED, redact } from '../redact.js';

/** Query parameters of a widget URL whose values never reach a log (token, custom data, secure data). */
const SECRET_PARAMS = new Set([
  'token',
  'jtoken',
  'assertion',
  'customdata',
  'securecustomdata',
  'x_passthru_metadata',
  'x_metadata',
]);

/**
 * The widget URL with its token and custom data replaced by `[REDACTED]`, for the debug timeline and logs.
 * Works on any text: a string that is not a URL is passed through {@link redact}'s patterns.
 *
 * @example
 * ```ts
 * import { describeWidgetUrl } from '@kaa/core';
 *
 * describeWidgetUrl('https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?token=eyJ…&botid=st-1&conversationid=c-1');
 * // → 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html?token=[REDACTED]&botid=st-1&conversationid=c-1'
 * ```
 */
export function describeWidgetUrl(url: string, secrets: readonly (string | undefined | null)[] = []): string {
  const text = String(url);
  const queryStart = text.indexOf('?');
  if (queryStart < 0) return redact(text, secrets);
  const hashStart = text.indexOf('#', queryStart);
  const query = text.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  const hash = hashStart < 0 ? '' : text.slice(hashStart);
  const described = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAMS.has(name.toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return redact(`${text.slice(0, queryStart)}?${described}${hash}`, secrets);
}
